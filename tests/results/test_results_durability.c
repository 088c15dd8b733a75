/* kill -9 in the middle of writing: the file stays consistent and keeps every committed batch. */
#include "results_fixture.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SAMPLES_PER_BATCH = 25, READINGS_PER_SAMPLE = 3, BATCHES_BEFORE_KILL = 40 };

/* The child: writes batches forever, reporting each committed batch number on report_fd. */
static void write_batches_forever(const char *path, int report_fd)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    if (pvmlab_db_open(path, NULL, &db, err, sizeof err) != 0)
        _exit(2);
    results_ids ids;
    results_populate(db, "pvm-interp", &ids);
    pvmlab_counter_reading readings[READINGS_PER_SAMPLE] = {
        {.name = "wall_ns", .source = PVMLAB_SOURCE_CLOCK, .available = true, .value = 1},
        {.name = "tsc_cycles", .source = PVMLAB_SOURCE_TSC, .available = true, .value = 2},
        {.name = "cycles", .source = PVMLAB_SOURCE_PMU, .unavailable_reason = "no hardware PMU: test"},
    };
    for (int32_t batch = 0;; batch++) {
        if (pvmlab_db_batch_begin(db) != 0)
            _exit(3);
        for (int i = 0; i < SAMPLES_PER_BATCH; i++) {
            pvmlab_sample sample = {.run = ids.run, .engine = ids.engine, .benchmark = ids.benchmark,
                                    .mode = "interp", .repetition = (int64_t)batch * SAMPLES_PER_BATCH + i,
                                    .wall_ns = 1000};
            if (pvmlab_db_insert_sample(db, &sample, readings, READINGS_PER_SAMPLE, NULL) != 0)
                _exit(4);
        }
        if (pvmlab_db_batch_commit(db) != 0)
            _exit(5);
        if (write(report_fd, &batch, sizeof batch) != sizeof batch)
            _exit(6);
    }
}

static void test_kill_9_keeps_committed_batches(void **state)
{
    (void)state;
    char dir[64], path[160];
    assert_int_equal(test_make_temp_dir(dir, sizeof dir), 0);
    test_path(path, sizeof path, dir, "killed.db");
    int report_fd;
    pid_t child = test_fork_with_pipe(&report_fd);
    assert_true(child >= 0);
    if (child == 0)
        write_batches_forever(path, report_fd);
    int32_t last_committed = -1, batch;
    while (last_committed + 1 < BATCHES_BEFORE_KILL && read(report_fd, &batch, sizeof batch) == sizeof batch)
        last_committed = batch;
    /* Let the child get into the middle of a later batch, then kill it. */
    usleep(1500);
    assert_int_equal(kill(child, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    close(report_fd);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_int_equal(last_committed + 1, BATCHES_BEFORE_KILL);

    char verdict[PVMLAB_DB_ERROR_MAX];
    int check = pvmlab_db_check(path, verdict, sizeof verdict);
    print_message("    after kill -9: %s\n", verdict);
    assert_int_equal(check, 0);

    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    long long samples = results_query_int(db, "SELECT count(*) FROM samples");
    long long committed = (long long)BATCHES_BEFORE_KILL * SAMPLES_PER_BATCH;
    print_message("    %lld samples stored, %lld reported committed\n", samples, committed);
    /* Every reported batch is complete, and no batch is partial. */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM samples WHERE repetition < %lld", committed);
    assert_int_equal(results_query_int(db, sql), committed);
    assert_true(samples >= committed);
    assert_int_equal(samples % SAMPLES_PER_BATCH, 0);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM counter_readings"), samples * READINGS_PER_SAMPLE);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM counter_readings WHERE value IS NULL"), samples);
    /* The killed run is still visible, marked as running. */
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM runs WHERE status = 'running'"), 1);
    pvmlab_db_close(db);
    test_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_9_keeps_committed_batches),
    };
    return cmocka_run_group_tests_name("results_durability", tests, NULL, NULL);
}
