/* strtod: decimal (and "inf", "nan", hex 0x...p) to double. The first 36 significant
 * decimal digits go into an integer, which is scaled by a power of ten in long double (IEEE
 * quad on riscv: 113 bits) and rounded once to double: correctly rounded except when the
 * quad result lands within ~2^-100 relative of a halfway point between two doubles. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

static long double power_of_ten(int e)
{
    long double result = 1, base = 10;
    unsigned n = (unsigned)(e < 0 ? -e : e);
    for (; n; n >>= 1, base *= base)
        if (n & 1) result *= base;
    return e < 0 ? 1 / result : result;
}

static int match_word(const char *p, const char *word)
{
    for (; *word; p++, word++)
        if (tolower((unsigned char)*p) != *word) return 0;
    return 1;
}

double strtod(const char *restrict s, char **restrict end)
{
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    int negative = 0;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    if (match_word(p, "inf")) {
        if (end) *end = (char *)(p + (match_word(p, "infinity") ? 8 : 3));
        return negative ? -__builtin_inf() : __builtin_inf();
    }
    if (match_word(p, "nan")) {
        if (end) *end = (char *)(p + 3);
        double nan = __builtin_nan("");
        return negative ? -nan : nan;
    }
    unsigned __int128 mant = 0;
    int digits = 0, places = 0, any = 0, hex = 0; /* places: kept fraction digits minus dropped integer digits */
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) hex = 1, p += 2;
    unsigned base = hex ? 16 : 10;
    for (int seen_point = 0;; p++) {
        if (*p == '.' && !seen_point) {
            seen_point = 1;
            continue;
        }
        int d = isdigit((unsigned char)*p) ? *p - '0' : hex && isxdigit((unsigned char)*p) ? tolower((unsigned char)*p) - 'a' + 10 : -1;
        if (d < 0) break;
        any = 1;
        if (digits < (hex ? 28 : 36)) {
            if (mant || d) digits++;
            mant = mant * base + (unsigned)d;
            if (seen_point) places++;
        } else if (!seen_point) {
            places--; /* a digit we cannot keep still scales the value */
        }
    }
    if (!any) {
        if (end) *end = (char *)s;
        return 0;
    }
    int exponent = 0;
    if (tolower((unsigned char)*p) == (hex ? 'p' : 'e')) {
        const char *q = p + 1;
        int eneg = 0;
        if (*q == '+' || *q == '-') eneg = *q++ == '-';
        if (isdigit((unsigned char)*q)) {
            for (; isdigit((unsigned char)*q); q++)
                if (exponent < 100000) exponent = exponent * 10 + (*q - '0');
            if (eneg) exponent = -exponent;
            p = q;
        }
    }
    if (end) *end = (char *)p;
    long double v = (long double)mant;
    if (hex) {
        int e2 = exponent - 4 * places;
        for (; e2 > 0; e2--) v *= 2; /* exact in binary (until inf) */
        for (; e2 < 0 && v != 0; e2++) v /= 2;
    } else {
        int e10 = exponent - places;
        if (!mant) v = 0;
        else if (e10 > 4950) v = __builtin_infl();
        else if (e10 < -4950) v = 0;
        else v *= power_of_ten(e10);
    }
    double result = (double)v;
    if (mant && (result == 0 || __builtin_isinf(result))) errno = ERANGE;
    return negative ? -result : result;
}

float strtof(const char *restrict s, char **restrict end) { return (float)strtod(s, end); }
double atof(const char *s) { return strtod(s, NULL); }
