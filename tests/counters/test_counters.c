/* The counter backends: libpfm4 encoding, the missing-PMU path, TSC, clocks, software
 * events and the simulated backend. */
#include "costmodel/counters/counters.h"
#include "costmodel/counters/perf_group.h"
#include "costmodel/counters/pfm_encode.h"
#include "results/results.h"
#include "tests/results/results_fixture.h"
#include "tests/results/test_support.h"
#include "costmodel/counters/tsc_clock.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { MAX_READINGS = 64 };

/* Work the compiler cannot remove, so intervals are not empty. */
static uint64_t spin(uint64_t rounds)
{
    volatile uint64_t sum = 0;
    for (uint64_t i = 0; i < rounds; i++)
        sum += i * 2654435761u;
    return sum;
}

static size_t measure(pvmlab_counters *counters, pvmlab_counter_reading *readings)
{
    assert_int_equal(pvmlab_counters_start(counters), 0);
    spin(2000000);
    assert_int_equal(pvmlab_counters_stop(counters), 0);
    size_t count = pvmlab_counters_read(counters, readings, MAX_READINGS);
    assert_true(count <= MAX_READINGS);
    return count;
}

static const pvmlab_counter_reading *find_reading(const pvmlab_counter_reading *readings, size_t count,
                                                  const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(readings[i].name, name) == 0)
            return &readings[i];
    fail_msg("no reading named %s", name);
    return NULL;
}

static void test_libpfm4_encodes_cycles_and_instructions(void **state)
{
    (void)state;
    static const struct {
        const char *event;
        uint64_t config;
    } expected[] = {{"cycles", PERF_COUNT_HW_CPU_CYCLES}, {"instructions", PERF_COUNT_HW_INSTRUCTIONS}};
    for (size_t i = 0; i < 2; i++) {
        struct perf_event_attr attr;
        char canonical[256], reason[256] = "";
        int rc = pfm_encode_event(expected[i].event, &attr, canonical, sizeof canonical, reason, sizeof reason);
        if (rc != 0) { /* allowed only with a clear reason */
            print_message("    %s: %s\n", expected[i].event, reason);
            assert_int_equal(strncmp(reason, "libpfm4: ", 9), 0);
            continue;
        }
        print_message("    %s -> %s (type %u config %llu)\n", expected[i].event, canonical, attr.type,
                      (unsigned long long)attr.config);
        assert_int_equal(attr.type, PERF_TYPE_HARDWARE);
        assert_int_equal(attr.config, expected[i].config);
        assert_int_equal(attr.size, sizeof attr);
    }
}

static void test_libpfm4_unknown_event_gives_a_reason(void **state)
{
    (void)state;
    struct perf_event_attr attr;
    char reason[256] = "";
    assert_int_equal(pfm_encode_event("NO_SUCH_EVENT_PVMLAB", &attr, NULL, 0, reason, sizeof reason), -1);
    assert_non_null(strstr(reason, "libpfm4: NO_SUCH_EVENT_PVMLAB: "));
}

static void test_failed_perf_event_open_names_the_reason(void **state)
{
    (void)state;
    counter_slot slot;
    counter_slot_init(&slot, "bogus", PVMLAB_SOURCE_PMU, NULL);
    perf_group group;
    perf_group_init(&group);
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = 0x7fffff00u; /* no such PMU type */
    perf_group_add(&group, &slot, &attr);
    perf_group_open(&group);
    assert_false(slot.info.available);
    print_message("    %s\n", slot.info.unavailable_reason);
    assert_non_null(strstr(slot.info.unavailable_reason, "perf_event_open(type 2147483392, bogus) -> E"));
    assert_int_equal(perf_group_start(&group), 0);
    assert_int_equal(perf_group_stop(&group), 0);
    pvmlab_counter_reading reading;
    counter_slot_to_reading(&slot, &reading);
    assert_false(reading.available);
    assert_int_equal(reading.value, 0);
    assert_string_equal(reading.unavailable_reason, slot.info.unavailable_reason);
    perf_group_close(&group);
}

static void test_pmu_backend_says_why_once_or_counts(void **state)
{
    (void)state;
    char err[256], probe_reason[PVMLAB_COUNTER_TEXT_MAX];
    bool has_pmu = pvmlab_pmu_probe(probe_reason, sizeof probe_reason);
    pvmlab_counters *counters;
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_PMU, &counters, err, sizeof err), 0);
    const char *notice = pvmlab_counters_pmu_notice(counters);
    pvmlab_counter_reading readings[MAX_READINGS];
    size_t count = measure(counters, readings);
    assert_true(count >= 6);
    if (!has_pmu) {
        print_message("    %s\n", notice);
        assert_non_null(notice);
        assert_string_equal(notice, probe_reason);
        assert_int_equal(strncmp(notice, "no hardware PMU: perf_event_open(PERF_TYPE_HARDWARE, cycles) -> ", 64), 0);
        for (size_t i = 0; i < count; i++) {
            assert_false(readings[i].available);
            assert_int_equal(readings[i].source, PVMLAB_SOURCE_PMU);
            assert_true(readings[i].unavailable_reason[0] != '\0');
        }
        assert_string_equal(find_reading(readings, count, "cycles")->unavailable_reason, notice);
    } else {
        assert_null(notice);
        const pvmlab_counter_reading *instructions = find_reading(readings, count, "instructions");
        if (instructions->available)
            assert_true(instructions->value > 1000000);
        else
            print_message("    instructions: %s\n", instructions->unavailable_reason);
    }
    pvmlab_counters_close(counters);
}

