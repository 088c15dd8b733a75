/* The pvmlab verbs against bad files and bad input:
 *  - compare, report, plot and db check open the database read-only: they work on a file
 *    nobody may write, leave every byte of it as it was, never migrate an older schema,
 *    and refuse a database of another program (instead of adding tables to it);
 *  - corrupt, directory, foreign and locked files get one line naming the file;
 *    db merge names the other file when that one is corrupt;
 *  - bad options: bench --build-dir /nonexistent, --engines '', an unloadable --models, a --cpu
 *    this process may not run on,
 *    plot --timeout out of range, unknown options and missing values are usage errors
 *    (exit 2), and every verb answers --help;
 *  - compare takes the newest benchmark run (not a later fidelity run) and counts an
 *    (engine, guest, mode) missing from the candidate as a regression. */
#include "results_fixture.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results/results.h"
#include "vm/util/file_read.h"

#ifndef PVMLAB_BIN
#error "PVMLAB_BIN must name the pvmlab executable"
#endif

typedef test_cli_folder folder;
/* pvmlab with the NULL-terminated arguments after f; returns the exit code. */
#define run_pvmlab(f, ...) test_cli_run(f, PVMLAB_BIN, __VA_ARGS__)

/* One run of command: every engine of engines on guest crc32 (suite quick or fidelity),
 * three samples each. */
static pvmlab_id add_run_on(pvmlab_db *db, const char *hostname, const char *guest, const char *command,
                            const char *suite, const char *const *engines, int64_t base_ns)
{
    pvmlab_machine_info machine = {.cpu_model = "cpu", .cores = 2, .kernel = "k"};
    snprintf(machine.hostname, sizeof machine.hostname, "%s", hostname);
    pvmlab_build_info build = {"cc", "-O2", "rev", "0"};
    results_ids ids;
    results_begin_run(db, &machine, &build, command, &ids);
    const pvmlab_id run = ids.run;
    pvmlab_id benchmark;
    assert_int_equal(pvmlab_db_insert_benchmark(db, suite, guest, 4096, &benchmark), 0);
    for (size_t e = 0; engines[e]; e++) {
        pvmlab_id engine;
        assert_int_equal(pvmlab_db_insert_engine(db, engines[e], "1", "", &engine), 0);
        for (int i = 0; i < 3; i++) {
            pvmlab_sample sample = {.run = run, .engine = engine, .benchmark = benchmark, .mode = "execution",
                                    .repetition = i, .wall_ns = base_ns * (int64_t)(e + 1) + i};
            assert_int_equal(pvmlab_db_insert_sample(db, &sample, NULL, 0, NULL), 0);
        }
    }
    assert_int_equal(pvmlab_db_run_end(db, run, "ok"), 0);
    return run;
}

static pvmlab_id add_run(pvmlab_db *db, const char *command, const char *suite, const char *const *engines,
                         int64_t base_ns)
{
    return add_run_on(db, "host-a", "crc32", command, suite, engines, base_ns);
}

