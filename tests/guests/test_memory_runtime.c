/* The SDK's memcpy/memmove/memset/memcmp (bench/sdk/runtime/memory.c), compiled natively
 * under other names so they do not replace libc's, against byte-at-a-time expectations
 * for every small length and every alignment of source and destination. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define memcpy sdk_memcpy
#define memmove sdk_memmove
#define memset sdk_memset
#define memcmp sdk_memcmp
#include "runtime/memory.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp

#define AREA 128 /* room for offset 64 + 15 + MAX_LENGTH */
#define MAX_LENGTH 40

static void fill_pattern(unsigned char *area)
{
    for (int i = 0; i < AREA; i++)
        area[i] = (unsigned char)(i * 7 + 3);
}

static void test_copy_and_move(void **unused)
{
    (void)unused;
    for (int dst = 0; dst < 16; dst++)
        for (int src = 0; src < 16; src++)
            for (int n = 0; n <= MAX_LENGTH; n++) {
                unsigned char area[AREA], want[AREA];
                /* memcpy between disjoint halves: [0, 56) and [64, 120) */
                fill_pattern(area);
                fill_pattern(want);
                for (int i = 0; i < n; i++)
                    want[64 + dst + i] = want[src + i];
                assert_ptr_equal(sdk_memcpy(area + 64 + dst, area + src, (size_t)n), area + 64 + dst);
                assert_memory_equal(area, want, AREA);
                /* memmove within one overlapping window, both directions */
                fill_pattern(area);
                fill_pattern(want);
                unsigned char copy[MAX_LENGTH];
                for (int i = 0; i < n; i++)
                    copy[i] = want[src + 8 + i];
                for (int i = 0; i < n; i++)
                    want[dst + 8 + i] = copy[i];
                assert_ptr_equal(sdk_memmove(area + dst + 8, area + src + 8, (size_t)n), area + dst + 8);
                assert_memory_equal(area, want, AREA);
            }
}

static void test_set_and_compare(void **unused)
{
    (void)unused;
    for (int at = 0; at < 16; at++)
        for (int n = 0; n <= MAX_LENGTH; n++) {
            unsigned char area[AREA], want[AREA];
            fill_pattern(area);
            fill_pattern(want);
            for (int i = 0; i < n; i++)
                want[at + i] = 0xa5;
            assert_ptr_equal(sdk_memset(area + at, 0x1a5, (size_t)n), area + at); /* int is truncated */
            assert_memory_equal(area, want, AREA);

            assert_int_equal(sdk_memcmp(area, want, AREA), 0);
            if (n > 0) {
                want[at + n - 1] = 0xa6; /* area is now smaller at that byte */
                assert_true(sdk_memcmp(area + at, want + at, (size_t)n) < 0);
                assert_true(sdk_memcmp(want + at, area + at, (size_t)n) > 0);
                assert_int_equal(sdk_memcmp(area + at, want + at, (size_t)n - 1), 0);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_and_move),
        cmocka_unit_test(test_set_and_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
