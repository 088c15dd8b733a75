/* pvmlab calibrate --smoke --counters sim stores the simulated cache counters of every
 * timed call (replayed on a traced interpreter instance): exact line accesses for the
 * pointer chase (one per load), misses for working sets beyond the configured L1 and none
 * within it; and, without the PMU's branch_misses (sim opens none), the misprediction rate as NULL. Also with the
 * recompiler, whose timed calls cannot be traced themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvm/pvm.h"
#include "tests/results/test_support.h"

static int64_t query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void calibrate_and_check(const char *backend)
{
    char dir[64], path[160], output[1 << 14];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(path, sizeof path, dir, "t.db");
    /* 8 KiB 2-way L1: the smoke sweep (4..64 KiB) crosses it. */
    setenv("PVMLAB_SIM_CACHE", "8K/2,32K/4,256K/8", 1);
    char *argv[] = {PVMLAB_BIN, "calibrate", "--smoke", "--counters", "sim", "--backend", (char *)backend,
                    "--db", path, NULL};
    int rc = test_run_command(argv, output, sizeof output);
    unsetenv("PVMLAB_SIM_CACHE");
    if (rc != 0) fail_msg("calibrate failed (%d): %s", rc, output);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
#define READING(bench, counter, agg)                                                                         \
    "SELECT " agg " FROM counter_readings r JOIN samples s ON s.id = r.sample_id JOIN benchmarks b ON "     \
    "b.id = s.benchmark_id WHERE b.name = '" bench "' AND r.name = '" counter "'"
    /* smoke chase: 256 loads per call, one line each; every sample has its counts. */
    assert_true(query(db, READING("chase.65536.L32", "sim_mem_accesses", "count(*)")) >= 2);
    assert_int_equal(query(db, READING("chase.65536.L32", "sim_mem_accesses", "count(*) - count(value)")), 0);
    assert_int_equal(query(db, READING("chase.65536.L32", "sim_mem_accesses", "min(value)")), 256);
    assert_int_equal(query(db, READING("chase.65536.L32", "sim_mem_accesses", "max(value)")), 256);
    /* 64 KiB of random lines over an 8 KiB L1: nearly every load misses; 4 KiB fits. */
    assert_true(query(db, READING("chase.65536.L32", "sim_l1_misses", "min(value)")) > 200);
    assert_int_equal(query(db, READING("chase.4096.L32", "sim_l1_misses", "max(value)")), 0);
    assert_int_equal(query(db, READING("chase.4096.L32", "sim_ll_misses", "max(value)")), 0);
    /* The first-touch program of zero pages stores one byte per page: 8 accesses. */
    assert_int_equal(query(db, READING("touch.zero_write.cold.P8", "sim_mem_accesses", "max(value)")), 8);
    /* --counters sim opens no PMU: the misprediction rate is stored, as NULL. */
    assert_int_equal(query(db, "SELECT count(*) FROM calibration_values WHERE key = 'branch.pmu_miss_rate'"), 1);
    assert_int_equal(query(db, "SELECT value_ps IS NULL FROM calibration_values WHERE key = 'branch.pmu_miss_rate'"),
                     1);
    sqlite3_close(db);
    test_remove_tree(dir);
}

static void test_interpreter(void **state)
{
    (void)state;
    calibrate_and_check("interp");
}

static void test_recompiler(void **state)
{
    (void)state;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) {
        print_message("skipped: the recompiler is not built in\n");
        return;
    }
    calibrate_and_check("jit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interpreter),
        cmocka_unit_test(test_recompiler),
    };
    return cmocka_run_group_tests_name("calibrate_sim_cache", tests, NULL, NULL);
}