static void make_bench_db(const char *path)
{
    pvmlab_db *db;
    char err[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    static const char *const both[] = {"native", "wasm3", NULL};
    add_run(db, "pvmlab bench --suite quick", "quick", both, 1000000);
    pvmlab_db_close(db);
}

static void assert_one_line(const char *output)
{
    assert_true(strlen(output) > 0);
    assert_ptr_equal(strchr(output, '\n'), output + strlen(output) - 1);
}

static void read_only_verbs_leave_a_read_only_file_as_it_was(void **state)
{
    folder *f = *state;
    make_bench_db(f->db);
    /* A checkpoint leaves everything in the main file, so the bytes compared are all there is. */
    sqlite3 *sqlite;
    assert_int_equal(sqlite3_open(f->db, &sqlite), SQLITE_OK);
    assert_int_equal(sqlite3_exec(sqlite, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(sqlite);
    assert_int_equal(chmod(f->db, 0444), 0);
    size_t before_size, after_size;
    char *before = util_read_file(f->db, &before_size);
    assert_non_null(before);

    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, NULL), 0);
    assert_non_null(strstr(f->output, "wasm3"));
    assert_int_equal(run_pvmlab(f, "db", "check", "--db", f->db, NULL), 0);
    assert_int_equal(run_pvmlab(f, "plot", "--db", f->db, "--out", f->out, "--format", "svg", "engine_ratios", NULL), 0);
    assert_int_equal(run_pvmlab(f, "report", "--db", f->db, "--out", f->out, NULL), 0);

    char *after = util_read_file(f->db, &after_size);
    assert_non_null(after);
    assert_int_equal(after_size, before_size);
    assert_memory_equal(after, before, before_size);
    free(before);
    free(after);
    chmod(f->db, 0644);
}

/* user_version of the file, and its number of tables. */
static void schema_of(const char *path, int *version, int *tables)
{
    sqlite3 *sqlite;
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_open_v2(path, &sqlite, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(sqlite, "PRAGMA user_version", -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    *version = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    assert_int_equal(sqlite3_prepare_v2(sqlite, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", -1,
                                        &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    *tables = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(sqlite);
}

static void an_older_schema_is_not_migrated_by_a_reader(void **state)
{
    folder *f = *state;
    make_bench_db(f->db);
    /* Pretend the file is one schema version behind. */
    sqlite3 *sqlite;
    assert_int_equal(sqlite3_open(f->db, &sqlite), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", pvmlab_db_schema_version_latest() - 1);
    assert_int_equal(sqlite3_exec(sqlite, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(sqlite);
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, NULL), 1);
    assert_non_null(strstr(f->output, "is older than this tool's"));
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "report", "--db", f->db, "--out", f->out, NULL), 1);
    int version, tables;
    schema_of(f->db, &version, &tables);
    assert_int_equal(version, pvmlab_db_schema_version_latest() - 1);
}

static void a_foreign_database_is_refused_untouched(void **state)
{
    folder *f = *state;
    sqlite3 *sqlite;
    assert_int_equal(sqlite3_open(f->db, &sqlite), SQLITE_OK);
    assert_int_equal(sqlite3_exec(sqlite, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
                                          "INSERT INTO customers (name) VALUES ('ada')", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(sqlite);
    const char *const verbs[][2] = {{"compare", NULL}, {"report", "--out"}, {"plot", "--out"}};
    for (size_t v = 0; v < 3; v++) {
        int code = verbs[v][1] ? run_pvmlab(f, verbs[v][0], "--db", f->db, verbs[v][1], f->out, NULL)
                               : run_pvmlab(f, verbs[v][0], "--db", f->db, NULL);
        assert_int_equal(code, 1);
        assert_non_null(strstr(f->output, "not a pvmlab database"));
        assert_non_null(strstr(f->output, f->db));
        assert_one_line(f->output);
    }
    assert_int_equal(run_pvmlab(f, "db", "check", "--db", f->db, NULL), 1);
    assert_non_null(strstr(f->output, "not a pvmlab database"));
    /* Writers refuse it too: no pvmlab table is added to someone else's database. */
    assert_int_equal(run_pvmlab(f, "db", "init", "--db", f->db, NULL), 1);
    assert_non_null(strstr(f->output, "refusing to add tables"));
    assert_one_line(f->output);
    int version, tables;
    schema_of(f->db, &version, &tables);
    assert_int_equal(version, 0);
    assert_int_equal(tables, 1);
}

static void corrupt_directory_and_missing_files_get_one_line(void **state)
{
    folder *f = *state;
    assert_int_equal(test_write_garbage(f->db, 0, 16384), 0);
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, NULL), 1);
    assert_non_null(strstr(f->output, "not an SQLite database"));
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "plot", "--db", f->db, "--out", f->out, NULL), 1);
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->dir, NULL), 1);
    assert_non_null(strstr(f->output, "is a directory"));
    assert_one_line(f->output);
    char missing[200];
    test_path(missing, sizeof missing, f->dir, "missing.db");
    assert_int_equal(run_pvmlab(f, "compare", "--db", missing, NULL), 1);
    assert_one_line(f->output);
    struct stat info;
    assert_int_equal(stat(missing, &info), -1); /* not created by a reader */
}

