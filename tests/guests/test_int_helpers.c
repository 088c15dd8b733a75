/* The SDK's double-word integer helpers (bench/sdk/runtime/int_helpers.c), compiled natively
 * as static functions and compared with the host compiler's own 64- and 128-bit operators
 * on random and edge-case operands. (tests/guests/int_ops.c checks the same code on the
 * real targets, through the ABI names.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define PVM_RT_TEST_ONLY 1
#include "runtime/int_helpers.c"
#include "vm/util/splitmix.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

/* Random value with a random number of leading zero bits, to hit short and long divisions. */
static uint64_t random_width(uint64_t *state)
{
    return util_splitmix64(state) >> (util_splitmix64(state) & 63);
}

/* Compares the SUFFIX helpers with the C operators on unsigned a, b and signed sa, sb
 * (b and sb non-zero, and not the overflowing MIN / -1). */
#define CHECK_AGAINST_OPERATORS(SUFFIX, UT, ST, a, b, sa, sb)                                 \
    do {                                                                                      \
        UT r;                                                                                 \
        assert_true(udivmod_##SUFFIX(a, b, &r) == (a) / (b));                                 \
        assert_true(r == (a) % (b));                                                          \
        assert_true(mul_##SUFFIX(a, b) == (UT)((a) * (b)));                                   \
        ST sr;                                                                                \
        assert_true(sdivmod_##SUFFIX(sa, sb, &sr) == (sa) / (sb));                            \
        assert_true(sr == (sa) % (sb));                                                       \
    } while (0)

static void test_64_bit(void **unused)
{
    (void)unused;
    uint64_t state = 1;
    for (int i = 0; i < 200000; i++) {
        uint64_t a = random_width(&state), b = random_width(&state) | 1;
        /* Halving keeps the signed operands away from INT64_MIN / -1. */
        int64_t sa = (int64_t)(a >> 1) * ((i & 1) ? -1 : 1);
        int64_t sb = (int64_t)(b >> 1 | 1) * ((i & 2) ? -1 : 1);
        CHECK_AGAINST_OPERATORS(di, uint64_t, int64_t, a, b, sa, sb);
    }
}

static void test_128_bit(void **unused)
{
    (void)unused;
    uint64_t state = 2;
    for (int i = 0; i < 100000; i++) {
        u128 a = (u128)random_width(&state) << (i & 64) | random_width(&state);
        u128 b = (u128)random_width(&state) << ((i >> 1) & 64) | random_width(&state) | 1;
        s128 sa = (i & 4) ? -(s128)(a >> 1) : (s128)(a >> 1);
        s128 sb = (i & 8) ? -(s128)(b >> 1 | 1) : (s128)(b >> 1 | 1);
        CHECK_AGAINST_OPERATORS(ti, u128, s128, a, b, sa, sb);
    }
}

/* Division by zero follows RISC-V divu/remu: quotient all ones, remainder the dividend. */
static void test_division_by_zero(void **unused)
{
    (void)unused;
    uint64_t r64;
    assert_true(udivmod_di(12345, 0, &r64) == UINT64_MAX);
    assert_true(r64 == 12345);
    u128 r128;
    assert_true(udivmod_ti(7, 0, &r128) == ~(u128)0);
    assert_true(r128 == 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_64_bit),
        cmocka_unit_test(test_128_bit),
        cmocka_unit_test(test_division_by_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