static void test_tsc_is_monotonic_with_a_sane_frequency(void **state)
{
    (void)state;
    tsc_properties tsc;
    tsc_detect(&tsc);
#if defined(__x86_64__)
    assert_true(tsc.present);
#endif
    if (!tsc.present)
        skip();
    print_message("    %.1f MHz from %s, rdtscp %s, invariant %s\n", (double)tsc.hz / 1e6, tsc.hz_source,
                  tsc.has_rdtscp ? "yes" : "no", tsc.invariant ? "yes" : "no");
    assert_true(tsc.hz >= 100000000u && tsc.hz <= 10000000000u);
    assert_true(tsc.hz_source[0] != '\0');
    uint64_t previous = tsc_read_ordered(tsc.has_rdtscp);
    for (int i = 0; i < 10000; i++) {
        uint64_t now = tsc_read_ordered(tsc.has_rdtscp);
        assert_true(now >= previous);
        previous = now;
    }
    /* 30 ms of sleep, measured in TSC cycles, agrees with the clock within a factor of 2. */
    struct timespec pause = {0, 30 * 1000 * 1000}, t0, t1;
    clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
    uint64_t c0 = tsc_read_ordered(tsc.has_rdtscp);
    nanosleep(&pause, NULL);
    uint64_t c1 = tsc_read_ordered(tsc.has_rdtscp);
    clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
    double clock_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double tsc_s = (double)(c1 - c0) / (double)tsc.hz;
    assert_true(tsc_s > clock_s * 0.5 && tsc_s < clock_s * 2.0);
}

static void test_clock_and_tsc_backends_measure_intervals(void **state)
{
    (void)state;
    char err[256];
    pvmlab_counters *counters;
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_CLOCK | PVMLAB_BACKEND_TSC, &counters, err, sizeof err), 0);
    pvmlab_counter_reading readings[MAX_READINGS];
    size_t count = measure(counters, readings);
    assert_int_equal(count, 3);
    const pvmlab_counter_reading *wall = find_reading(readings, count, "wall_ns");
    const pvmlab_counter_reading *cpu = find_reading(readings, count, "thread_cpu_ns");
    const pvmlab_counter_reading *tsc = find_reading(readings, count, "tsc_cycles");
    assert_true(wall->available && wall->value > 0);
    assert_true(cpu->available && cpu->value > 0);
    assert_true(cpu->value <= wall->value + 1000000); /* a thread's CPU time fits in wall time */
    assert_true(tsc->available && tsc->value > 0);
    assert_int_equal(wall->source, PVMLAB_SOURCE_CLOCK);
    assert_int_equal(tsc->source, PVMLAB_SOURCE_TSC);
    pvmlab_counters_close(counters);
}

static void test_software_events_work_or_say_why(void **state)
{
    (void)state;
    char err[256];
    pvmlab_counters *counters;
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_SOFTWARE, &counters, err, sizeof err), 0);
    pvmlab_counter_reading readings[MAX_READINGS];
    size_t count = measure(counters, readings);
    assert_int_equal(count, 3);
    for (size_t i = 0; i < count; i++) {
        if (readings[i].available) {
            print_message("    %s = %lld\n", readings[i].name, (long long)readings[i].value);
            assert_true(readings[i].value >= 0);
        } else {
            print_message("    %s unavailable: %s\n", readings[i].name, readings[i].unavailable_reason);
            assert_true(strstr(readings[i].unavailable_reason, "perf_event_open") != NULL
                        || strstr(readings[i].unavailable_reason, "multiplexed") != NULL);
        }
    }
    const pvmlab_counter_reading *task_clock = find_reading(readings, count, "task_clock_ns");
    if (task_clock->available)
        assert_true(task_clock->value > 0);
    pvmlab_counters_close(counters);
}

