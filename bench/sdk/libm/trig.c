/* Trigonometric and hyperbolic functions: reduction by pi/2 with a three-part constant
 * (fdlibm's 33+33+53-bit split; exact products for |n| < 2^20, accuracy degrades beyond
 * |x| ~ 1e6), Taylor kernels on [-pi/4, pi/4], atan by argument reduction to
 * |t| <= tan(pi/12). A few ulp of glibc. */
#include "libm_internal.h"

static const double PIO2_1 = 1.57079632673412561417e+00;  /* first 33 bits of pi/2 */
static const double PIO2_2 = 6.07710050650619224932e-11;  /* next 33 bits */
static const double PIO2_3 = 2.02226624871116645580e-21;  /* the rest */
static const double TWO_OVER_PI = 6.36619772367581382433e-01;
static const double PI_2_HI = 1.5707963267948966, PI_2_LO = 6.123233995736766e-17;
static const double PI_6_HI = 0.5235987755982989, PI_6_LO = -5.360408832255455e-17;

double pvm_libm_sin_kernel(double r)
{
    double z = r * r, p = 1.0 / 355687428096000.0; /* 1/17! */
    static const double c[] = {-1.0 / 1307674368000.0, 1.0 / 6227020800.0, -1.0 / 39916800.0, 1.0 / 362880.0,
                               -1.0 / 5040.0, 1.0 / 120.0, -1.0 / 6.0};
    /* coefficients of r^15, r^13, ..., r^3 */
    for (unsigned i = 0; i < sizeof c / sizeof *c; i++) p = p * z + c[i];
    return r + r * z * p;
}

double pvm_libm_cos_kernel(double r)
{
    double z = r * r, p = 1.0 / 6402373705728000.0; /* 1/18! */
    static const double c[] = {-1.0 / 20922789888000.0, 1.0 / 87178291200.0, -1.0 / 479001600.0,
                               1.0 / 3628800.0, -1.0 / 40320.0, 1.0 / 720.0, -1.0 / 24.0};
    /* coefficients of z^8 .. z^2 */
    for (unsigned i = 0; i < sizeof c / sizeof *c; i++) p = p * z + c[i];
    double hz = 0.5 * z, w = 1.0 - hz;
    return w + (((1.0 - w) - hz) - z * z * p);
}

/* x = n pi/2 + r, |r| <= ~pi/4; returns n mod 4 */
static int reduce(double x, double *r)
{
    if (fabs(x) <= 0.7853981633974483) {
        *r = x;
        return 0;
    }
    double n = rint(x * TWO_OVER_PI);
    *r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_3;
    return (int)((long long)fmod(n, 4.0) & 3);
}

double sin(double x)
{
    if (isnan(x) || isinf(x)) return x - x;
    double r;
    switch (reduce(x, &r)) {
    case 0: return pvm_libm_sin_kernel(r);
    case 1: return pvm_libm_cos_kernel(r);
    case 2: return -pvm_libm_sin_kernel(r);
    default: return -pvm_libm_cos_kernel(r);
    }
}

double cos(double x)
{
    if (isnan(x) || isinf(x)) return x - x;
    double r;
    switch (reduce(x, &r)) {
    case 0: return pvm_libm_cos_kernel(r);
    case 1: return -pvm_libm_sin_kernel(r);
    case 2: return -pvm_libm_cos_kernel(r);
    default: return pvm_libm_sin_kernel(r);
    }
}

double tan(double x)
{
    if (isnan(x) || isinf(x)) return x - x;
    double r;
    int n = reduce(x, &r);
    double s = pvm_libm_sin_kernel(r), c = pvm_libm_cos_kernel(r);
    return n & 1 ? -c / s : s / c;
}

/* atan of |t| <= tan(pi/12) = 0.2679: Taylor to t^31 */
static double atan_kernel(double t)
{
    double z = t * t, p = -1.0 / 31;
    for (int n = 29; n >= 3; n -= 2) p = p * z + ((n / 2) % 2 ? -1.0 : 1.0) / n;
    return t + t * z * p;
}

double atan(double x)
{
    if (isnan(x)) return x + x;
    double ax = fabs(x), r;
    int invert = ax > 1;
    if (invert) ax = 1 / ax;
    if (ax > 0.2679491924311227) { /* atan(a) = pi/6 + atan((a sqrt3 - 1) / (a + sqrt3)) */
        const double SQRT3 = 1.7320508075688772;
        r = PI_6_HI + (atan_kernel((ax * SQRT3 - 1) / (ax + SQRT3)) + PI_6_LO);
    } else {
        r = atan_kernel(ax);
    }
    if (invert) r = PI_2_HI - (r - PI_2_LO);
    return x < 0 ? -r : r;
}

double atan2(double y, double x)
{
    if (isnan(x) || isnan(y)) return x + y;
    if (y == 0) {
        if (signbit(x)) return signbit(y) ? -M_PI : M_PI;
        return y; /* +-0 */
    }
    if (x == 0) return y > 0 ? M_PI_2 : -M_PI_2;
    if (isinf(x)) {
        if (isinf(y)) {
            double a = x > 0 ? M_PI_4 : 3 * M_PI_4;
            return y > 0 ? a : -a;
        }
        if (x > 0) return copysign(0.0, y);
        return y > 0 ? M_PI : -M_PI;
    }
    if (isinf(y)) return y > 0 ? M_PI_2 : -M_PI_2;
    double a = atan(fabs(y / x));
    if (x < 0) a = PI_2_HI * 2 - (a - PI_2_LO * 2);
    return y < 0 ? -a : a;
}

double asin(double x)
{
    if (isnan(x) || fabs(x) > 1) return (x - x) / (x - x);
    if (fabs(x) == 1) return x * M_PI_2;
    return atan(x / sqrt((1 - x) * (1 + x)));
}

double acos(double x)
{
    if (isnan(x) || fabs(x) > 1) return (x - x) / (x - x);
    if (x == 1) return 0;
    if (x == -1) return M_PI;
    return 2 * atan(sqrt((1 - x) / (1 + x)));
}

double sinh(double x)
{
    double ax = fabs(x), r;
    if (ax < 0.5) {
        r = expm1(ax);
        r = 0.5 * (r + r / (r + 1));
    } else if (ax < 710) {
        double e = exp(0.5 * ax);
        r = 0.5 * e * e - 0.5 / (e * e);
        if (isinf(0.5 * e * e)) r = (0.5 * e) * e;
    } else {
        r = HUGE_VAL;
    }
    return x < 0 ? -r : r;
}

double cosh(double x)
{
    double ax = fabs(x);
    if (isnan(x)) return x + x;
    if (ax < 0.5) {
        double t = expm1(ax);
        return 1 + t * t / (2 * (1 + t));
    }
    if (ax > 710.5) return HUGE_VAL;
    double e = exp(0.5 * ax);
    return (0.5 * e) * e + 0.5 / (e * e);
}

double tanh(double x)
{
    double ax = fabs(x), r;
    if (isnan(x)) return x + x;
    if (ax > 22) {
        r = 1;
    } else if (ax > 0.55) {
        r = 1 - 2 / (exp(2 * ax) + 1);
    } else {
        double t = expm1(2 * ax);
        r = t / (t + 2);
    }
    return x < 0 ? -r : r;
}
