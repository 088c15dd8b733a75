/* --shard K/N: parsing, and the split itself: every key lands in exactly one of the N
 * shards, the owner depends only on the key and N (not on which other keys exist or their
 * order), and a pinned key keeps its shard (the hash is stable across builds and machines). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vm/util/work_shard.h"

static void parses_k_of_n(void **state)
{
    (void)state;
    work_shard shard;
    assert_true(work_shard_parse("1/1", &shard));
    assert_true(work_shard_parse("3/4", &shard));
    assert_int_equal(shard.index, 3);
    assert_int_equal(shard.count, 4);
    static const char *const bad[] = {"", "1", "0/2", "3/2", "1/0", "-1/2", "1/-2", "a/2", "1/b", "1/2/3",
                                      "1//2", "/2", "1/", "1/65537", " 1/2", "1/2 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (work_shard_parse(bad[i], &shard))
            fail_msg("'%s' was accepted", bad[i]);
}

static void every_key_in_exactly_one_shard(void **state)
{
    (void)state;
    char key[64];
    for (unsigned n = 1; n <= 7; n++) {
        unsigned per_shard[8] = {0};
        for (int i = 0; i < 500; i++) {
            snprintf(key, sizeof key, "guest-%d/%d", i, i * 37);
            unsigned owners = 0;
            for (unsigned k = 1; k <= n; k++) {
                work_shard shard = {k, n};
                if (work_shard_owns(&shard, key)) {
                    owners++;
                    per_shard[k]++;
                }
            }
            assert_int_equal(owners, 1);
        }
        for (unsigned k = 1; k <= n; k++)
            assert_true(per_shard[k] > 500 / n / 2); /* roughly even, none empty */
    }
    /* Not sharded: everything is ours. */
    assert_true(work_shard_owns(NULL, "anything"));
    work_shard none = {0, 0};
    assert_true(work_shard_owns(&none, "anything"));
}

/* The owner of a key is FNV-1a 64 of the key modulo N, pinned here: a change of the hash
 * would move guests between shards from one pvmlab version to the next, so that shards
 * measured by different versions would no longer add up to the suite.
 * FNV-1a("crc32/4096") = 0x4086a525a295314e, FNV-1a("sieve/5000000") = 0x4bcc35332bc60b25. */
static void owner_is_pinned(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        unsigned count, owner;
    } pinned[] = {{"crc32/4096", 2, 1},    {"crc32/4096", 3, 2},    {"crc32/4096", 4, 3},
                  {"sieve/5000000", 2, 2}, {"sieve/5000000", 3, 1}, {"sieve/5000000", 4, 2}};
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++)
        for (unsigned k = 1; k <= pinned[i].count; k++) {
            work_shard shard = {k, pinned[i].count};
            assert_int_equal(work_shard_owns(&shard, pinned[i].key), k == pinned[i].owner);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_k_of_n),
        cmocka_unit_test(every_key_in_exactly_one_shard),
        cmocka_unit_test(owner_is_pinned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