static void merge_names_the_corrupt_other_file(void **state)
{
    folder *f = *state;
    const char *other = f->other;
    make_bench_db(f->db);
    make_bench_db(other);
    sqlite3 *sqlite;
    assert_int_equal(sqlite3_open(other, &sqlite), SQLITE_OK);
    assert_int_equal(sqlite3_exec(sqlite, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(sqlite);
    struct stat info;
    assert_int_equal(stat(other, &info), 0);
    assert_int_equal(test_write_garbage(other, 4096, (size_t)info.st_size - 4096), 0);
    assert_int_equal(run_pvmlab(f, "db", "merge", "--db", f->db, other, NULL), 1);
    assert_non_null(strstr(f->output, other));
    assert_non_null(strstr(f->output, "corrupt"));
    assert_one_line(f->output);
}

static void a_locked_database_is_named_as_locked(void **state)
{
    folder *f = *state;
    make_bench_db(f->db);
    sqlite3 *holder;
    assert_int_equal(sqlite3_open(f->db, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    const char *other = f->other;
    make_bench_db(other);
    assert_int_equal(run_pvmlab(f, "db", "merge", "--db", f->db, other, NULL), 1);
    assert_non_null(strstr(f->output, "locked"));
    assert_non_null(strstr(f->output, f->db));
    assert_one_line(f->output);
    /* A reader is not held up by a writer (WAL). */
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, NULL), 0);
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
}

static void bad_options_are_usage_errors(void **state)
{
    folder *f = *state;
    assert_int_equal(run_pvmlab(f, "bench", "--build-dir", "/nonexistent", "--db", f->db, NULL), 2);
    assert_non_null(strstr(f->output, "--build-dir /nonexistent: no such directory"));
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "bench", "--engines", "", "--db", f->db, NULL), 2);
    assert_non_null(strstr(f->output, "--engines is empty"));
    assert_int_equal(run_pvmlab(f, "bench", "--engines=", "--list", NULL), 2);
    assert_int_equal(run_pvmlab(f, "bench", "--models", "no-such-model", "--list", NULL), 2);
    assert_non_null(strstr(f->output, "cost model 'no-such-model' cannot be loaded"));
    assert_int_equal(run_pvmlab(f, "bench", "--models", "table:/nonexistent.table", "--list", NULL), 2);
    assert_non_null(strstr(f->output, "/nonexistent.table"));
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "bench", "--shard", "3/2", "--list", NULL), 2);
    assert_int_equal(run_pvmlab(f, "bench", "--shard", "0/2", "--list", NULL), 2);
    assert_int_equal(run_pvmlab(f, "bench", "--cpu", "4095", "--list", NULL), 2); /* no machine here has it */
    assert_non_null(strstr(f->output, "--cpu 4095: CPU 4095 is not one this process may run on ("));
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "bench", "--cpu", "x", "--list", NULL), 2);
    assert_non_null(strstr(f->output, "--cpu wants a CPU number or none, not 'x'"));
    assert_int_equal(run_pvmlab(f, "bench", "--cpu", "-1", "--list", NULL), 2);
    assert_int_equal(run_pvmlab(f, "calibrate", "--shard", "1/0", NULL), 2);
    assert_int_equal(run_pvmlab(f, "calibrate", "--quick", "--smoke", NULL), 2);
    static const char *const timeouts[] = {"0", "-5", "99999", "abc", "10s", ""};
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        assert_int_equal(run_pvmlab(f, "plot", "--timeout", timeouts[i], "--db", f->db, NULL), 2);
        assert_non_null(strstr(f->output, "--timeout wants whole seconds"));
    }
    assert_int_equal(run_pvmlab(f, "plot", "--run", "x", NULL), 2);
    assert_int_equal(run_pvmlab(f, "plot", "no-such-figure", NULL), 2);
    assert_int_equal(run_pvmlab(f, "report", "--threshold", "-1", NULL), 2);
    assert_int_equal(run_pvmlab(f, "compare", "--run", "1,x", NULL), 2);
    assert_int_equal(run_pvmlab(f, "tables", "--db", NULL), 2);
    assert_non_null(strstr(f->output, "--db needs a value"));
}

