/* Every routine of the SDK's libc and libm, printed: built natively against glibc and with
 * pvm-cc for the PVM, the outputs must be identical. Exact functions print their bits
 * (%a); the others (few ulp from glibc) print 12 significant digits. Soft-float is checked
 * by hashing the bits of many random operations of every kind. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* long double is IEEE quad on riscv; the x86-64 reference uses __float128 (libgcc's). */
#if defined(__x86_64__)
typedef __float128 quad;
#else
typedef long double quad;
#endif

/* NaN signs differ between x86 (negative default NaN) and the soft-float (positive, as RISC-V). */
static double canon(double x) { return isnan(x) ? __builtin_nan("") : x; }

static uint64_t rng = 88172645463325252u;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double rnd_double(void)
{
    uint64_t b = next();
    switch (next() % 4) { /* random bits, or a value in a sane range */
    case 0: break;
    case 1: b = (b & 0x800fffffffffffffu) | ((1023 + next() % 64 - 32) << 52); break;
    case 2: b = (b & 0x800fffffffffffffu) | ((next() % 3) << 52); break; /* tiny, subnormal */
    default: b = (b & 0x800fffffffffffffu) | ((1023 + next() % 8) << 52); break;
    }
    double d;
    memcpy(&d, &b, 8);
    return d;
}
static uint64_t hash = 1469598103934665603u;
static void mix(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) hash = (hash ^ c[i]) * 1099511628211u;
}
#define MIX(v) do { __typeof__(v) v_ = (v); mix(&v_, sizeof v_); } while (0)

/* One hash per kind of operation, so a mismatch names the routine. */
enum { H_ADD, H_MUL, H_DIV, H_CMP, H_FLOAT, H_EXT, H_TOINT, H_FROMINT, H_QUAD, H_N };
static uint64_t hashes[H_N];
static const char *const hash_names[H_N] = {"add/sub/neg", "mul", "div", "compare", "float ops", "float<->double",
                                            "to integer", "from integer", "long double"};
#define MIXH(h, v) do { uint64_t s_ = hash; hash = hashes[h] ? hashes[h] : 1469598103934665603u; MIX(v); hashes[h] = hash; hash = s_; } while (0)

static void soft_float(void)
{
    for (int i = 0; i < 5000; i++) {
        double a = rnd_double(), b = rnd_double();
        if (a != a || b != b) continue; /* NaN payloads and signs are not specified */
        double add = a + b, sub = a - b, mul = a * b, div = b != 0 ? a / b : 0, neg = -a;
        if (add == add) MIXH(H_ADD, add);
        if (sub == sub) MIXH(H_ADD, sub);
        MIXH(H_ADD, neg);
        if (mul == mul) MIXH(H_MUL, mul);
        if (div == div) MIXH(H_DIV, div);
        int c = (a < b) | (a <= b) << 1 | (a == b) << 2 | (a != b) << 3 | (a > b) << 4 | (a >= b) << 5;
        MIXH(H_CMP, c);
        float fa = (float)a, fb = (float)b;
        MIXH(H_EXT, fa);
        MIXH(H_EXT, (double)fa);
        float fr[] = {fa + fb, fa - fb, fa * fb, fb != 0 ? fa / fb : 0};
        for (int k = 0; k < 4; k++) if (fr[k] == fr[k]) MIXH(H_FLOAT, fr[k]);
        if (fabs(a) < 9e18) MIXH(H_TOINT, (long long)a);
        if (a >= 0 && a < 1.8e19) MIXH(H_TOINT, (unsigned long long)a);
        if (fabs(a) < 2e9) MIXH(H_TOINT, (int)a);
        if (fa >= 0 && fa < 4e9f) MIXH(H_TOINT, (unsigned)fa);
        uint64_t bits = next();
        int shift = (int)(next() % 64); /* two statements: C leaves the order of operands open */
        long long v = (long long)bits >> shift;
        MIXH(H_FROMINT, (double)v);
        MIXH(H_FROMINT, (float)v);
        MIXH(H_FROMINT, (double)(unsigned long long)v);
        MIXH(H_FROMINT, (double)(int)v);
        quad q = (quad)a * (quad)b + (quad)v;
        if (q == q) MIXH(H_QUAD, (double)q);
        if (q == q) MIXH(H_QUAD, (double)(q / 3));
    }
    for (int h = 0; h < H_N; h++) printf("soft-float %s: %016llx\n", hash_names[h], (unsigned long long)hashes[h]);
}

static int compare_ints(const void *a, const void *b) { return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b); }

