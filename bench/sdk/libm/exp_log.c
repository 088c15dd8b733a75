/* exp, log and their relatives: Cody-Waite reduction by ln2 (split so k ln2_hi is exact)
 * and Taylor polynomials on the reduced range, evaluated by Horner. A few ulp of glibc. */
#include "libm_internal.h"

static const double LN2_HI = 6.93147180369123816490e-01; /* 0x3fe62e42fee00000: 32 bits */
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.4426950408889634;
static const double INV_LN10 = 0.4342944819032518;
static const double LOG10_2_HI = 0.3010299956639812, LOG10_2_LO = -2.8037281277851704e-18;

/* 1/n! for n = 0..17 */
static const double inv_fact[18] = {
    1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0, 1.0 / 87178291200.0,
    1.0 / 1307674368000.0, 1.0 / 20922789888000.0, 1.0 / 355687428096000.0};

/* (e^r - 1 - r) / r^2 by Taylor from 1/2! to 1/top! */
static double exp_tail(double r, int top)
{
    double p = inv_fact[top];
    for (int n = top - 1; n >= 2; n--) p = p * r + inv_fact[n];
    return p;
}

/* e^r for |r| <= ln2/2 (Taylor to r^13) */
static double exp_kernel(double r) { return 1.0 + (r + r * r * exp_tail(r, 13)); }

static int nearest_int(double x) { return (int)(x < 0 ? x - 0.5 : x + 0.5); }

double exp(double x)
{
    if (isnan(x)) return x + x;
    if (x > 709.782712893384) return HUGE_VAL;
    if (x < -745.1332191019412) return 0;
    int k = nearest_int(x * INV_LN2);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    return scalbn(exp_kernel(r), k);
}

double exp2(double x)
{
    if (isnan(x)) return x + x;
    if (x >= 1024) return HUGE_VAL;
    if (x < -1075) return 0;
    int k = nearest_int(x);
    double f = x - k; /* exact */
    return scalbn(exp_kernel(f * M_LN2), k);
}

double expm1(double x)
{
    if (fabs(x) < 0.5) return x + x * x * exp_tail(x, 17); /* no cancellation near 0 */
    if (x > 709.8) return HUGE_VAL;
    return exp(x) - 1;
}

double pvm_libm_log_parts(double x, int *k)
{
    uint64_t b = bits_of(x);
    int e = (int)(b >> 52);
    *k = 0;
    if (!e) { /* subnormal */
        x *= 0x1p54;
        b = bits_of(x);
        e = (int)(b >> 52);
        *k = -54;
    }
    *k += e - 1023;
    double m = double_of((b & ((1ull << 52) - 1)) | (1023ull << 52)); /* [1, 2) */
    if (m > M_SQRT2) {
        m *= 0.5;
        ++*k;
    }
    double f = m - 1, s = f / (2 + f), z = s * s, hfsq = 0.5 * f * f;
    /* 2 atanh(s) = 2s + s R(z), R = 2z/3 + 2z^2/5 + ... (|s| < 0.1716) */
    double r = 2.0 / 25;
    for (int n = 23; n >= 3; n -= 2) r = r * z + 2.0 / n;
    r *= z;
    return f - (hfsq - s * (hfsq + r));
}

/* NaN, negative, zero and infinity, shared by the log family; 0 when x is ordinary. */
static int log_special(double x, double *result)
{
    if (isnan(x)) return *result = x + x, 1;
    if (x < 0) return *result = __builtin_nan(""), 1;
    if (x == 0) return *result = -HUGE_VAL, 1;
    if (isinf(x)) return *result = x, 1;
    return 0;
}

double log(double x)
{
    double special;
    if (log_special(x, &special)) return special;
    int k;
    double lm = pvm_libm_log_parts(x, &k);
    return k * LN2_HI + (lm + k * LN2_LO);
}

double log2(double x)
{
    double special;
    if (log_special(x, &special)) return special;
    int k;
    double lm = pvm_libm_log_parts(x, &k);
    return k + lm * INV_LN2;
}

double log10(double x)
{
    double special;
    if (log_special(x, &special)) return special;
    int k;
    double lm = pvm_libm_log_parts(x, &k);
    return k * LOG10_2_HI + (lm * INV_LN10 + k * LOG10_2_LO);
}

double log1p(double x)
{
    double u = 1 + x;
    if (u == 1) return x;
    if (isinf(u) || u <= 0) return log(u);
    return log(u) * (x / (u - 1)); /* corrects the rounding of 1 + x */
}

static int is_integer(double y) { return trunc(y) == y; }
static int is_odd_integer(double y) { return is_integer(y) && fabs(y) < 0x1p53 && fmod(y, 2.0) != 0; }

double pow(double x, double y)
{
    if (y == 0 || x == 1) return 1;
    if (isnan(x) || isnan(y)) return x + y;
    double ax = fabs(x);
    int negative = x < 0 && is_odd_integer(y);
    if (isinf(y)) {
        if (ax == 1) return 1;
        return (ax > 1) == (y > 0) ? HUGE_VAL : 0;
    }
    if (ax == 0 || isinf(x)) { /* 0^y and inf^y */
        int big = (ax == 0) == (y < 0);
        double r = big ? HUGE_VAL : 0;
        return negative ? -r : r;
    }
    if (x < 0 && !is_integer(y)) return __builtin_nan("");
    double r;
    if (is_integer(y) && fabs(y) <= 64) { /* repeated squaring: a few roundings */
        unsigned n = (unsigned)fabs(y);
        double base = ax;
        r = 1;
        for (; n; n >>= 1, base *= base)
            if (n & 1) r *= base;
        if (y < 0) r = 1 / r;
    } else {
        int k;
        double lm = pvm_libm_log_parts(ax, &k);
        double l = k * LN2_HI + (lm + k * LN2_LO);
        r = exp(y * l);
    }
    return negative ? -r : r;
}

double cbrt(double x)
{
    if (isnan(x) || isinf(x) || x == 0) return x + x;
    double ax = fabs(x);
    int e;
    double m = frexp(ax, &e); /* ax = m 2^e, m in [0.5, 1) */
    while (e % 3) m *= 0.5, e++;
    double r = 0.7 + 0.3 * m; /* rough cbrt(m) for m in [1/8, 1) */
    for (int i = 0; i < 6; i++) r = r - (r * r * r - m) / (3 * r * r);
    r = scalbn(r, e / 3);
    /* one last Newton step on the full value */
    r = r - (r * r * r - ax) / (3 * r * r);
    return x < 0 ? -r : r;
}

double hypot(double x, double y)
{
    if (isinf(x) || isinf(y)) return HUGE_VAL;
    if (isnan(x) || isnan(y)) return x + y;
    double a = fabs(x), b = fabs(y);
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (b == 0) return a;
    int scale = 0;
    if (a > 0x1p500) scale = 600;
    else if (b < 0x1p-500) scale = -600;
    a = scalbn(a, -scale);
    b = scalbn(b, -scale);
    return scalbn(sqrt(a * a + b * b), scale);
}
