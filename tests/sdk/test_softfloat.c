/* The SDK's soft-float (bench/sdk/runtime/softfloat.c), compiled natively with the prefix
 * pvmsf_ and compared bit for bit with the host: SSE hardware for float and double, libgcc's
 * __float128 routines for the quad long double. Operands: random bit patterns (every class:
 * zeros, subnormals, normals, inf, NaN), random values near each other (cancellation), and
 * edge cases. NaN results are compared as "is a NaN" (payloads are not specified by C). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define SF_PREFIX pvmsf_
#include "runtime/softfloat.c"
#include "vm/util/splitmix.h"

enum { ROUNDS = 200000 };

/* A random value of every class: mostly plain random bits, with the exponent often forced
 * to its extremes (0, 1, max-1, max) or near the other operand's. */
static uint64_t random_bits64(uint64_t *s, int exp_bits, int sig_bits, uint64_t near)
{
    uint64_t r = util_splitmix64(s);
    uint64_t exp_max = (1u << exp_bits) - 1, sig = r & ((1ull << sig_bits) - 1), sign = (r >> 63) & 1;
    uint64_t exp = (util_splitmix64(s) >> 7) & exp_max;
    switch (util_splitmix64(s) % 10) {
    case 0: exp = 0; break;
    case 1: exp = 1; break;
    case 2: exp = exp_max; break;
    case 3: exp = exp_max - 1; break;
    case 4: case 5: case 6: {
        uint64_t e = (near >> sig_bits) & exp_max;
        exp = e + (util_splitmix64(s) % 5) - 2;
        if (exp > exp_max) exp = e;
        break;
    }
    case 7: sig &= ~0ull << (sig_bits / 2); break; /* short significands: exact results, ties */
    default: break;
    }
    if ((util_splitmix64(s) & 31) == 0) sig = 0;
    return sign << (exp_bits + sig_bits) | exp << sig_bits | sig;
}

