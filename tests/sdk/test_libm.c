/* The SDK's libm (bench/sdk/libm), compiled natively, against glibc's libm (opened with
 * dlopen, so both are in one process under the same names): exactly specified functions
 * must agree bit for bit, the others within the ulp bound math.h documents. Prints the
 * largest difference seen per function. The same code on the PVM targets is checked by
 * tests/sdk/programs/libc_check.c against this native build. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include "vm/util/splitmix.h"

/* the SDK's functions (linked in statically; no -lm) */
#define D1(n) double n(double);
#define D2(n) double n(double, double);
D1(sqrt) D1(cbrt) D1(fabs) D1(floor) D1(ceil) D1(trunc) D1(round) D1(rint) D1(exp) D1(exp2) D1(expm1)
D1(log) D1(log2) D1(log10) D1(log1p) D1(sin) D1(cos) D1(tan) D1(asin) D1(acos) D1(atan) D1(sinh)
D1(cosh) D1(tanh) D2(pow) D2(atan2) D2(fmod) D2(hypot) D2(fmin) D2(fmax) D2(copysign)
double ldexp(double, int);
double frexp(double, int *);

static void *libm;

static double uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(util_splitmix64(s) >> 11) * 0x1p-53;
}

/* Distance in units in the last place; NaN == NaN, inf == inf. */
static double ulps(double got, double want)
{
    if (got != got && want != want) return 0;
    if (got == want) return 0;
    if (got != got || want != want || __builtin_isinf(got) || __builtin_isinf(want)) return 1e30;
    int e;
    frexp(want, &e);
    double ulp = ldexp(1.0, (e - 53 < -1074 ? -1074 : e - 53));
    return __builtin_fabs(got - want) / ulp;
}

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);

static void check1(const char *name, fn1 ours, double lo, double hi, double bound)
{
    fn1 ref = (fn1)dlsym(libm, name);
    assert_non_null(ref);
    uint64_t s = 7;
    double worst = 0, at = 0;
    for (int i = 0; i < 20000; i++) {
        double x = i < 10000 ? uniform(&s, lo, hi) : uniform(&s, lo, hi) * ldexp(1.0, -(int)(util_splitmix64(&s) % 40));
        double u = ulps(ours(x), ref(x));
        if (u > worst) worst = u, at = x;
    }
    printf("%-8s max %.2f ulp (at %a)\n", name, worst, at);
    if (worst > bound) fail_msg("%s(%a): %.3g ulp > %.3g", name, at, worst, bound);
}

static void check2(const char *name, fn2 ours, double lo, double hi, double lo2, double hi2, double bound)
{
    fn2 ref = (fn2)dlsym(libm, name);
    assert_non_null(ref);
    uint64_t s = 11;
    double worst = 0, ax = 0, ay = 0;
    for (int i = 0; i < 20000; i++) {
        double x = uniform(&s, lo, hi), y = uniform(&s, lo2, hi2);
        double u = ulps(ours(x, y), ref(x, y));
        if (u > worst) worst = u, ax = x, ay = y;
    }
    printf("%-8s max %.2f ulp (at %a, %a)\n", name, worst, ax, ay);
    if (worst > bound) fail_msg("%s(%a, %a): %.3g ulp > %.3g", name, ax, ay, worst, bound);
}

static void test_exact(void **state)
{
    (void)state;
    check1("sqrt", sqrt, 0, 1e300, 0);
    check1("sqrt", sqrt, 0, 1e-300, 0);
    check1("fabs", fabs, -1e10, 1e10, 0);
    check1("floor", floor, -1e6, 1e6, 0);
    check1("ceil", ceil, -1e6, 1e6, 0);
    check1("trunc", trunc, -1e6, 1e6, 0);
    check1("round", round, -1e3, 1e3, 0);
    check1("rint", rint, -1e3, 1e3, 0);
    check2("fmod", fmod, -1e10, 1e10, -1e3, 1e3, 0);
    check2("fmod", fmod, -1e300, 1e300, -1e-3, 1e-3, 0);
    check2("fmin", fmin, -1, 1, -1, 1, 0);
    check2("fmax", fmax, -1, 1, -1, 1, 0);
    check2("copysign", copysign, -1, 1, -1, 1, 0);
    assert_true(sqrt(-1.0) != sqrt(-1.0));
    assert_true(floor(-0.5) == -1.0 && ceil(-0.5) == 0.0 && __builtin_signbit(ceil(-0.5)));
    assert_true(round(2.5) == 3.0 && rint(2.5) == 2.0 && rint(3.5) == 4.0);
}

static void test_transcendental(void **state)
{
    (void)state;
    check1("exp", exp, -700, 700, 2);
    check1("exp2", exp2, -1000, 1000, 2);
    check1("expm1", expm1, -5, 5, 3);
    check1("log", log, 0, 1e300, 2);
    check1("log", log, 0.5, 2, 2);
    check1("log2", log2, 0, 1e10, 3);
    check1("log10", log10, 0, 1e10, 3);
    check1("log1p", log1p, -0.9, 10, 3);
    check1("sin", sin, -100, 100, 4);
    check1("cos", cos, -100, 100, 10); /* near its zeros */
    check1("tan", tan, -1.5, 1.5, 4);
    check1("asin", asin, -1, 1, 4);
    check1("acos", acos, -1, 1, 4);
    check1("atan", atan, -50, 50, 3);
    check1("sinh", sinh, -20, 20, 6);
    check1("cosh", cosh, -20, 20, 4);
    check1("tanh", tanh, -20, 20, 4);
    check1("cbrt", cbrt, -1e10, 1e10, 4);
    check2("atan2", atan2, -10, 10, -10, 10, 4);
    check2("hypot", hypot, -1e10, 1e10, -1e10, 1e10, 2);
    check2("pow", pow, 0, 10, -30, 30, 1000); /* ~1e-13 relative, as math.h says */
    check2("pow", pow, -10, 10, -20, 20, 1000);
}

int main(void)
{
    libm = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!libm) {
        printf("SKIPPED: cannot open glibc's libm.so.6: %s\n", dlerror());
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_transcendental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
