/* The kept-block pool of util_alloc_large (vm/util/large_alloc.h): a freed block goes to the
 * next allocation it fits best, so that compiling the same program again finds every one
 * of its arrays kept and clears no fresh huge page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "vm/util/large_alloc.h"

#define MIB ((size_t)1 << 20)

/* A compile's arrays of 8 and 4 MiB, freed larger first, come back each to its own size:
 * with the first that fit, the 4 MiB request took the 8 MiB block and the 8 MiB request
 * got a fresh one. */
static void each_array_gets_its_own_block_back(void **unused)
{
    (void)unused;
    for (int round = 0; round < 3; round++) {
        unsigned char *big = util_alloc_large(8 * MIB), *small = util_alloc_large(4 * MIB);
        assert_non_null(big);
        assert_non_null(small);
        memset(big, 1, 8 * MIB);
        memset(small, 2, 4 * MIB);
        util_free_large(big, 8 * MIB);
        util_free_large(small, 4 * MIB);
        unsigned char *small2 = util_alloc_large(4 * MIB), *big2 = util_alloc_large(8 * MIB);
        assert_ptr_equal(small2, small);
        assert_ptr_equal(big2, big);
        util_free_large(small2, 4 * MIB);
        util_free_large(big2, 8 * MIB);
    }
}

/* A block more than twice the request is not handed out (it would hold memory the
 * request does not need), and a request larger than every kept block gets a new one. */
static void no_block_far_too_large_or_too_small(void **unused)
{
    (void)unused;
    unsigned char *big = util_alloc_large(16 * MIB);
    assert_non_null(big);
    util_free_large(big, 16 * MIB);
    unsigned char *small = util_alloc_large(2 * MIB);
    assert_non_null(small);
    assert_ptr_not_equal(small, big);
    unsigned char *larger = util_alloc_large(32 * MIB);
    assert_non_null(larger);
    assert_ptr_not_equal(larger, big);
    unsigned char *again = util_alloc_large(16 * MIB);
    assert_ptr_equal(again, big);
    util_free_large(small, 2 * MIB);
    util_free_large(larger, 32 * MIB);
    util_free_large(again, 16 * MIB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_array_gets_its_own_block_back),
        cmocka_unit_test(no_block_far_too_large_or_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
