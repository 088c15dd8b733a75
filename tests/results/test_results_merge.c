/* Merging databases: ids are remapped, nothing is duplicated, merging twice adds nothing. */
#include "results_fixture.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct two_stores {
    char dir[64];
    char main_path[160], other_path[160];
    pvmlab_db *main, *other;
    results_ids main_ids, other_ids;
} two_stores;

static void add_samples(pvmlab_db *db, const results_ids *ids, int count)
{
    pvmlab_counter_reading readings[] = {
        {.name = "wall_ns", .source = PVMLAB_SOURCE_CLOCK, .available = true, .value = 7},
        {.name = "cycles", .source = PVMLAB_SOURCE_PMU, .unavailable_reason = "no hardware PMU: test"},
    };
    assert_int_equal(pvmlab_db_batch_begin(db), 0);
    for (int i = 0; i < count; i++) {
        pvmlab_sample sample = {.run = ids->run, .engine = ids->engine, .benchmark = ids->benchmark,
                                .mode = "interp", .repetition = i, .wall_ns = 100 + i};
        assert_int_equal(pvmlab_db_insert_sample(db, &sample, readings, 2, NULL), 0);
    }
    assert_int_equal(pvmlab_db_batch_commit(db), 0);
}

static void add_calibration(pvmlab_db *db, pvmlab_id run)
{
    pvmlab_calibration calibration = {.run = run, .backend = "tsc", .model_kind = "table"};
    pvmlab_calibration_value values[] = {{.key = "add_64", .value_ps = 250, .value_cycles = 1, .mad = 0, .n = 3}};
    pvmlab_id calibration_id, table_id;
    assert_int_equal(pvmlab_db_store_calibration(db, &calibration, values, 1, &calibration_id), 0);
    assert_int_equal(pvmlab_db_store_cost_table(db, calibration_id, "table", "add_64 1\n", &table_id, NULL), 0);
}

static int stores_setup(void **state)
{
    two_stores *s = calloc(1, sizeof *s);
    char err[PVMLAB_DB_ERROR_MAX];
    if (!s || test_make_temp_dir(s->dir, sizeof s->dir) != 0)
        return -1;
    test_path(s->main_path, sizeof s->main_path, s->dir, "main.db");
    test_path(s->other_path, sizeof s->other_path, s->dir, "other.db");
    if (pvmlab_db_open(s->main_path, NULL, &s->main, err, sizeof err) != 0
        || pvmlab_db_open(s->other_path, NULL, &s->other, err, sizeof err) != 0)
        return -1;
    /* The other file inserts a different engine first, so its ids differ from main's. */
    pvmlab_id unrelated;
    assert_int_equal(pvmlab_db_insert_engine(s->other, "wasmtime", "1.0", "", &unrelated), 0);
    results_populate(s->main, "pvm-interp", &s->main_ids);
    results_populate(s->other, "pvm-interp", &s->other_ids);
    add_samples(s->main, &s->main_ids, 3);
    add_samples(s->other, &s->other_ids, 5);
    add_calibration(s->other, s->other_ids.run);
    *state = s;
    return 0;
}

static int stores_teardown(void **state)
{
    two_stores *s = *state;
    pvmlab_db_close(s->main);
    pvmlab_db_close(s->other);
    test_remove_tree(s->dir);
    free(s);
    return 0;
}

static void assert_merged_counts(pvmlab_db *db)
{
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM machines"), 1);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM builds"), 1);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM engines"), 2);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM benchmarks"), 1);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM samples"), 8);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM counter_readings"), 16);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM counter_readings WHERE value IS NULL"), 8);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM calibrations"), 1);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM calibration_values"), 1);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM cost_tables"), 1);
}

static void test_merge_twice_adds_nothing_the_second_time(void **state)
{
    two_stores *s = *state;
    char summary[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_merge(s->main, s->other_path, summary, sizeof summary), 0);
    print_message("    first:  %s\n", summary);
    assert_merged_counts(s->main);
    /* The other run's samples point at the mapped engine "pvm-interp", not at "wasmtime". */
    assert_int_equal(results_query_int(s->main, "SELECT count(*) FROM samples s JOIN engines e ON e.id = s.engine_id"
                                                " WHERE e.name = 'pvm-interp'"),
                     8);
    assert_int_equal(pvmlab_db_merge(s->main, s->other_path, summary, sizeof summary), 0);
    print_message("    second: %s\n", summary);
    assert_non_null(strstr(summary, "+0 samples"));
    assert_merged_counts(s->main);

    char verdict[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_check(s->main_path, verdict, sizeof verdict), 0);
}

static void test_merge_completes_a_run_that_was_running(void **state)
{
    two_stores *s = *state;
    assert_int_equal(pvmlab_db_merge(s->main, s->other_path, NULL, 0), 0);
    assert_int_equal(results_query_int(s->main, "SELECT count(*) FROM runs WHERE status = 'running'"), 2);
    assert_int_equal(pvmlab_db_run_end(s->other, s->other_ids.run, "ok"), 0);
    assert_int_equal(pvmlab_db_merge(s->main, s->other_path, NULL, 0), 0);
    assert_int_equal(results_query_int(s->main, "SELECT count(*) FROM runs WHERE status = 'ok'"), 1);
    assert_int_equal(results_query_int(s->main, "SELECT count(*) FROM runs"), 2);
}

static void test_merge_rejects_bad_sources(void **state)
{
    two_stores *s = *state;
    char garbage[200], missing[200];
    test_path(garbage, sizeof garbage, s->dir, "garbage.db");
    test_path(missing, sizeof missing, s->dir, "missing.db");
    assert_int_equal(test_write_garbage(garbage, 0, 4096), 0);
    assert_int_equal(pvmlab_db_merge(s->main, garbage, NULL, 0), -1);
    assert_non_null(strstr(pvmlab_db_error(s->main), "not an SQLite database"));
    assert_int_equal(pvmlab_db_merge(s->main, missing, NULL, 0), -1);
    print_message("    missing: %s\n", pvmlab_db_error(s->main));
    assert_non_null(strstr(pvmlab_db_error(s->main), missing));
    assert_int_equal(pvmlab_db_merge(s->main, s->main_path, NULL, 0), -1);
    assert_non_null(strstr(pvmlab_db_error(s->main), "same file"));
    /* Nothing changed, and the store still works. */
    assert_int_equal(results_query_int(s->main, "SELECT count(*) FROM samples"), 3);
    add_samples(s->main, &(results_ids){.run = s->main_ids.run, .engine = s->main_ids.engine,
                                        .benchmark = s->main_ids.benchmark}, 0);
}

int main(void)
{
#define STORES_TEST(f) cmocka_unit_test_setup_teardown(f, stores_setup, stores_teardown)
    const struct CMUnitTest tests[] = {
        STORES_TEST(test_merge_twice_adds_nothing_the_second_time),
        STORES_TEST(test_merge_completes_a_run_that_was_running),
        STORES_TEST(test_merge_rejects_bad_sources),
    };
    return cmocka_run_group_tests_name("results_merge", tests, NULL, NULL);
}
