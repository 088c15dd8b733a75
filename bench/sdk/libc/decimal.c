/* Exact decimal digits of a double, for printf's %f/%e/%g: the binary value m * 2^e is
 * expanded with big integers (integer part divided by 10^9, fraction multiplied by 10), so
 * every printed digit is the true one and the last is rounded half-to-even on the exact
 * remainder, as glibc prints. */
#include <stdint.h>
#include <string.h>

#include "decimal.h"

enum { LIMBS = 36 }; /* 36 x 32 bits >= 1074 fraction bits and >= 1024 integer bits */

typedef struct {
    char int_digits[320]; /* the integer part, no leading zeros ("" for 0) */
    int n_int, next;      /* its length, the next one to hand out */
    uint32_t frac[LIMBS]; /* fraction * 2^(32 LIMBS), most significant limb first */
} digit_stream;

static void stream_init(digit_stream *s, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    int biased = (int)(bits >> 52 & 0x7ff);
    uint64_t mant = bits & ((1ull << 52) - 1);
    int exp2 = biased ? biased - 1075 : -1074;
    if (biased) mant |= 1ull << 52;
    memset(s, 0, sizeof *s);

    uint32_t ip[LIMBS] = {0}; /* integer part, least significant limb first */
    if (exp2 >= 0) {
        int limb = exp2 / 32, shift = exp2 % 32;
        uint64_t lo = mant << shift; /* mant < 2^53, shift < 32: the three limbs it touches */
        ip[limb] = (uint32_t)lo;
        ip[limb + 1] = (uint32_t)(lo >> 32);
        if (shift) ip[limb + 2] = (uint32_t)((mant >> (64 - shift)));
    } else {
        int k = -exp2; /* fraction = mant mod 2^k over 2^k */
        uint64_t integer = k < 64 ? mant >> k : 0;
        ip[0] = (uint32_t)integer;
        ip[1] = (uint32_t)(integer >> 32);
        uint64_t f = k < 64 ? mant & ((1ull << k) - 1) : mant;
        /* place f so that its 2^-k unit is bit (32 LIMBS - k) of the array */
        int bit = LIMBS * 32 - k; /* position of f's bit 0, counted from the array's bottom */
        for (int i = 0; i < 53 && f >> i; i++)
            if (f >> i & 1) {
                int at = bit + i;
                s->frac[LIMBS - 1 - at / 32] |= 1u << (at % 32);
            }
    }
    /* integer part to decimal, 9 digits at a time (from the bottom) */
    char rev[320];
    int n = 0, top = LIMBS;
    while (top > 0 && !ip[top - 1]) top--;
    while (top > 0) {
        uint64_t rem = 0;
        for (int i = top - 1; i >= 0; i--) {
            uint64_t cur = rem << 32 | ip[i];
            ip[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        while (top > 0 && !ip[top - 1]) top--;
        for (int d = 0; d < 9 && (top > 0 || rem); d++, rem /= 10) rev[n++] = (char)('0' + rem % 10);
    }
    for (int i = 0; i < n; i++) s->int_digits[i] = rev[n - 1 - i];
    s->n_int = n;
}

static int stream_digit(digit_stream *s)
{
    if (s->next < s->n_int) return s->int_digits[s->next++] - '0';
    uint32_t carry = 0;
    for (int i = LIMBS - 1; i >= 0; i--) {
        uint64_t cur = (uint64_t)s->frac[i] * 10 + carry;
        s->frac[i] = (uint32_t)cur;
        carry = (uint32_t)(cur >> 32);
    }
    return (int)carry;
}

static int stream_rest_nonzero(const digit_stream *s)
{
    for (int i = s->next; i < s->n_int; i++)
        if (s->int_digits[i] != '0') return 1;
    for (int i = 0; i < LIMBS; i++)
        if (s->frac[i]) return 1;
    return 0;
}

int decimal_digits(double v, int fixed, int precision, char *out, int *point)
{
    digit_stream s;
    stream_init(&s, v < 0 ? -v : v);
    int n = 0, want;
    if (fixed) {
        want = s.n_int + precision;
        *point = s.n_int;
    } else {
        want = precision + 1;
        if (v == 0) {
            memset(out, '0', (size_t)want);
            *point = 1;
            return want;
        }
        int skipped = 0, d;
        while ((d = stream_digit(&s)) == 0) skipped++;
        out[n++] = (char)('0' + d);
        *point = s.n_int - skipped;
    }
    while (n < want) out[n++] = (char)('0' + stream_digit(&s));
    int next = stream_digit(&s);
    int round_up = next > 5 || (next == 5 && (stream_rest_nonzero(&s) || (n > 0 && (out[n - 1] - '0') % 2)));
    if (next == 5 && n == 0 && !stream_rest_nonzero(&s)) round_up = 0; /* 0.5 -> 0, even */
    if (round_up) {
        int i = n - 1;
        while (i >= 0 && out[i] == '9') out[i--] = '0';
        if (i >= 0) {
            out[i]++;
        } else { /* all nines: one more leading digit */
            memmove(out + 1, out, (size_t)n);
            out[0] = '1';
            (*point)++;
            if (!fixed) n--; /* keep precision + 1 significant digits */
            n++;
        }
    }
    return n;
}
