/* Machine and counter provenance: machines, the build, and per counter whether it was
 * available in the newest run, with the stored reason when it was not. */
#include <stdio.h>
#include <string.h>

#include "report_context.h"
#include "plots/sql_util.h"

/* Runs sql (one optional ?1 bound to key) and adds one table row per result row; every
 * column is shown as text. Returns the number of rows, or -1 with err. */
static int query_table(report_context *ctx, const char *sql, sqlite3_int64 key, const char *align,
                       const char *const *header, char *err, size_t err_len)
{
    sqlite3 *sqlite = pvmlab_db_sqlite(ctx->db);
    sqlite3_stmt *statement = pvmlab_sql_prepare(sqlite, sql, "reading provenance", err, err_len);
    if (!statement)
        return -1;
    if (sqlite3_bind_parameter_count(statement) >= 1)
        sqlite3_bind_int64(statement, 1, key);
    size_t columns = strlen(align);
    long t = -1;
    int rc, rows = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        if (t < 0)
            t = report_table(ctx->doc, align, header);
        const char *row[16];
        for (size_t c = 0; c < columns && c < 16; c++)
            row[c] = (const char *)sqlite3_column_text(statement, (int)c);
        report_table_row(ctx->doc, t, row);
        rows++;
    }
    int result = rc == SQLITE_DONE ? rows : pvmlab_sql_fail(sqlite, "reading provenance", err, err_len);
    sqlite3_finalize(statement);
    return result;
}

/* The counters of one run: per counter, how many samples had a value, and why not. */
static int counters_of_run(report_context *ctx, pvmlab_id run, char *err, size_t err_len)
{
    char title[96];
    snprintf(title, sizeof title, "Counters in run %lld", (long long)run);
    report_heading(ctx->doc, 3, title);
    report_paragraph(ctx->doc, "Every counter pvmlab tried in run %lld, with how many samples had a value. An "
                               "unavailable counter is stored as NULL with the reason, never as 0.",
                     (long long)run);
    static const char *const header[] = {"counter", "source", "samples with a value", "samples without", "status"};
    int rows = query_table(ctx,
                           "SELECT c.name, c.source, sum(c.value IS NOT NULL), sum(c.value IS NULL),"
                           " CASE WHEN sum(c.value IS NULL) = 0 THEN 'available'"
                           " ELSE 'unavailable (' || coalesce(c.unavailable_reason, '') || ')' END"
                           " FROM counter_readings c JOIN samples s ON s.id = c.sample_id WHERE s.run_id = ?1"
                           " GROUP BY c.name, c.source, c.unavailable_reason ORDER BY c.name, c.source",
                           run, "llrrl", header, err, err_len);
    if (rows == 0)
        report_note(ctx->doc, "Run %lld stored no counter readings: only wall time was measured.", (long long)run);
    return rows < 0 ? -1 : 0;
}

int section_provenance(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "Machine and counter provenance");
    static const char *const machine_header[] = {"machine", "hostname", "CPU", "cores", "kernel", "hardware PMU"};
    int rows = query_table(ctx,
                           "SELECT id, hostname, cpu_model, cores, kernel,"
                           " CASE WHEN pmu_available THEN 'available' ELSE 'unavailable (' || pmu_reason || ')' END"
                           " FROM machines ORDER BY id",
                           0, "lllrll", machine_header, err, err_len);
    if (rows < 0)
        return -1;
    if (rows == 0)
        report_note(ctx->doc, "No machine recorded yet (every pvmlab bench or calibrate run records one).");
    /* Runs merged from several machines (pvmlab bench --shard, pvmlab db merge): which
     * machine measured which samples. */
    report_heading(ctx->doc, 3, "Runs and the machines that measured them");
    static const char *const runs_header[] = {"run", "started", "machine", "command", "samples", "source (git)"};
    rows = query_table(ctx,
                       "SELECT r.id, r.started_at, m.hostname, r.command_line, count(s.id),"
                       " coalesce((SELECT value FROM run_provenance p WHERE p.run_id = r.id AND p.key = 'git_rev'),"
                       " 'not recorded')"
                       " FROM runs r JOIN machines m ON m.id = r.machine_id LEFT JOIN samples s ON s.run_id = r.id"
                       " GROUP BY r.id ORDER BY r.id",
                       0, "rlllrl", runs_header, err, err_len);
    if (rows < 0)
        return -1;
    if (ctx->latest.run != 0) {
        report_heading(ctx->doc, 3, "State of the machine in the newest bench run");
        static const char *const state_header[] = {"what", "value"};
        rows = query_table(ctx, "SELECT key, value FROM run_provenance WHERE run_id = ?1 ORDER BY key",
                           ctx->latest.run, "ll", state_header, err, err_len);
        if (rows < 0)
            return -1;
        if (rows == 0)
            report_note(ctx->doc, "Run %lld recorded no machine state (older pvmlab).", (long long)ctx->latest.run);
    }
    if (ctx->latest.run != 0) {
        report_heading(ctx->doc, 3, "Build of the newest bench run");
        static const char *const build_header[] = {"compiler", "flags", "git revision", "pvmlab version"};
        if (query_table(ctx,
                        "SELECT b.compiler, b.flags, b.git_rev, b.tool_version FROM runs r"
                        " JOIN builds b ON b.id = r.build_id WHERE r.id = ?1",
                        ctx->latest.run, "llll", build_header, err, err_len) < 0)
            return -1;
    }
    /* Counters of the newest bench run, and of the newest run that read counters at all
     * (pvmlab calibrate reads them for every microbenchmark; bench may not). */
    int64_t counted_run;
    if (pvmlab_sql_int(pvmlab_db_sqlite(ctx->db),
                       "SELECT max(s.run_id) FROM counter_readings c JOIN samples s ON s.id = c.sample_id", 0, 0,
                       &counted_run, err, err_len) != 0)
        return -1;
    if (ctx->latest.run != 0 && counters_of_run(ctx, ctx->latest.run, err, err_len) != 0)
        return -1;
    if (counted_run != 0 && counted_run != ctx->latest.run)
        return counters_of_run(ctx, counted_run, err, err_len);
    if (counted_run == 0 && ctx->latest.run == 0)
        report_note(ctx->doc, "No counter readings stored yet (pvmlab calibrate and pvmlab bench record them).");
    return 0;
}
