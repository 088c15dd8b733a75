/* math.h of the PVM guest SDK (bench/sdk/libm, linked with -lm). Double functions are our
 * own code over the SDK's soft-float; the float ones (sinf, ...) compute in double and round
 * once more. sqrt, fabs, floor, ceil, trunc, round, rint, fmod, frexp, ldexp, modf, copysign,
 * fmin, fmax are exact (bit for bit as glibc); exp, log, sin, atan... are within a few ulp of
 * glibc (at most 10, cos near its zeros; tests/sdk/test_libm.c measures each), pow within
 * ~1e-13 relative. sin/cos/tan reduce by pi/2 in three parts and lose accuracy beyond
 * |x| ~ 1e6. */
#ifndef PVM_SDK_MATH_H
#define PVM_SDK_MATH_H

#define HUGE_VAL __builtin_huge_val()
#define HUGE_VALF __builtin_huge_valf()
#define INFINITY __builtin_inff()
#define NAN __builtin_nanf("")
#define M_E 2.71828182845904523536
#define M_LOG2E 1.44269504088896340736
#define M_LOG10E 0.43429448190325182765
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.78539816339744830962
#define M_1_PI 0.31830988618379067154
#define M_2_PI 0.63661977236758134308
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.70710678118654752440

#define FP_NAN 0
#define FP_INFINITE 1
#define FP_ZERO 2
#define FP_SUBNORMAL 3
#define FP_NORMAL 4
#define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
#define isnormal(x) __builtin_isnormal(x)
#define signbit(x) __builtin_signbit(x)
#define isgreater(x, y) __builtin_isgreater(x, y)
#define isgreaterequal(x, y) __builtin_isgreaterequal(x, y)
#define isless(x, y) __builtin_isless(x, y)
#define islessequal(x, y) __builtin_islessequal(x, y)
#define islessgreater(x, y) __builtin_islessgreater(x, y)
#define isunordered(x, y) __builtin_isunordered(x, y)

#define PVM_SDK_MATH_1(name) double name(double x); float name##f(float x);
#define PVM_SDK_MATH_2(name) double name(double x, double y); float name##f(float x, float y);
PVM_SDK_MATH_1(sqrt) PVM_SDK_MATH_1(cbrt) PVM_SDK_MATH_1(fabs)
PVM_SDK_MATH_1(floor) PVM_SDK_MATH_1(ceil) PVM_SDK_MATH_1(trunc) PVM_SDK_MATH_1(round)
PVM_SDK_MATH_1(rint) PVM_SDK_MATH_1(nearbyint)
PVM_SDK_MATH_1(exp) PVM_SDK_MATH_1(exp2) PVM_SDK_MATH_1(expm1)
PVM_SDK_MATH_1(log) PVM_SDK_MATH_1(log2) PVM_SDK_MATH_1(log10) PVM_SDK_MATH_1(log1p)
PVM_SDK_MATH_1(sin) PVM_SDK_MATH_1(cos) PVM_SDK_MATH_1(tan)
PVM_SDK_MATH_1(asin) PVM_SDK_MATH_1(acos) PVM_SDK_MATH_1(atan)
PVM_SDK_MATH_1(sinh) PVM_SDK_MATH_1(cosh) PVM_SDK_MATH_1(tanh)
PVM_SDK_MATH_2(pow) PVM_SDK_MATH_2(atan2) PVM_SDK_MATH_2(fmod) PVM_SDK_MATH_2(hypot)
PVM_SDK_MATH_2(fmin) PVM_SDK_MATH_2(fmax) PVM_SDK_MATH_2(fdim) PVM_SDK_MATH_2(copysign)
#undef PVM_SDK_MATH_1
#undef PVM_SDK_MATH_2

double frexp(double x, int *exp);
float frexpf(float x, int *exp);
double ldexp(double x, int exp);
float ldexpf(float x, int exp);
double scalbn(double x, int exp);
double modf(double x, double *integral);
float modff(float x, float *integral);
long lround(double x);
long long llround(double x);
long lrint(double x);
double nan(const char *tag);
long double fabsl(long double x);

#endif
