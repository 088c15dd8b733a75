/* Schema creation, migration from an older version, and refusing a newer one. */
#include "results_fixture.h"
#include "results/schema.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void test_new_database_has_every_table_in_wal_mode(void **state)
{
    results_fixture *fixture = *state;
    static const char *const tables[] = {"machines",   "builds",  "runs",         "engines",
                                         "benchmarks", "samples", "counter_readings", "calibrations",
                                         "calibration_values", "cost_tables"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'", tables[i]);
        assert_int_equal(results_query_int(fixture->db, sql), 1);
    }
    assert_int_equal(results_query_int(fixture->db, "PRAGMA user_version"), pvmlab_db_schema_version_latest());
    assert_int_equal(results_query_int(fixture->db, "PRAGMA foreign_keys"), 1);
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_prepare_v2(pvmlab_db_sqlite(fixture->db), "PRAGMA journal_mode", -1, &statement, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(statement, 0), "wal");
    sqlite3_finalize(statement);
}

static void test_foreign_keys_are_enforced(void **state)
{
    results_fixture *fixture = *state;
    int rc = sqlite3_exec(pvmlab_db_sqlite(fixture->db),
                          "INSERT INTO samples (run_id, engine_id, benchmark_id, repetition, wall_ns)"
                          " VALUES (9999, 9999, 9999, 0, 1)",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
}

/* Creates a temporary folder (dir, 64 bytes) and opens a plain SQLite file name in it (path,
 * 160 bytes), as another tool or an older pvmlab would. */
static sqlite3 *open_raw_file(char *dir, char *path, const char *name)
{
    sqlite3 *raw;
    assert_int_equal(test_make_temp_dir(dir, 64), 0);
    test_path(path, 160, dir, name);
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    return raw;
}

static void test_migrates_version_1_and_keeps_rows(void **state)
{
    (void)state;
    char dir[64], path[160], err[PVMLAB_DB_ERROR_MAX];
    /* Build a version-1 file by hand, as an older pvmlab would have left it. */
    sqlite3 *raw = open_raw_file(dir, path, "old.db");
    assert_int_equal(schema_migrate(raw, 1, err, sizeof err), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "INSERT INTO engines (name, version, config) VALUES ('old-engine', '0.0.1', '')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int version = -1;
    assert_int_equal(schema_read_version(raw, &version), SQLITE_OK);
    assert_int_equal(version, 1);
    sqlite3_close(raw);

    pvmlab_db *db;
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    assert_int_equal(results_query_int(db, "PRAGMA user_version"), pvmlab_db_schema_version_latest());
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM engines WHERE name = 'old-engine'"), 1);
    assert_int_equal(results_query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'cost_tables'"), 1);
    pvmlab_db_close(db);

    /* Opening again is a no-op for the schema. */
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    assert_int_equal(results_query_int(db, "PRAGMA user_version"), pvmlab_db_schema_version_latest());
    pvmlab_db_close(db);
    test_remove_tree(dir);
}

static void test_refuses_newer_schema_with_one_line(void **state)
{
    (void)state;
    char dir[64], path[160], err[PVMLAB_DB_ERROR_MAX];
    sqlite3 *raw = open_raw_file(dir, path, "future.db");
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);

    pvmlab_db *db = (pvmlab_db *)1;
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), -1);
    assert_null(db);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "schema version 99 is newer than this tool knows"));
    assert_null(strchr(err, '\n'));

    /* The refused file was not touched: still in its rollback-journal mode, still version 99. */
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(statement, 0), "delete");
    sqlite3_finalize(statement);
    sqlite3_close(raw);

    char verdict[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_check(path, verdict, sizeof verdict), 1);
    assert_non_null(strstr(verdict, "newer"));
    test_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_database_has_every_table_in_wal_mode, results_fixture_setup,
                                        results_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys_are_enforced, results_fixture_setup,
                                        results_fixture_teardown),
        cmocka_unit_test(test_migrates_version_1_and_keeps_rows),
        cmocka_unit_test(test_refuses_newer_schema_with_one_line),
    };
    return cmocka_run_group_tests_name("results_schema", tests, NULL, NULL);
}