static void strings(void)
{
    char buf[64];
    strcpy(buf, "hello");
    strcat(buf, ", world");
    strncat(buf, "!!!", 1);
    printf("%s %zu %zu %d %d %d\n", buf, strlen(buf), strnlen(buf, 4), strcmp("abc", "abd") < 0,
           strncmp("abcx", "abcy", 3), strcmp("b", "a") > 0);
    printf("%s|%s|%s|%s\n", strchr(buf, 'o'), strrchr(buf, 'o'), strstr(buf, "wor"), strpbrk(buf, ",!"));
    printf("%zu %zu %d\n", strspn("aabbc", "ab"), strcspn("xyz,", ","), strstr(buf, "zz") == NULL);
    char tok[] = "a,b;;c";
    for (char *t = strtok(tok, ",;"); t; t = strtok(NULL, ",;")) printf("[%s]", t);
    printf("\n");
    memset(buf, 'x', 10);
    buf[10] = 0;
    memmove(buf + 2, buf, 5);
    printf("%s %d %p %d\n", buf, memcmp("ab", "ac", 2) < 0, memchr("abc", 'z', 3), (char *)memchr("abc", 'c', 3) - "abc" == 2);
    char copy[8];
    strncpy(copy, "abc", sizeof copy);
    char *dup = strdup(copy);
    printf("%s %d\n", dup, copy[7]);
    free(dup);
    for (int c = 0; c < 128; c++) {
        int bits = (isalnum(c) != 0) | (isalpha(c) != 0) << 1 | (iscntrl(c) != 0) << 2 | (isdigit(c) != 0) << 3 | (isgraph(c) != 0) << 4 |
                   (islower(c) != 0) << 5 | (isprint(c) != 0) << 6 | (ispunct(c) != 0) << 7 | (isspace(c) != 0) << 8 |
                   (isupper(c) != 0) << 9 | (isxdigit(c) != 0) << 10 | (isblank(c) != 0) << 11;
        MIX(bits);
        MIX(toupper(c));
        MIX(tolower(c));
    }
    printf("ctype hash %016llx\n", (unsigned long long)hash);
}

static void numbers(void)
{
    const char *ints[] = {"0", "42", "-17", "  +99x", "0x1F", "077", "zz", "9223372036854775807", "-9223372036854775808",
                          "99999999999999999999", "-1", "2147483648"};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(ints[i], &end, 0);
        int e1 = errno;
        errno = 0;
        unsigned long long u = strtoull(ints[i], NULL, 10);
        int e2 = errno;
        printf("%s: %lld (%d, %d) %llu (%d) %lld %llx\n", ints[i], v, (int)(end - ints[i]), e1 != 0, u, e2 != 0,
               strtoll(ints[i], NULL, 16), strtoull(ints[i], NULL, 36));
    }
    /* long and int are 32-bit on rv32, 64 on the x86-64 reference: values that fit both */
    const char *small[] = {"0", "12345", "-2147483648", "2147483647", " +0x7fff", "-077", "1z"};
    for (size_t i = 0; i < sizeof small / sizeof *small; i++)
        printf("%s: %ld %lu %d %ld %lld\n", small[i], strtol(small[i], NULL, 0), strtoul(small[i], NULL, 10) & 0x7fffffffu,
               atoi(small[i]), atol(small[i]), atoll(small[i]));
    const char *reals[] = {"0", "1.5", "-2.25e3", "3.14159265358979", "1e-310", "1e308", "2.2250738585072014e-308",
                           "0.1", "123456789012345678901234567890", ".5", "5.", "inf", "-nan", "0x1.8p1", "1e400",
                           "4.9e-324", "0.30000000000000004", "1.7976931348623157e308", "  -0.0"};
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        char *end;
        double d = strtod(reals[i], &end);
        printf("%s: %a %d %a %a\n", reals[i], canon(d), (int)(end - reals[i]), canon(strtof(reals[i], NULL)), canon(atof(reals[i])));
    }
    printf("%d %ld %lld %d %d\n", abs(-5), labs(-6L), llabs(-7LL), div(17, 5).quot, div(-17, 5).rem);
    int arr[50];
    srand(7);
    for (int i = 0; i < 50; i++) arr[i] = (int)(next() % 1000) - 500;
    qsort(arr, 50, sizeof *arr, compare_ints);
    for (int i = 0; i < 50; i++) printf("%d%c", arr[i], i == 49 ? '\n' : ' ');
    int key = arr[17], *found = bsearch(&key, arr, 50, sizeof *arr, compare_ints);
    printf("bsearch %d\n", found && *found == key);
}