static float f_of(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static double d_of(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static uint32_t bits_f(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static uint64_t bits_d(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }

#define SAME_F(got, want, what, a, b)                                                          \
    do {                                                                                       \
        float g_ = (got), w_ = (want);                                                         \
        if (!(isnan(g_) && isnan(w_)) && bits_f(g_) != bits_f(w_))                             \
            fail_msg("%s(%a, %a): got %a (%08x), want %a (%08x)", what, (double)(a), (double)(b), \
                     (double)g_, bits_f(g_), (double)w_, bits_f(w_));                          \
    } while (0)
#define SAME_D(got, want, what, a, b)                                                          \
    do {                                                                                       \
        double g_ = (got), w_ = (want);                                                        \
        if (!(isnan(g_) && isnan(w_)) && bits_d(g_) != bits_d(w_))                             \
            fail_msg("%s(%a, %a): got %a, want %a", what, (double)(a), (double)(b), g_, w_);   \
    } while (0)
#define SAME_I(got, want, what, a)                                                             \
    do {                                                                                       \
        if ((got) != (want)) fail_msg("%s(%a): got %lld, want %lld", what, (double)(a),        \
                                      (long long)(got), (long long)(want));                    \
    } while (0)

/* libgcc compare results only have a sign; compare the sign. */
static int sgn(int v) { return (v > 0) - (v < 0); }

static void test_float_ops(void **state)
{
    (void)state;
    uint64_t s = 1;
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t ab = (uint32_t)random_bits64(&s, 8, 23, 0);
        uint32_t bb = (uint32_t)random_bits64(&s, 8, 23, ab);
        float a = f_of(ab), b = f_of(bb);
        SAME_F(pvmsf_addsf3(a, b), a + b, "addsf3", a, b);
        SAME_F(pvmsf_subsf3(a, b), a - b, "subsf3", a, b);
        SAME_F(pvmsf_mulsf3(a, b), a * b, "mulsf3", a, b);
        SAME_F(pvmsf_divsf3(a, b), a / b, "divsf3", a, b);
        SAME_F(pvmsf_negsf2(a), -a, "negsf2", a, 0);
        assert_int_equal(pvmsf_eqsf2(a, b) == 0, a == b);
        assert_int_equal(pvmsf_nesf2(a, b) != 0, a != b);
        assert_int_equal(pvmsf_ltsf2(a, b) < 0, a < b);
        assert_int_equal(pvmsf_lesf2(a, b) <= 0, a <= b);
        assert_int_equal(pvmsf_gtsf2(a, b) > 0, a > b);
        assert_int_equal(pvmsf_gesf2(a, b) >= 0, a >= b);
        assert_int_equal(pvmsf_unordsf2(a, b) != 0, isunordered(a, b));
        SAME_D(pvmsf_extendsfdf2(a), (double)a, "extendsfdf2", a, 0);
        if (fabsf(a) < 2147483520.0f) SAME_I(pvmsf_fixsfsi(a), (int32_t)a, "fixsfsi", a);
        if (a > -1.0f && a < 4294967040.0f) SAME_I(pvmsf_fixunssfsi(a), (uint32_t)a, "fixunssfsi", a);
        if (fabsf(a) < 9.2e18f) SAME_I(pvmsf_fixsfdi(a), (int64_t)a, "fixsfdi", a);
        if (a > -1.0f && a < 1.8e19f) SAME_I(pvmsf_fixunssfdi(a), (uint64_t)a, "fixunssfdi", a);
    }
}

static void test_double_ops(void **state)
{
    (void)state;
    uint64_t s = 2;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t ab = random_bits64(&s, 11, 52, 0);
        uint64_t bb = random_bits64(&s, 11, 52, ab);
        double a = d_of(ab), b = d_of(bb);
        SAME_D(pvmsf_adddf3(a, b), a + b, "adddf3", a, b);
        SAME_D(pvmsf_subdf3(a, b), a - b, "subdf3", a, b);
        SAME_D(pvmsf_muldf3(a, b), a * b, "muldf3", a, b);
        SAME_D(pvmsf_divdf3(a, b), a / b, "divdf3", a, b);
        SAME_D(pvmsf_negdf2(a), -a, "negdf2", a, 0);
        assert_int_equal(pvmsf_eqdf2(a, b) == 0, a == b);
        assert_int_equal(pvmsf_nedf2(a, b) != 0, a != b);
        assert_int_equal(pvmsf_ltdf2(a, b) < 0, a < b);
        assert_int_equal(pvmsf_ledf2(a, b) <= 0, a <= b);
        assert_int_equal(pvmsf_gtdf2(a, b) > 0, a > b);
        assert_int_equal(pvmsf_gedf2(a, b) >= 0, a >= b);
        assert_int_equal(pvmsf_unorddf2(a, b) != 0, isunordered(a, b));
        SAME_F(pvmsf_truncdfsf2(a), (float)a, "truncdfsf2", a, 0);
        if (fabs(a) < 2147483647.0) SAME_I(pvmsf_fixdfsi(a), (int32_t)a, "fixdfsi", a);
        if (a > -1.0 && a < 4294967295.0) SAME_I(pvmsf_fixunsdfsi(a), (uint32_t)a, "fixunsdfsi", a);
        if (fabs(a) < 9.2e18) SAME_I(pvmsf_fixdfdi(a), (int64_t)a, "fixdfdi", a);
        if (a > -1.0 && a < 1.8e19) SAME_I(pvmsf_fixunsdfdi(a), (uint64_t)a, "fixunsdfdi", a);
    }
}

static void test_integer_to_float(void **state)
{
    (void)state;
    uint64_t s = 3;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t u = util_splitmix64(&s) >> (util_splitmix64(&s) & 63);
        int64_t v = (util_splitmix64(&s) & 1) ? -(int64_t)(u >> 1) : (int64_t)u;
        int32_t v32 = (int32_t)v;
        uint32_t u32 = (uint32_t)u;
        SAME_F(pvmsf_floatsisf(v32), (float)v32, "floatsisf", v32, 0);
        SAME_F(pvmsf_floatunsisf(u32), (float)u32, "floatunsisf", u32, 0);
        SAME_F(pvmsf_floatdisf(v), (float)v, "floatdisf", v, 0);
        SAME_F(pvmsf_floatundisf(u), (float)u, "floatundisf", u, 0);
        SAME_D(pvmsf_floatsidf(v32), (double)v32, "floatsidf", v32, 0);
        SAME_D(pvmsf_floatunsidf(u32), (double)u32, "floatunsidf", u32, 0);
        SAME_D(pvmsf_floatdidf(v), (double)v, "floatdidf", v, 0);
        SAME_D(pvmsf_floatundidf(u), (double)u, "floatundidf", u, 0);
        s128 w = (s128)v * (int64_t)(util_splitmix64(&s) >> (util_splitmix64(&s) & 63));
        SAME_D(pvmsf_floattidf(w), (double)w, "floattidf", (double)w, 0);
        SAME_D(pvmsf_floatuntidf((u128)w), (double)(u128)w, "floatuntidf", (double)w, 0);
        SAME_F(pvmsf_floattisf(w), (float)w, "floattisf", (double)w, 0);
    }
    SAME_D(pvmsf_floatdidf(INT64_MIN), (double)INT64_MIN, "floatdidf", 0, 0);
    SAME_I(pvmsf_fixdfdi(-9223372036854775808.0), INT64_MIN, "fixdfdi", 0);
}

