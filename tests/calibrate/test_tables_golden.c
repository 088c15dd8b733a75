/* Cost tables are keyed by the calibration's uuid and regenerate byte for byte: from the
 * checked-in fixture database (scripts/make_calibration_fixture.sh) `pvmlab tables` writes
 * exactly the golden files next to it, under the same names; and after `pvmlab db merge`
 * into a database where every calibration has another row id, it writes them again. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "tests/results/test_support.h"
#include "vm/util/file_read.h"

#ifndef PVMLAB_BIN
#error "PVMLAB_BIN must name the pvmlab binary"
#endif
#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/calibrate/fixtures"
#endif

enum { GOLDEN_MAX = 8, UUID_LENGTH = 36 };

typedef struct golden {
    char file[256];  /* MODEL-UUID.table|.pipeline */
    char model[64];
    char uuid[UUID_LENGTH + 1];
} golden;

static char dir[64];
static char output[16384];

static void copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *bytes = util_read_file(from, &len);
    assert_non_null(bytes);
    assert_int_equal(test_write_file(to, bytes, len), 0);
    free(bytes);
}

/* The golden files of the fixture folder; their names say the model and the uuid. */
static size_t find_goldens(golden *out)
{
    DIR *d = opendir(FIXTURE_DIR);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < GOLDEN_MAX) {
        const char *dot = strrchr(e->d_name, '.');
        if (!dot || (strcmp(dot, ".table") != 0 && strcmp(dot, ".pipeline") != 0))
            continue;
        size_t stem = (size_t)(dot - e->d_name);
        assert_true(stem > UUID_LENGTH + 1);
        golden *g = &out[n++];
        snprintf(g->file, sizeof g->file, "%s", e->d_name);
        snprintf(g->uuid, sizeof g->uuid, "%.*s", UUID_LENGTH, e->d_name + stem - UUID_LENGTH);
        snprintf(g->model, sizeof g->model, "%.*s", (int)(stem - UUID_LENGTH - 1), e->d_name);
    }
    closedir(d);
    return n;
}

static void regenerate_and_compare(const char *db, const golden *goldens, size_t n, const char *out_name)
{
    char out[128];
    test_path(out, sizeof out, dir, out_name);
    for (size_t i = 0; i < n; i++) {
        char *argv[] = {PVMLAB_BIN, "tables", "--db", (char *)db, "--calibration", (char *)goldens[i].uuid, "--model",
                        (char *)goldens[i].model, "--out", out, "--fidelity", "none", "--allow-noisy", NULL};
        int rc = test_run_command(argv, output, sizeof output);
        if (rc != 0)
            fail_msg("pvmlab tables for %s: exit %d: %s", goldens[i].file, rc, output);
        char made_path[512], golden_path[512];
        snprintf(made_path, sizeof made_path, "%s/%s", out, goldens[i].file);
        snprintf(golden_path, sizeof golden_path, "%s/%s", FIXTURE_DIR, goldens[i].file);
        size_t made_len = 0, golden_len = 0;
        char *made = util_read_file(made_path, &made_len), *expected = util_read_file(golden_path, &golden_len);
        if (!made)
            fail_msg("%s was not written under its uuid name (output: %s)", made_path, output);
        assert_non_null(expected);
        if (made_len != golden_len || memcmp(made, expected, made_len) != 0)
            fail_msg("%s differs from the golden file %s", made_path, golden_path);
        free(made);
        free(expected);
    }
}

static int sql_int(const char *db, const char *sql)
{
    sqlite3 *s;
    assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(s);
    return v;
}

static void sql_exec(const char *db, const char *sql)
{
    sqlite3 *s;
    assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
    assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
}

static void golden_bytes_from_the_fixture(void **unused)
{
    (void)unused;
    golden goldens[GOLDEN_MAX];
    size_t n = find_goldens(goldens);
    assert_true(n >= 2);
    char db[128];
    test_path(db, sizeof db, dir, "fixture.db");
    copy_file(FIXTURE_DIR "/calibration.db", db); /* tables stores what it writes: work on a copy */
    regenerate_and_compare(db, goldens, n, "from-fixture");
}

/* The lines of a table file other than its header's tool line, its hash and its standard
 * errors, one after another in out (what depends on the values beyond the parameters). */
static void parameter_lines(const char *path, char *out, size_t out_len)
{
    size_t len = 0, at = 0;
    char *text = util_read_file(path, &len);
    if (!text) fail_msg("%s: unreadable", path);
    out[0] = '\0';
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "tool ", 5) || !strncmp(line, "hash ", 5) || !strncmp(line, "se ", 3)) continue;
        int n = snprintf(out + at, out_len - at, "%s\n", line);
        assert_true(n > 0 && (size_t)n < out_len - at);
        at += (size_t)n;
    }
    free(text);
}

/* An add_64 latency the calibration does not resolve (5 ps, its standard error 100 times
 * that: a short chain under load) is not the pipeline table's cycle: every parameter comes
 * out as from the fixture, whose add_64 latencies are negative (the gas unit is the cycle in
 * both), and no recurrence floor is written. Taken as the cycle, 5 ps made every class
 * latency and the floor's rate wrong by a factor of 200. */
