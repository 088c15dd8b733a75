/* The kept-block pool of util_alloc_large (vm/util/large_alloc.h): a freed block goes to the
 * next allocation it fits best, so that compiling the same program again finds every one
 * of its arrays kept and clears no fresh huge page; a block is reused only in the lane it was
 * freed in (a compile's second thread gets back what it wrote itself). */
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

/* Two same-size blocks, one freed in each lane, come back each in its own lane, whatever
 * the order of the requests; a lane with nothing kept gets a new block rather than the
 * other lane's. */
static void blocks_stay_in_their_lane(void **unused)
{
    (void)unused;
    for (int round = 0; round < 2; round++) {
        unsigned char *first = util_alloc_large_lane(6 * MIB, 0), *second = util_alloc_large_lane(6 * MIB, 1);
        assert_non_null(first);
        assert_non_null(second);
        util_free_large_lane(first, 6 * MIB, 0);
        util_free_large_lane(second, 6 * MIB, 1);
        unsigned char *again1 = util_alloc_large_lane(6 * MIB, round ? 1 : 0);
        unsigned char *again2 = util_alloc_large_lane(6 * MIB, round ? 0 : 1);
        assert_ptr_equal(again1, round ? second : first);
        assert_ptr_equal(again2, round ? first : second);
        util_free_large_lane(again1, 6 * MIB, round ? 1 : 0);
        util_free_large_lane(again2, 6 * MIB, round ? 0 : 1);
    }
    unsigned char *only = util_alloc_large_lane(10 * MIB, 1);
    assert_non_null(only);
    util_free_large_lane(only, 10 * MIB, 1);
    unsigned char *other = util_alloc_large(10 * MIB); /* lane 0: not lane 1's block */
    assert_non_null(other);
    assert_ptr_not_equal(other, only);
    util_free_large(other, 10 * MIB);
    unsigned char *back = util_alloc_large_lane(10 * MIB, 1);
    assert_ptr_equal(back, only);
    util_free_large_lane(back, 10 * MIB, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_array_gets_its_own_block_back),
        cmocka_unit_test(no_block_far_too_large_or_too_small),
        cmocka_unit_test(blocks_stay_in_their_lane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