/* Quad: against libgcc's __float128 routines (the host has no quad hardware). */
static int same_q(sf_quad a, sf_quad b)
{
    u128 x, y;
    memcpy(&x, &a, 16);
    memcpy(&y, &b, 16);
    int nan_a = (x << 1) > ((u128)0x7fff << 113), nan_b = (y << 1) > ((u128)0x7fff << 113);
    return (nan_a && nan_b) || x == y;
}

static sf_quad q_of(u128 b) { sf_quad q; memcpy(&q, &b, 16); return q; }

static void test_quad_ops(void **state)
{
    (void)state;
    uint64_t s = 4;
    for (int i = 0; i < ROUNDS / 4; i++) {
        uint64_t hia = random_bits64(&s, 15, 48, 0), hib = random_bits64(&s, 15, 48, hia);
        u128 ab = (u128)hia << 64 | util_splitmix64(&s), bb = (u128)hib << 64 | util_splitmix64(&s);
        if (util_splitmix64(&s) & 1) bb &= ~(u128)0 << 64; /* short significands: ties */
        sf_quad a = q_of(ab), b = q_of(bb);
        assert_true(same_q(pvmsf_addtf3(a, b), a + b));
        assert_true(same_q(pvmsf_subtf3(a, b), a - b));
        assert_true(same_q(pvmsf_multf3(a, b), a * b));
        assert_true(same_q(pvmsf_divtf3(a, b), a / b));
        assert_int_equal(sgn(pvmsf_letf2(a, b)) <= 0, a <= b);
        assert_int_equal(sgn(pvmsf_getf2(a, b)) >= 0, a >= b);
        assert_int_equal(pvmsf_eqtf2(a, b) == 0, a == b);
        double d = (double)a;
        SAME_D(pvmsf_trunctfdf2(a), d, "trunctfdf2", 0, 0);
        SAME_F(pvmsf_trunctfsf2(a), (float)a, "trunctfsf2", 0, 0);
        assert_true(same_q(pvmsf_extenddftf2(d), (sf_quad)d));
        assert_true(same_q(pvmsf_extendsftf2((float)d), (sf_quad)(float)d));
        if (d > -9.2e18 && d < 9.2e18) SAME_I(pvmsf_fixtfdi(a), (int64_t)a, "fixtfdi", d);
        int64_t v = (int64_t)util_splitmix64(&s) >> (util_splitmix64(&s) & 63);
        assert_true(same_q(pvmsf_floatditf(v), (sf_quad)v));
        assert_true(same_q(pvmsf_floatunditf((uint64_t)v), (sf_quad)(uint64_t)v));
        assert_true(same_q(pvmsf_floatsitf((int32_t)v), (sf_quad)(int32_t)v));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_ops),
        cmocka_unit_test(test_double_ops),
        cmocka_unit_test(test_integer_to_float),
        cmocka_unit_test(test_quad_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
