/* Shared by the SDK's libm files: bit access and the kernels other files reuse. */
#ifndef PVM_SDK_LIBM_INTERNAL_H
#define PVM_SDK_LIBM_INTERNAL_H
#include <math.h>
#include <stdint.h>

static inline uint64_t bits_of(double x)
{
    uint64_t b;
    __builtin_memcpy(&b, &x, 8);
    return b;
}
static inline double double_of(uint64_t b)
{
    double x;
    __builtin_memcpy(&x, &b, 8);
    return x;
}

/* log(x) = k ln2 + log_m for x > 0 finite; log_m = log(m), m in [sqrt(1/2), sqrt(2)). */
double pvm_libm_log_parts(double x, int *k);
/* sin/cos of r, |r| <= pi/4 */
double pvm_libm_sin_kernel(double r);
double pvm_libm_cos_kernel(double r);

#endif
