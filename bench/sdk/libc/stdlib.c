/* stdlib.h: integer helpers, string to integer conversions, qsort/bsearch, rand. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int errno;

int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }
div_t div(int a, int b) { return (div_t){a / b, a % b}; }
ldiv_t ldiv(long a, long b) { return (ldiv_t){a / b, a % b}; }
lldiv_t lldiv(long long a, long long b) { return (lldiv_t){a / b, a % b}; }

/* The common parser: optional space and sign, base prefix (0x for 16 or 0; 0 for octal with
 * base 0), digits. Returns the magnitude clamped to `limit` (+1 for a negative signed
 * result's extra value); *overflow when it did not fit. */
static unsigned long long parse_integer(const char *s, char **end, int base, unsigned long long limit,
                                        int *negative, int *overflow)
{
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    *negative = 0;
    *overflow = 0;
    if (*p == '+' || *p == '-') *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    unsigned long long v = 0;
    const char *digits = p;
    for (;; p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0' : isalpha((unsigned char)*p) ? tolower((unsigned char)*p) - 'a' + 10 : 99;
        if (d >= base) break;
        if (v > (limit - (unsigned)d) / (unsigned)base) *overflow = 1;
        else v = v * (unsigned)base + (unsigned)d;
    }
    if (end) *end = (char *)(p == digits ? s : p);
    if (*overflow) {
        errno = ERANGE;
        return limit;
    }
    return v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    int negative, overflow;
    unsigned long long v = parse_integer(s, end, base, (unsigned long long)LLONG_MAX + 1, &negative, &overflow);
    if (!negative && v > LLONG_MAX) {
        errno = ERANGE;
        return LLONG_MAX;
    }
    return negative ? (long long)(0 - v) : (long long)v;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    int negative, overflow;
    unsigned long long v = parse_integer(s, end, base, ULLONG_MAX, &negative, &overflow);
    return negative && !overflow ? 0 - v : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    int negative, overflow;
    unsigned long long v = parse_integer(s, end, base, (unsigned long long)LONG_MAX + 1, &negative, &overflow);
    if (!negative && v > LONG_MAX) {
        errno = ERANGE;
        return LONG_MAX;
    }
    return negative ? (long)(0 - v) : (long)v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    int negative, overflow;
    unsigned long long v = parse_integer(s, end, base, ULONG_MAX, &negative, &overflow);
    return (unsigned long)(negative && !overflow ? 0 - v : v);
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }

static void swap_bytes(unsigned char *a, unsigned char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        unsigned char t = *a;
        *a = *b;
        *b = t;
    }
}

/* Heapsort: O(n log n) in the worst case and no recursion (the guest stack is small). Not
 * stable, as C allows. */
static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
                      int (*compare)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count) return;
        if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) child++;
        if (compare(base + root * size, base + child * size) >= 0) return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *))
{
    unsigned char *b = base;
    if (count < 2 || !size) return;
    for (size_t i = count / 2; i-- > 0;) sift_down(b, i, count, size, compare);
    for (size_t n = count - 1; n > 0; n--) {
        swap_bytes(b, b + n * size, size);
        sift_down(b, 0, n, size, compare);
    }
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *))
{
    const unsigned char *b = base;
    while (count) {
        const unsigned char *mid = b + (count / 2) * size;
        int c = compare(key, mid);
        if (!c) return (void *)mid;
        if (c > 0) {
            b = mid + size;
            count -= count / 2 + 1;
        } else {
            count /= 2;
        }
    }
    return NULL;
}

/* A 64-bit linear congruential generator, top 31 bits out (deterministic: srand(1) is the
 * initial state). */
static uint64_t rand_state = 1;
int rand(void)
{
    rand_state = rand_state * 6364136223846793005u + 1442695040888963407u;
    return (int)(rand_state >> 33);
}
void srand(unsigned seed) { rand_state = seed; }