/* Every verb goes through the one parser: --help prints its usage (exit 0), an unknown
 * option is one line naming it (exit 2), a missing value says so. */
static void every_verb_answers_help_and_refuses_unknown_options(void **state)
{
    folder *f = *state;
    static const char *const verbs[] = {"bench", "compare", "calibrate", "tables", "counters",
                                        "db", "plot", "report"};
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
        char usage[64];
        snprintf(usage, sizeof usage, "usage: pvmlab %s", verbs[v]);
        assert_int_equal(run_pvmlab(f, verbs[v], "--help", NULL), 0);
        assert_non_null(strstr(f->output, usage));
        assert_int_equal(run_pvmlab(f, verbs[v], "-h", NULL), 0);
        assert_int_equal(run_pvmlab(f, verbs[v], "--no-such-option", NULL), 2);
        char expected[128];
        snprintf(expected, sizeof expected, "pvmlab %s: unknown option '--no-such-option'", verbs[v]);
        assert_non_null(strstr(f->output, expected));
        assert_one_line(f->output);
    }
    assert_int_equal(run_pvmlab(f, "compare", "--db", NULL), 2);
    assert_non_null(strstr(f->output, "--db needs a value"));
    assert_int_equal(run_pvmlab(f, "bench", "--list=yes", NULL), 2);
    assert_non_null(strstr(f->output, "--list takes no value"));
    assert_int_equal(run_pvmlab(f, "counters", "extra", NULL), 2);
}

static void compare_takes_the_newest_benchmark_run_and_counts_vanished_ones(void **state)
{
    folder *f = *state;
    pvmlab_db *db;
    char err[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_open(f->db, NULL, &db, err, sizeof err), 0);
    static const char *const both[] = {"native", "wasm3", NULL}, *const one[] = {"native", NULL},
                             *const fidelity[] = {"pvm-interp-gas-sync-table", NULL};
    pvmlab_id first = add_run(db, "pvmlab bench --suite quick", "quick", both, 1000000);
    pvmlab_id second = add_run(db, "pvmlab bench --suite quick", "quick", one, 1000000);
    add_run(db, "pvmlab tables (fidelity)", "fidelity", fidelity, 1000); /* newest, not a benchmark run */
    pvmlab_db_close(db);
    char run_text[32], against_text[32];
    snprintf(run_text, sizeof run_text, "run %lld", (long long)second);
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, NULL), 0);
    assert_non_null(strstr(f->output, run_text));
    /* wasm3 measured in the first run but not in the second: a regression. */
    snprintf(against_text, sizeof against_text, "%lld", (long long)first);
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, "--against", against_text, NULL), 1);
    assert_non_null(strstr(f->output, "VANISHED"));
    assert_non_null(strstr(f->output, "1 regressed (1 of them vanished"));
}

/* Two shards measured on two machines, merged: compare takes both runs together and each
 * guest's row names the machine it was measured on. */