static void test_simulated_counts_are_exactly_what_was_reported(void **state)
{
    (void)state;
    char err[256];
    pvmlab_counters *counters;
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_SIMULATED, &counters, err, sizeof err), 0);
    pvmlab_counter_reading readings[MAX_READINGS];
    for (int round = 0; round < 2; round++) {
        assert_int_equal(pvmlab_counters_start(counters), 0);
        pvmlab_counters_report_simulated(counters, 123456789, 4321);
        assert_int_equal(pvmlab_counters_stop(counters), 0);
        assert_int_equal(pvmlab_counters_read(counters, readings, MAX_READINGS), 6);
        assert_true(readings[0].available && readings[0].value == 123456789);
        assert_true(readings[1].available && readings[1].value == 4321);
        assert_int_equal(readings[0].source, PVMLAB_SOURCE_SIMULATED);
        /* No memory trace was reported: the cache counters have no value, and say why. */
        for (int i = 2; i < 6; i++) {
            assert_false(readings[i].available);
            assert_non_null(strstr(readings[i].unavailable_reason, "no memory trace"));
        }
    }
    assert_string_equal(readings[3].name, "sim_l1_misses");
    assert_string_equal(readings[5].name, "sim_ll_misses");
    /* An interval without a report has no value, and says why. */
    assert_int_equal(pvmlab_counters_start(counters), 0);
    assert_int_equal(pvmlab_counters_stop(counters), 0);
    pvmlab_counters_read(counters, readings, MAX_READINGS);
    assert_false(readings[0].available);
    assert_non_null(strstr(readings[0].unavailable_reason, "reported no counts"));
    pvmlab_counters_close(counters);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    char err[256] = "";
    pvmlab_counters *counters = NULL;
    assert_int_equal(pvmlab_counters_open(0, &counters, err, sizeof err), -1);
    assert_null(counters);
    assert_non_null(strstr(err, "backend mask"));
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_CLOCK, &counters, err, sizeof err), 0);
    pvmlab_counter_info info;
    assert_int_equal(pvmlab_counters_describe(counters, 2, &info), -1);
    assert_int_equal(pvmlab_counters_describe(counters, 0, &info), 0);
    assert_string_equal(info.name, "wall_ns");
    /* Reading before any interval: every counter says it was not measured. */
    pvmlab_counter_reading readings[4];
    pvmlab_counters_read(counters, readings, 4);
    assert_false(readings[0].available);
    assert_true(readings[0].unavailable_reason[0] != '\0');
    pvmlab_counters_close(counters);
    pvmlab_counters_close(NULL);
}

/* Every backend at once, stored: unavailable counters land as NULL with their reason. */
static void test_real_readings_store_null_for_what_is_missing(void **state)
{
    (void)state;
    char err[PVMLAB_DB_ERROR_MAX], dir[64], path[160];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(path, sizeof path, dir, "readings.db");
    pvmlab_counters *counters;
    assert_int_equal(pvmlab_counters_open(PVMLAB_BACKEND_ALL, &counters, err, sizeof err), 0);
    pvmlab_counter_reading readings[MAX_READINGS];
    assert_int_equal(pvmlab_counters_start(counters), 0);
    spin(100000);
    pvmlab_counters_report_simulated(counters, 100000, 1);
    assert_int_equal(pvmlab_counters_stop(counters), 0);
    size_t count = pvmlab_counters_read(counters, readings, MAX_READINGS), missing = 0;
    for (size_t i = 0; i < count; i++)
        missing += !readings[i].available;
    pvmlab_counters_close(counters);

    pvmlab_db *db;
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    pvmlab_machine_info machine;
    pvmlab_machine_detect_counters(&machine);
    pvmlab_build_info build = pvmlab_build_current();
    results_ids ids;
    results_begin_run(db, &machine, &build, "test", &ids);
    pvmlab_id engine, benchmark, sample_id;
    assert_int_equal(pvmlab_db_insert_engine(db, "native", "", "", &engine), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "unit", "spin", 100000, &benchmark), 0);
    pvmlab_sample sample = {.run = ids.run, .engine = engine, .benchmark = benchmark, .mode = "native", .wall_ns = 1};
    assert_int_equal(pvmlab_db_insert_sample(db, &sample, readings, count, &sample_id), 0);
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_prepare_v2(pvmlab_db_sqlite(db),
                                        "SELECT count(*), sum(value IS NULL), sum(value IS NULL AND unavailable_reason <> '')"
                                        " FROM counter_readings",
                                        -1, &statement, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(statement, 0), count);
    assert_int_equal(sqlite3_column_int64(statement, 1), missing);
    assert_int_equal(sqlite3_column_int64(statement, 2), missing);
    sqlite3_finalize(statement);
    pvmlab_db_close(db);
    test_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libpfm4_encodes_cycles_and_instructions),
        cmocka_unit_test(test_libpfm4_unknown_event_gives_a_reason),
        cmocka_unit_test(test_failed_perf_event_open_names_the_reason),
        cmocka_unit_test(test_pmu_backend_says_why_once_or_counts),
        cmocka_unit_test(test_tsc_is_monotonic_with_a_sane_frequency),
        cmocka_unit_test(test_clock_and_tsc_backends_measure_intervals),
        cmocka_unit_test(test_software_events_work_or_say_why),
        cmocka_unit_test(test_simulated_counts_are_exactly_what_was_reported),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_real_readings_store_null_for_what_is_missing),
    };
    return cmocka_run_group_tests_name("counters", tests, NULL, NULL);
}
