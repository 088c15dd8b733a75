/* The store API: provenance rows, samples with NULL counters, batches, queries, calibrations. */
#include "results_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vm/util/cpu_pin.h"
#include "costmodel/counters/counters.h"

static pvmlab_counter_reading available_reading(const char *name, pvmlab_counter_source source, int64_t value)
{
    pvmlab_counter_reading reading = {.source = source, .available = true, .value = value};
    snprintf(reading.name, sizeof reading.name, "%s", name);
    return reading;
}

static pvmlab_counter_reading missing_reading(const char *name, const char *reason)
{
    pvmlab_counter_reading reading = {.source = PVMLAB_SOURCE_PMU, .available = false};
    snprintf(reading.name, sizeof reading.name, "%s", name);
    snprintf(reading.unavailable_reason, sizeof reading.unavailable_reason, "%s", reason);
    return reading;
}

static pvmlab_sample make_sample(const results_ids *ids, int64_t repetition)
{
    return (pvmlab_sample){
        .run = ids->run,
        .engine = ids->engine,
        .benchmark = ids->benchmark,
        .mode = "interp",
        .repetition = repetition,
        .wall_ns = 1000 + repetition,
        .gas = {true, 500},
        .instructions = {false, 0},
        .checksum = {true, 0x1234},
    };
}

static void test_get_or_insert_returns_the_same_ids(void **state)
{
    results_fixture *fixture = *state;
    results_ids again;
    results_populate(fixture->db, "pvm-interp", &again);
    assert_int_equal(again.machine, fixture->ids.machine);
    assert_int_equal(again.build, fixture->ids.build);
    assert_int_equal(again.engine, fixture->ids.engine);
    assert_int_equal(again.benchmark, fixture->ids.benchmark);
    assert_int_not_equal(again.run, fixture->ids.run); /* every run is new */
    assert_int_equal(results_query_int(fixture->db, "SELECT count(*) FROM machines"), 1);
    assert_int_equal(results_query_int(fixture->db, "SELECT count(DISTINCT uuid) FROM runs"), 2);
}

static void test_detected_machine_is_stored(void **state)
{
    results_fixture *fixture = *state;
    pvmlab_machine_info info;
    pvmlab_machine_detect_counters(&info);
    assert_true(info.hostname[0] != '\0');
    assert_true(info.cores >= 1);
    assert_true(info.pmu_available || info.pmu_reason[0] != '\0');
    pvmlab_id id;
    assert_int_equal(pvmlab_db_insert_machine(fixture->db, &info, &id), 0);
    assert_int_not_equal(id, fixture->ids.machine);
}

/* The run's pinning as the provenance tells it: unpinned when the thread may run on every
 * online CPU, else "pinned to CPU N" for one CPU (the text util_cpu_mask_describe writes for
 * the mask, ranges for several). */
static void test_pinning_is_described(void **state)
{
    (void)state;
    util_cpu_mask saved;
    assert_true(util_cpu_mask_save(&saved));
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    pvmlab_run_environment env;
    pvmlab_run_environment_detect(&env);
    if (util_cpu_mask_count(&saved) >= online) assert_non_null(strstr(env.pinned, "no (may run on any of the"));
    char why[256];
    int cpu = util_cpu_pin(-1, why, sizeof why);
    assert_true(cpu >= 0);
    pvmlab_run_environment_detect(&env);
    assert_true(util_cpu_mask_restore(&saved));
    char want[64];
    if (online > 1) {
        snprintf(want, sizeof want, "pinned to CPU %d", cpu);
        assert_string_equal(env.pinned, want);
    } else {
        print_message("one online CPU: pinning to it leaves the run unpinned\n");
        assert_non_null(strstr(env.pinned, "no (may run on any of the 1 online CPUs)"));
    }
}

