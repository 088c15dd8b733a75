/* The float functions of math.h: computed in double, rounded to float once more. */
#include "libm_internal.h"

#define WRAP1(name) float name##f(float x) { return (float)name((double)x); }
#define WRAP2(name) float name##f(float x, float y) { return (float)name((double)x, (double)y); }
WRAP1(sqrt) WRAP1(cbrt) WRAP1(fabs) WRAP1(floor) WRAP1(ceil) WRAP1(trunc) WRAP1(round) WRAP1(rint)
WRAP1(nearbyint) WRAP1(exp) WRAP1(exp2) WRAP1(expm1) WRAP1(log) WRAP1(log2) WRAP1(log10) WRAP1(log1p)
WRAP1(sin) WRAP1(cos) WRAP1(tan) WRAP1(asin) WRAP1(acos) WRAP1(atan) WRAP1(sinh) WRAP1(cosh) WRAP1(tanh)
WRAP2(pow) WRAP2(atan2) WRAP2(fmod) WRAP2(hypot) WRAP2(fmin) WRAP2(fmax) WRAP2(fdim) WRAP2(copysign)

float frexpf(float x, int *exp) { return (float)frexp(x, exp); }
float ldexpf(float x, int exp) { return (float)ldexp(x, exp); }
float modff(float x, float *integral)
{
    double i, f = modf(x, &i);
    *integral = (float)i;
    return (float)f;
}
