#include "results_fixture.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The machine results_begin_run stores when given none. */
static const pvmlab_machine_info TEST_MACHINE = {.hostname = "test", .cpu_model = "cpu", .cores = 1, .kernel = "k"};

void results_begin_run(pvmlab_db *db, const pvmlab_machine_info *machine, const pvmlab_build_info *build,
                       const char *command, results_ids *ids)
{
    const pvmlab_build_info test_build = {"cc", "", "rev", "0"};
    assert_int_equal(pvmlab_db_insert_machine(db, machine ? machine : &TEST_MACHINE, &ids->machine), 0);
    assert_int_equal(pvmlab_db_insert_build(db, build ? build : &test_build, &ids->build), 0);
    assert_int_equal(pvmlab_db_run_begin(db, ids->machine, ids->build, command, &ids->run, NULL), 0);
}

pvmlab_db *results_open_with_run(const char *path, const char *hostname, const char *command, results_ids *ids)
{
    pvmlab_db *db;
    char err[PVMLAB_DB_ERROR_MAX];
    if (pvmlab_db_open(path, NULL, &db, err, sizeof err) != 0)
        fail_msg("%s: %s", path, err);
    pvmlab_machine_info machine = TEST_MACHINE;
    snprintf(machine.hostname, sizeof machine.hostname, "%s", hostname);
    results_begin_run(db, &machine, NULL, command, ids);
    return db;
}

void results_populate(pvmlab_db *db, const char *engine_name, results_ids *out)
{
    pvmlab_machine_info machine = {.cores = 2, .pmu_available = false};
    strcpy(machine.hostname, "testhost");
    strcpy(machine.cpu_model, "Test CPU");
    strcpy(machine.kernel, "Linux 6.0 test x86_64");
    strcpy(machine.pmu_reason, "no hardware PMU: test");
    assert_int_equal(pvmlab_db_insert_machine(db, &machine, &out->machine), 0);
    pvmlab_build_info build = pvmlab_build_current();
    assert_int_equal(pvmlab_db_insert_build(db, &build, &out->build), 0);
    assert_int_equal(pvmlab_db_run_begin(db, out->machine, out->build, "pvmlab bench test", &out->run, NULL), 0);
    assert_int_equal(pvmlab_db_insert_engine(db, engine_name, "0.1.0", "gas=sync", &out->engine), 0);
    assert_int_equal(pvmlab_db_insert_benchmark(db, "micro", "loop", 1000, &out->benchmark), 0);
}

int results_fixture_setup(void **state)
{
    results_fixture *fixture = calloc(1, sizeof *fixture);
    char err[PVMLAB_DB_ERROR_MAX];
    if (!fixture || test_make_temp_dir(fixture->dir, sizeof fixture->dir) != 0)
        return -1;
    test_path(fixture->path, sizeof fixture->path, fixture->dir, "store.db");
    if (pvmlab_db_open(fixture->path, NULL, &fixture->db, err, sizeof err) != 0) {
        print_error("%s\n", err);
        return -1;
    }
    results_populate(fixture->db, "pvm-interp", &fixture->ids);
    *state = fixture;
    return 0;
}

int results_fixture_teardown(void **state)
{
    results_fixture *fixture = *state;
    pvmlab_db_close(fixture->db);
    test_remove_tree(fixture->dir);
    free(fixture);
    return 0;
}

long long results_query_int(pvmlab_db *db, const char *sql)
{
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_prepare_v2(pvmlab_db_sqlite(db), sql, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    long long value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
}