static void compare_across_shards_names_each_rows_machine(void **state)
{
    folder *f = *state;
    char shard_a[200], shard_b[200];
    test_path(shard_a, sizeof shard_a, f->dir, "shard-a.db");
    test_path(shard_b, sizeof shard_b, f->dir, "shard-b.db");
    static const char *const both[] = {"native", "wasm3", NULL};
    const char *const paths[] = {shard_a, shard_b}, *const hosts[] = {"host-a", "host-b"},
                      *const guests[] = {"crc32", "sha256"};
    for (int i = 0; i < 2; i++) {
        pvmlab_db *db;
        char err[PVMLAB_DB_ERROR_MAX];
        assert_int_equal(pvmlab_db_open(paths[i], NULL, &db, err, sizeof err), 0);
        add_run_on(db, hosts[i], guests[i], "pvmlab bench --shard", "quick", both, 1000000);
        pvmlab_db_close(db);
        assert_int_equal(run_pvmlab(f, "db", "merge", "--db", f->db, paths[i], NULL), 0);
    }
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, "--run", "1,2", NULL), 0);
    assert_non_null(strstr(f->output, "runs 1,2"));
    assert_non_null(strstr(f->output, "machine"));
    const char *crc = strstr(f->output, "\ncrc32"), *sha = strstr(f->output, "\nsha256");
    assert_non_null(crc);
    assert_non_null(sha);
    assert_true(strstr(crc, "host-a") && strstr(crc, "host-a") < strchr(crc + 1, '\n'));
    assert_true(strstr(sha, "host-b") && strstr(sha, "host-b") < strchr(sha + 1, '\n'));
    /* One run alone is one machine: no machine column. */
    assert_int_equal(run_pvmlab(f, "compare", "--db", f->db, "--run", "1", NULL), 0);
    assert_null(strstr(f->output, "machine"));
    /* The report lists the runs with the machine that measured each. */
    assert_int_equal(run_pvmlab(f, "report", "--db", f->db, "--out", f->out, NULL), 0);
    char markdown[200];
    size_t size = 0;
    test_path(markdown, sizeof markdown, f->out, "report.md");
    char *text = util_read_file(markdown, &size);
    assert_non_null(text);
    text[size - 1] = '\0';
    const char *runs = strstr(text, "Runs and the machines that measured them");
    assert_non_null(runs);
    assert_non_null(strstr(runs, "| 1 |"));
    assert_non_null(strstr(runs, "host-a"));
    assert_non_null(strstr(runs, "host-b"));
    free(text);
}

/* A bench database plus one recompiler calibration of count values (unit.ps_per_gas 250 +- 12.5
 * first, then op.add_64.fit 310.25 without an error); returns its id. */
static pvmlab_id make_calibration_db(const char *path, size_t count)
{
    make_bench_db(path);
    pvmlab_db *db;
    char err[PVMLAB_DB_ERROR_MAX];
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    pvmlab_calibration calibration = {.run = 1, .backend = "tsc", .model_kind = "table",
                                      .parameters = "{\"vm_backend\":\"jit\",\"counters\":\"clock\"}"};
    pvmlab_calibration_value values[] = {
        {.key = "unit.ps_per_gas", .value_ps = 250, .value_cycles = NAN, .mad = NAN, .se = 12.5, .n = 7},
        {.key = "op.add_64.fit", .value_ps = 310.25, .value_cycles = NAN, .mad = NAN, .se = NAN, .n = 3},
    };
    pvmlab_id id;
    assert_int_equal(pvmlab_db_store_calibration(db, &calibration, values, count, &id), 0);
    pvmlab_db_close(db);
    return id;
}

/* db calibration prints one calibration for scripts (scripts/calibration_fidelity.sh reads
 * its vm_backend and unit.ps_per_gas): fields, then value lines with NULL for unknown
 * numbers; a missing calibration or database is one line and exit 1, no id is a usage error. */