static void formats(void)
{
    printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%x] [%#X] [%#o] [%o] [%u] [%c] [%%]\n", -42, 42, 42, -42, 42,
           42, 7, 255, 255, 8, 0, 4000000000u, 'q');
    printf("[%hhd] [%hd] [%ld] [%lld] [%zu] [%jd] [%lu] [%llx]\n", (signed char)100, (short)30000, -123456789L,
           -1234567890123LL, (size_t)12345, (intmax_t)-9, 123456789UL, 0xdeadbeefcafeULL);
    printf("[%s] [%10s] [%-10s] [%.2s] [%*d] [%-*d] [%.*f]\n", "str", "right", "left", "trunc", 6, 1, 6, 2, 3, 2.0 / 3);
    double vals[] = {0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 3.5, 123456.789, 1e-5, 1e-7, 1e15, 1e16, 1e21, 1e300, 5e-324,
                     2.2250738585072014e-308, 1.0 / 3, 2.0 / 3, 0.5, 1.5, 999.9995, 9.9999999, 0.000123456789,
                     1.7976931348623157e308, 100, 1e6, 123456789012.0};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        double v = vals[i];
        printf("%f|%.0f|%.3f|%#.0f|%e|%.0e|%.10E|%g|%.3g|%#g|%G|%.17g|%a|%.2a|%A|%+08.2f|%-12.4e|\n", v, v, v, v, v,
               v, v, v, v, v, v, v, v, v, v, v, v);
    }
    printf("%f %F %e %g %f %G %+f %-6f|\n", 1.0 / 0.0, -1.0 / 0.0, canon(0.0 / 0.0), 1.0 / 0.0, -canon(0.0 / 0.0), -1.0 / 0.0, canon(NAN), 1.0 / 0.0);
    printf("%.300f\n", 1e-300);
    printf("%.40f %.25e\n", 0.1, 1.0 / 3);
    char small[8];
    int n = snprintf(small, sizeof small, "%s-%d", "truncated", 12345);
    printf("%d [%s]\n", n, small);
    char big[64];
    sprintf(big, "%05.1f|%x", 3.14159, 48879);
    puts(big);
    fputs("fputs line\n", stdout);
    putchar('P');
    putchar('\n');
    fprintf(stdout, "fprintf %d\n", 5);
}

static void memory(void)
{
    void *blocks[64];
    size_t total = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 64; i++) {
            size_t n = 1 + next() % 3000;
            blocks[i] = malloc(n);
            assert(blocks[i]);
            assert(((uintptr_t)blocks[i] & 15) == 0);
            memset(blocks[i], i, n);
            total += n;
        }
        for (int i = 0; i < 64; i += 2) free(blocks[i]);
        for (int i = 1; i < 64; i += 2) {
            blocks[i] = realloc(blocks[i], 5000);
            assert(((unsigned char *)blocks[i])[0] == i);
        }
        for (int i = 1; i < 64; i += 2) free(blocks[i]);
    }
    int *z = calloc(1000, sizeof *z);
    int sum = 0;
    for (int i = 0; i < 1000; i++) sum += z[i];
    free(z);
    printf("malloc ok %zu %d %d\n", total, sum, malloc(SIZE_MAX / 2) == NULL);
}

static void math(void)
{
    double xs[] = {0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 10.0, 0.1, 3.7, -3.7, 100.5, 1e-10, 1e10, 1e300, 4.5e-320, 1.0 / 0.0};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i];
        int e;
        double ip, fr = frexp(x, &e);
        double mf = modf(x, &ip);
        printf("x=%a sqrt %a fabs %a floor %a ceil %a trunc %a round %a rint %a frexp %a,%d ldexp %a modf %a,%a "
               "fmod %a %a\n",
               x, canon(sqrt(x)), fabs(x), floor(x), ceil(x), trunc(x), round(x), rint(x), fr, e, ldexp(x, -3), mf, ip,
               canon(fmod(x, 0.75)), canon(fmod(-x, 3.0)));
    }
    double ts[] = {0.001, 0.5, 1.0, 1.5, 2.0, 3.0, 10.0, 0.25, 0.75, 20.0};
    for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) {
        double t = ts[i];
        printf("t=%g exp %.12g exp2 %.12g expm1 %.12g log %.12g log2 %.12g log10 %.12g log1p %.12g sin %.12g cos "
               "%.12g tan %.12g atan %.12g sinh %.12g cosh %.12g tanh %.12g cbrt %.12g pow %.12g hypot %.12g atan2 "
               "%.12g\n",
               t, exp(t), exp2(t), expm1(t), log(t), log2(t), log10(t), log1p(t), sin(t), cos(t), tan(t), atan(t),
               sinh(t), cosh(t), tanh(t), cbrt(t), pow(t, 2.5), hypot(t, 3), atan2(t, -1));
        double u = t / 20.0;
        printf("  asin %.12g acos %.12g sinf %.6g powf %.6g sqrtf %a fmin %g fmax %g copysign %g\n", asin(u), acos(u),
               (double)sinf((float)t), (double)powf((float)t, 1.5f), (double)sqrtf((float)t), fmin(t, 1), fmax(t, 1),
               copysign(t, -1));
    }
    printf("pow int %a %a %a %.12g\n", pow(2, 10), pow(-2, 3), pow(10, -2), pow(1.0001, 10000));
    printf("isnan %d isinf %d isfinite %d signbit %d\n", !!isnan(sqrt(-1)), !!isinf(exp(1000)), !!isfinite(1.0), !!signbit(-0.0));
}

int main(void)
{
    strings();
    numbers();
    formats();
    memory();
    math();
    soft_float();
    return 3;
}