static void test_unavailable_counter_is_stored_as_null_not_zero(void **state)
{
    results_fixture *fixture = *state;
    pvmlab_counter_reading readings[] = {
        available_reading("tsc_cycles", PVMLAB_SOURCE_TSC, 123456),
        available_reading("page_faults", PVMLAB_SOURCE_SOFTWARE, 0), /* a real zero */
        missing_reading("cycles", "no hardware PMU: perf_event_open(PERF_TYPE_HARDWARE, cycles) -> ENOENT"),
    };
    pvmlab_sample sample = make_sample(&fixture->ids, 0);
    pvmlab_id sample_id;
    assert_int_equal(pvmlab_db_insert_sample(fixture->db, &sample, readings, 3, &sample_id), 0);

    assert_int_equal(results_query_int(fixture->db, "SELECT value IS NULL FROM counter_readings WHERE name = 'cycles'"), 1);
    assert_int_equal(results_query_int(fixture->db, "SELECT count(*) FROM counter_readings WHERE value = 0"), 1);
    assert_int_equal(results_query_int(fixture->db,
                                       "SELECT unavailable_reason LIKE 'no hardware PMU:%' FROM counter_readings"
                                       " WHERE name = 'cycles'"),
                     1);
    assert_int_equal(results_query_int(fixture->db, "SELECT instructions IS NULL FROM samples"), 1);
    assert_int_equal(results_query_int(fixture->db, "SELECT gas FROM samples"), 500);
    /* The schema itself refuses a NULL without a reason. */
    int rc = sqlite3_exec(pvmlab_db_sqlite(fixture->db),
                          "INSERT INTO counter_readings (sample_id, name, value, source) VALUES (1, 'x', NULL, 'pmu')",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
}

typedef struct collected {
    int samples, readings, unavailable;
    pvmlab_id last_sample;
    char reason[PVMLAB_COUNTER_TEXT_MAX];
} collected;

static int collect_sample(const pvmlab_sample_row *row, void *context)
{
    collected *seen = context;
    assert_string_equal(row->engine, "pvm-interp");
    assert_string_equal(row->benchmark, "loop");
    assert_int_equal(row->size, 1000);
    assert_int_equal(row->repetition, seen->samples);
    assert_false(row->instructions.present);
    assert_true(row->gas.present);
    seen->last_sample = row->id;
    seen->samples++;
    return 0;
}

static int collect_reading(const pvmlab_counter_reading *reading, void *context)
{
    collected *seen = context;
    seen->readings++;
    if (!reading->available) {
        seen->unavailable++;
        snprintf(seen->reason, sizeof seen->reason, "%s", reading->unavailable_reason);
    }
    return 0;
}

static void test_batch_and_query_helpers(void **state)
{
    results_fixture *fixture = *state;
    pvmlab_counter_reading readings[] = {
        available_reading("wall_ns", PVMLAB_SOURCE_CLOCK, 42),
        missing_reading("l2_misses", "libpfm4 knows no such event"),
    };
    assert_int_equal(pvmlab_db_batch_begin(fixture->db), 0);
    assert_int_equal(pvmlab_db_batch_begin(fixture->db), -1); /* no nesting */
    for (int i = 0; i < 10; i++) {
        pvmlab_sample sample = make_sample(&fixture->ids, i);
        assert_int_equal(pvmlab_db_insert_sample(fixture->db, &sample, readings, 2, NULL), 0);
    }
    /* A failing insert inside a batch undoes only itself (duplicate repetition 3). */
    pvmlab_sample duplicate = make_sample(&fixture->ids, 3);
    assert_int_equal(pvmlab_db_insert_sample(fixture->db, &duplicate, readings, 2, NULL), -1);
    assert_non_null(strstr(pvmlab_db_error(fixture->db), fixture->path));
    assert_int_equal(pvmlab_db_batch_commit(fixture->db), 0);

    /* A rolled-back batch leaves nothing. */
    assert_int_equal(pvmlab_db_batch_begin(fixture->db), 0);
    pvmlab_sample lost = make_sample(&fixture->ids, 99);
    assert_int_equal(pvmlab_db_insert_sample(fixture->db, &lost, readings, 2, NULL), 0);
    assert_int_equal(pvmlab_db_batch_rollback(fixture->db), 0);

    collected seen = {0};
    assert_int_equal(pvmlab_db_foreach_sample(fixture->db, fixture->ids.run, collect_sample, &seen), 0);
    assert_int_equal(seen.samples, 10);
    assert_int_equal(pvmlab_db_foreach_reading(fixture->db, seen.last_sample, collect_reading, &seen), 0);
    assert_int_equal(seen.readings, 2);
    assert_int_equal(seen.unavailable, 1);
    assert_string_equal(seen.reason, "libpfm4 knows no such event");
    assert_int_equal(results_query_int(fixture->db, "SELECT count(*) FROM counter_readings"), 20);
}

static void test_run_end_sets_status(void **state)
{
    results_fixture *fixture = *state;
    assert_int_equal(pvmlab_db_run_end(fixture->db, fixture->ids.run, "ok"), 0);
    assert_int_equal(results_query_int(fixture->db, "SELECT status = 'ok' AND ended_at IS NOT NULL FROM runs"), 1);
    assert_int_equal(pvmlab_db_run_end(fixture->db, fixture->ids.run, "bogus"), -1); /* CHECK */
    assert_int_equal(pvmlab_db_run_end(fixture->db, 4242, "ok"), -1);
    assert_non_null(strstr(pvmlab_db_error(fixture->db), "run 4242 does not exist"));
}

static void test_calibration_and_cost_table(void **state)
{
    results_fixture *fixture = *state;
    pvmlab_calibration calibration = {
        .run = fixture->ids.run, .backend = "tsc", .model_kind = "table",
        .parameters = "{\"repetitions\": 5}", .fit_results = "{\"r2\": 0.99}",
    };
    pvmlab_calibration_value values[] = {
        {.key = "add_64", .value_ps = 250.0, .value_cycles = 1.0, .mad = 0.5, .n = 5},
        {.key = "load_u64", .value_ps = NAN, .value_cycles = 4.0, .mad = NAN, .n = 5},
    };
    pvmlab_id calibration_id, table_id, again_id;
    assert_int_equal(pvmlab_db_store_calibration(fixture->db, &calibration, values, 2, &calibration_id), 0);
    assert_int_equal(results_query_int(fixture->db, "SELECT count(*) FROM calibration_values WHERE value_ps IS NULL"), 1);
    assert_int_equal(results_query_int(fixture->db, "SELECT length(uuid) FROM calibrations"), PVMLAB_UUID_LENGTH);

    char hash[32], hash_again[32];
    const char *content = "model table\nadd_64 1\nload_u64 4\n";
    assert_int_equal(pvmlab_db_store_cost_table(fixture->db, calibration_id, "table", content, &table_id, hash), 0);
    assert_int_equal(pvmlab_db_store_cost_table(fixture->db, calibration_id, "table", content, &again_id, hash_again), 0);
    assert_int_equal(table_id, again_id);
    assert_string_equal(hash, hash_again);
    assert_int_equal(strncmp(hash, "xxh3-64:", 8), 0);
    assert_int_equal(strlen(hash), 8 + 16);
    assert_int_equal(results_query_int(fixture->db, "SELECT count(*) FROM cost_tables"), 1);

    /* Duplicate keys roll the whole calibration back. */
    pvmlab_calibration_value duplicate[] = {{.key = "k", .n = 1}, {.key = "k", .n = 1}};
    assert_int_equal(pvmlab_db_store_calibration(fixture->db, &calibration, duplicate, 2, &calibration_id), -1);
    assert_int_equal(results_query_int(fixture->db, "SELECT count(*) FROM calibrations"), 1);
}

int main(void)
{
#define FIXTURE_TEST(f) cmocka_unit_test_setup_teardown(f, results_fixture_setup, results_fixture_teardown)
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_get_or_insert_returns_the_same_ids),
        FIXTURE_TEST(test_detected_machine_is_stored),
        cmocka_unit_test(test_pinning_is_described),
        FIXTURE_TEST(test_unavailable_counter_is_stored_as_null_not_zero),
        FIXTURE_TEST(test_batch_and_query_helpers),
        FIXTURE_TEST(test_run_end_sets_status),
        FIXTURE_TEST(test_calibration_and_cost_table),
    };
    return cmocka_run_group_tests_name("results_store", tests, NULL, NULL);
}
