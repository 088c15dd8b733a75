/* The exactly specified functions: results are the IEEE / glibc ones, bit for bit. */
#include <limits.h>

#include "libm_internal.h"

double fabs(double x) { return double_of(bits_of(x) & ~(1ull << 63)); }
long double fabsl(long double x) { return x < 0 ? -x : x == 0 ? 0.0L : x; }
double copysign(double x, double y) { return double_of((bits_of(x) & ~(1ull << 63)) | (bits_of(y) & (1ull << 63))); }
double nan(const char *tag) { (void)tag; return __builtin_nan(""); }

/* Correctly rounded: integer square root of the significand scaled to 110 bits. */
double sqrt(double x)
{
    uint64_t b = bits_of(x);
    if (isnan(x)) return x + x;
    if (!(b << 1)) return x; /* +-0 */
    if (b >> 63) return __builtin_nan("");
    if (isinf(x)) return x;
    int e = (int)(b >> 52);
    uint64_t m = b & ((1ull << 52) - 1);
    if (e) {
        m |= 1ull << 52;
    } else {
        e = 1;
        while (!(m >> 52)) m <<= 1, e--;
    }
    int k = e - 1075; /* x = m 2^k */
    if (k & 1) m <<= 1, k--;
    unsigned __int128 big = (unsigned __int128)m << 56, root = 0, bit = (unsigned __int128)1 << 108;
    k -= 56;
    while (bit > big) bit >>= 2;
    while (bit) { /* digit by digit: root = floor(sqrt(big)), big = remainder */
        if (big >= root + bit) {
            big -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    uint64_t q = (uint64_t)(root >> 2);
    unsigned low = (unsigned)(root & 3);
    if (low > 2 || (low == 2 && (big != 0 || (q & 1)))) q++;
    int exp = k / 2 + 2 + 52 + 1023; /* biased exponent of q's top bit */
    if (q >> 53) q >>= 1, exp++;
    return double_of((uint64_t)exp << 52 | (q & ((1ull << 52) - 1)));
}

double trunc(double x)
{
    uint64_t b = bits_of(x);
    int e = (int)(b >> 52 & 0x7ff) - 1023;
    if (e >= 52) return x;
    if (e < 0) return double_of(b & (1ull << 63));
    return double_of(b & ~((1ull << (52 - e)) - 1));
}

double floor(double x)
{
    double t = trunc(x);
    return t > x ? t - 1 : t;
}

double ceil(double x)
{
    double t = trunc(x);
    return t < x ? t + 1 : t;
}

double round(double x)
{
    double t = trunc(x), d = x - t; /* exact: x and t share the exponent range */
    if (d >= 0.5) return t + 1;
    if (d <= -0.5) return t - 1;
    return t;
}

/* Nearest, ties to even (the default rounding mode): add and subtract 2^52. */
double rint(double x)
{
    double a = fabs(x);
    if (!(a < 4503599627370496.0)) return x;
    double r = (a + 4503599627370496.0) - 4503599627370496.0;
    return copysign(r, x);
}
double nearbyint(double x) { return rint(x); }
long lrint(double x) { return (long)rint(x); }
long lround(double x) { return (long)round(x); }
long long llround(double x) { return (long long)round(x); }

double scalbn(double x, int n)
{
    /* powers of two in steps that keep every intermediate exact or rounding once */
    if (n > 1023) {
        x *= 0x1p1023;
        n -= 1023;
        if (n > 1023) {
            x *= 0x1p1023;
            n -= 1023;
            if (n > 1023) n = 1023;
        }
    } else if (n < -1022) {
        x *= 0x1p-1022 * 0x1p53;
        n += 1022 - 53;
        if (n < -1022) {
            x *= 0x1p-1022 * 0x1p53;
            n += 1022 - 53;
            if (n < -1022) n = -1022;
        }
    }
    return x * double_of((uint64_t)(n + 1023) << 52);
}
double ldexp(double x, int n) { return scalbn(x, n); }

double frexp(double x, int *exp)
{
    uint64_t b = bits_of(x);
    int e = (int)(b >> 52 & 0x7ff);
    *exp = 0;
    if (!(b << 1) || e == 0x7ff) return x;
    if (!e) {
        x *= 0x1p64;
        b = bits_of(x);
        e = (int)(b >> 52 & 0x7ff) - 64;
    }
    *exp = e - 1022;
    return double_of((b & ~(0x7ffull << 52)) | (1022ull << 52));
}

double modf(double x, double *integral)
{
    double t = trunc(x);
    *integral = t;
    if (isinf(x)) return copysign(0.0, x);
    return copysign(x - t, x);
}

/* Exact remainder x - n y, n = trunc(x / y): long division of the significands. */
double fmod(double x, double y)
{
    if (isnan(x) || isnan(y) || isinf(x) || y == 0) return (x * y) / (x * y);
    if (isinf(y)) return x;
    double ax = fabs(x), ay = fabs(y);
    if (ax < ay) return x;
    int ex, ey;
    double fx = frexp(ax, &ex), fy = frexp(ay, &ey);
    uint64_t mx = (uint64_t)(fx * 0x1p53), my = (uint64_t)(fy * 0x1p53); /* exact */
    for (; ex > ey; ex--) {
        if (mx >= my) mx -= my;
        mx <<= 1;
    }
    if (mx >= my) mx -= my;
    return copysign(scalbn((double)mx, ey - 53), x);
}

double fmin(double x, double y)
{
    if (isnan(x)) return y;
    if (isnan(y)) return x;
    if (x == y) return signbit(x) ? x : y;
    return x < y ? x : y;
}

double fmax(double x, double y)
{
    if (isnan(x)) return y;
    if (isnan(y)) return x;
    if (x == y) return signbit(x) ? y : x;
    return x > y ? x : y;
}

double fdim(double x, double y)
{
    if (isnan(x) || isnan(y)) return x + y;
    return x > y ? x - y : 0;
}