static void db_calibration_prints_fields_and_values(void **state)
{
    folder *f = *state;
    pvmlab_id id = make_calibration_db(f->db, 2);
    char name[32];
    snprintf(name, sizeof name, "%lld", (long long)id);
    assert_int_equal(run_pvmlab(f, "db", "calibration", "--db", f->db, name, NULL), 0);
    assert_non_null(strstr(f->output, "vm_backend\tjit\n"));
    assert_non_null(strstr(f->output, "counters\tclock\n"));
    assert_non_null(strstr(f->output, "time_source\ttsc\n"));
    assert_non_null(strstr(f->output, "value\top.add_64.fit\t310.25\tNULL\t3\n"));
    assert_non_null(strstr(f->output, "value\tunit.ps_per_gas\t250\t12.5\t7\n"));
    /* the value lines come in key order */
    assert_true(strstr(f->output, "op.add_64.fit") < strstr(f->output, "unit.ps_per_gas"));
    assert_int_equal(run_pvmlab(f, "db", "calibration", "--db", f->db, "99", NULL), 1);
    assert_one_line(f->output);
    assert_non_null(strstr(f->output, f->db));
    assert_int_equal(run_pvmlab(f, "db", "calibration", "--db", f->out, "1", NULL), 1);
    assert_one_line(f->output);
    assert_int_equal(run_pvmlab(f, "db", "calibration", "--db", f->db, NULL), 2);
}

/* A count from the file, read-only. */
static int count_rows(const char *path, const char *sql)
{
    sqlite3 *sqlite;
    sqlite3_stmt *statement;
    assert_int_equal(sqlite3_open_v2(path, &sqlite, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(sqlite, sql, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    int n = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(sqlite);
    return n;
}

/* db prune keeps what tables are made from (calibrations, their values, runs) and drops the
 * samples, benchmarks and engines; the file stays healthy and a calibration reads the same. */
static void db_prune_keeps_calibrations_and_drops_samples(void **state)
{
    folder *f = *state;
    make_calibration_db(f->db, 1);
    int samples = count_rows(f->db, "SELECT count(*) FROM samples"), runs = count_rows(f->db, "SELECT count(*) FROM runs");
    assert_true(samples > 0);
    assert_int_equal(run_pvmlab(f, "db", "prune", "--db", f->db, NULL), 0);
    char want[64];
    snprintf(want, sizeof want, "pruned: %d samples", samples);
    assert_non_null(strstr(f->output, want));
    assert_int_equal(count_rows(f->db, "SELECT count(*) FROM samples"), 0);
    assert_int_equal(count_rows(f->db, "SELECT count(*) FROM engines"), 0);
    assert_int_equal(count_rows(f->db, "SELECT count(*) FROM runs"), runs);
    assert_int_equal(count_rows(f->db, "SELECT count(*) FROM calibration_values"), 1);
    assert_int_equal(run_pvmlab(f, "db", "check", "--db", f->db, NULL), 0);
    assert_int_equal(run_pvmlab(f, "db", "calibration", "--db", f->db, "1", NULL), 0);
    assert_non_null(strstr(f->output, "value\tunit.ps_per_gas\t250\t12.5\t7\n"));
    assert_int_equal(run_pvmlab(f, "db", "prune", "--db", f->db, "extra", NULL), 2);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/no-such-folder/results.db", f->out);
    assert_int_equal(run_pvmlab(f, "db", "prune", "--db", missing, NULL), 1);
    assert_one_line(f->output);
    assert_non_null(strstr(f->output, missing));
}

int main(void)
{
#define TEST(t) cmocka_unit_test_setup_teardown(t, test_cli_folder_setup, test_cli_folder_teardown)
    const struct CMUnitTest tests[] = {
        TEST(read_only_verbs_leave_a_read_only_file_as_it_was),
        TEST(an_older_schema_is_not_migrated_by_a_reader),
        TEST(a_foreign_database_is_refused_untouched),
        TEST(corrupt_directory_and_missing_files_get_one_line),
        TEST(merge_names_the_corrupt_other_file),
        TEST(a_locked_database_is_named_as_locked),
        TEST(bad_options_are_usage_errors),
        TEST(every_verb_answers_help_and_refuses_unknown_options),
        TEST(compare_takes_the_newest_benchmark_run_and_counts_vanished_ones),
        TEST(compare_across_shards_names_each_rows_machine),
        TEST(db_calibration_prints_fields_and_values),
        TEST(db_prune_keeps_calibrations_and_drops_samples),
    };
    return cmocka_run_group_tests_name("cli_hardening", tests, NULL, NULL);
}