static void an_unresolved_add_latency_is_not_the_cycle(void **unused)
{
    (void)unused;
    golden goldens[GOLDEN_MAX];
    size_t n = find_goldens(goldens);
    char db[128], out[128];
    test_path(db, sizeof db, dir, "unresolved.db");
    test_path(out, sizeof out, dir, "from-unresolved");
    copy_file(FIXTURE_DIR "/calibration.db", db);
    sql_exec(db, "UPDATE calibration_values SET value_ps = 5, se_ps = 500 WHERE key = 'op.add_64.lat'");
    assert_int_equal(sql_int(db, "SELECT count(*) FROM calibration_values WHERE key = 'op.add_64.lat' AND value_ps = 5"), 2);
    size_t pipelines = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(goldens[i].model, "pipeline", 8) != 0) continue;
        char *argv[] = {PVMLAB_BIN, "tables", "--db", db, "--calibration", (char *)goldens[i].uuid, "--model",
                        (char *)goldens[i].model, "--out", out, "--fidelity", "none", "--allow-noisy", NULL};
        int rc = test_run_command(argv, output, sizeof output);
        if (rc != 0) fail_msg("pvmlab tables for %s: exit %d: %s", goldens[i].file, rc, output);
        assert_non_null(strstr(output, "1 cycle = 1020 ps (the gas unit: add_64 latency not resolved)"));
        assert_non_null(strstr(output, "no recurrence floor (no resolved add_64 latency chain)"));
        char made_path[512], golden_path[512];
        static char made[65536], expected[65536];
        snprintf(made_path, sizeof made_path, "%s/%s", out, goldens[i].file);
        snprintf(golden_path, sizeof golden_path, "%s/%s", FIXTURE_DIR, goldens[i].file);
        parameter_lines(made_path, made, sizeof made);
        parameter_lines(golden_path, expected, sizeof expected);
        assert_string_equal(made, expected);
        pipelines++;
    }
    assert_true(pipelines >= 1);
}

/* Merge the calibrations into a fresh database in the other order, so each gets the row id
 * the other had; the tables come out the same, under the same names. */
static void same_bytes_after_a_merge(void **unused)
{
    (void)unused;
    golden goldens[GOLDEN_MAX];
    size_t n = find_goldens(goldens);
    char full[128], second[128], merged[128];
    test_path(full, sizeof full, dir, "full.db");
    test_path(second, sizeof second, dir, "second-only.db");
    test_path(merged, sizeof merged, dir, "merged.db");
    copy_file(FIXTURE_DIR "/calibration.db", full);
    copy_file(FIXTURE_DIR "/calibration.db", second);
    assert_int_equal(sql_int(full, "SELECT count(*) FROM calibrations"), 2);
    sql_exec(second, "DELETE FROM cost_tables WHERE calibration_id = (SELECT min(id) FROM calibrations);"
                     "DELETE FROM calibration_values WHERE calibration_id = (SELECT min(id) FROM calibrations);"
                     "DELETE FROM calibrations WHERE id = (SELECT min(id) FROM calibrations);");
    char *init[] = {PVMLAB_BIN, "db", "init", "--db", merged, NULL};
    assert_int_equal(test_run_command(init, output, sizeof output), 0);
    /* merge takes files at this tool's schema version: the fixture may be older (db init migrates) */
    char *init_full[] = {PVMLAB_BIN, "db", "init", "--db", full, NULL}, *init_second[] = {PVMLAB_BIN, "db", "init", "--db", second, NULL};
    assert_int_equal(test_run_command(init_full, output, sizeof output), 0);
    assert_int_equal(test_run_command(init_second, output, sizeof output), 0);
    char *merge_second[] = {PVMLAB_BIN, "db", "merge", "--db", merged, second, NULL};
    assert_int_equal(test_run_command(merge_second, output, sizeof output), 0);
    char *merge_full[] = {PVMLAB_BIN, "db", "merge", "--db", merged, full, NULL};
    assert_int_equal(test_run_command(merge_full, output, sizeof output), 0);
    /* the ids are swapped: the calibration with the lowest id in the fixture has the highest here */
    char sql[256];
    sqlite3 *s;
    assert_int_equal(sqlite3_open(full, &s), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s, "SELECT uuid FROM calibrations ORDER BY id LIMIT 1", -1, &st, NULL), 0);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(sql, sizeof sql, "SELECT id = (SELECT max(id) FROM calibrations) FROM calibrations WHERE uuid = '%s'",
             (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(s);
    assert_int_equal(sql_int(merged, sql), 1);
    regenerate_and_compare(merged, goldens, n, "from-merged");
}

static int setup(void **unused)
{
    (void)unused;
    return test_make_temp_dir(dir, sizeof dir);
}

static int teardown(void **unused)
{
    (void)unused;
    test_remove_tree(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_bytes_from_the_fixture),
        cmocka_unit_test(an_unresolved_add_latency_is_not_the_cycle),
        cmocka_unit_test(same_bytes_after_a_merge),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
