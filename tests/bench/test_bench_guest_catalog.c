/* The two C views of bench/guests/guests.def agree: the runner's compiled-in table
 * (guest_catalog.c, the file as an X-macro) and the run-time reader of the toolkit
 * (util_guest_manifest_read, used by the fidelity and guest-mix tools) give the
 * same guests, in the same order, with the same sizes and checksums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/runner/guest_catalog.h"
#include "vm/util/guest_manifest.h"

static void catalog_equals_manifest_read(void **state)
{
    (void)state;
    util_guest *read = NULL;
    size_t n_read = 0;
    char err[512] = "";
    if (util_guest_manifest_read(PVMLAB_GUESTS_DEF, &read, &n_read, err, sizeof err) != 0) fail_msg("%s", err);
    size_t n_catalog = 0;
    const bench_guest_entry *catalog = bench_guest_catalog(&n_catalog);
    assert_true(n_catalog >= 10);
    assert_int_equal(n_read, n_catalog);
    for (size_t i = 0; i < n_catalog; i++) {
        assert_string_equal(read[i].name, catalog[i].name);
        assert_int_equal(read[i].quick_size, catalog[i].quick_size);
        assert_int_equal(read[i].full_size, catalog[i].full_size);
        assert_int_equal(read[i].quick_checksum, catalog[i].quick_checksum);
        assert_int_equal(read[i].full_checksum, catalog[i].full_checksum);
        assert_ptr_equal(util_guest_find(read, n_read, catalog[i].name), &read[i]);
        assert_ptr_equal(bench_guest_find(catalog[i].name), &catalog[i]);
    }
    free(read);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(catalog_equals_manifest_read)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
