/* Summary: what the database holds, the newest run, and the headline ratios. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "plots/ratios.h"
#include "report_context.h"
#include "plots/sql_util.h"

enum { COUNTED_TABLES = 7 };

static int count_rows(report_context *ctx, long long counts[COUNTED_TABLES], char *err, size_t err_len)
{
    sqlite3 *sqlite = pvmlab_db_sqlite(ctx->db);
    sqlite3_stmt *statement = pvmlab_sql_prepare(
        sqlite,
        "SELECT (SELECT count(*) FROM machines), (SELECT count(*) FROM runs), (SELECT count(*) FROM samples),"
        " (SELECT count(*) FROM engines), (SELECT count(*) FROM benchmarks), (SELECT count(*) FROM calibrations),"
        " (SELECT count(*) FROM cost_tables)",
        "counting rows", err, err_len);
    if (!statement)
        return -1;
    int rc = sqlite3_step(statement);
    for (int i = 0; rc == SQLITE_ROW && i < COUNTED_TABLES; i++)
        counts[i] = sqlite3_column_int64(statement, i);
    if (rc != SQLITE_ROW)
        pvmlab_sql_fail(sqlite, "counting rows", err, err_len);
    sqlite3_finalize(statement);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int describe_run(report_context *ctx, char *err, size_t err_len)
{
    sqlite3 *sqlite = pvmlab_db_sqlite(ctx->db);
    sqlite3_stmt *statement = pvmlab_sql_prepare(
        sqlite, "SELECT uuid, started_at, coalesce(ended_at, 'not ended'), status, command_line FROM runs WHERE id = ?1",
        "reading the run", err, err_len);
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, ctx->latest.run);
    int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW)
        report_paragraph(ctx->doc, "Newest run with samples: run %lld (uuid %s), started %s, ended %s, status %s, command: %s.",
                         (long long)ctx->latest.run, sqlite3_column_text(statement, 0), sqlite3_column_text(statement, 1),
                         sqlite3_column_text(statement, 2), sqlite3_column_text(statement, 3),
                         sqlite3_column_text(statement, 4));
    else if (rc != SQLITE_DONE)
        pvmlab_sql_fail(sqlite, "reading the run", err, err_len);
    sqlite3_finalize(statement);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static void headline(report_context *ctx)
{
    const pvmlab_run_table *table = &ctx->latest;
    if (!pvmlab_run_table_has_native(table)) {
        report_note(ctx->doc, "Run %lld has no native samples, so no engine can be compared with native code.",
                    (long long)table->run);
        return;
    }
    static const char *const header[] = {"engine", "geomean time / native", "guests"};
    long t = report_table(ctx->doc, "lrr", header);
    for (size_t e = 0; e < table->engine_count; e++) {
        if (pvmlab_run_table_engine_is_native(table, table->engines[e]))
            continue;
        size_t count;
        char ratio[32], guests[32];
        cell_ratio(ratio, sizeof ratio, pvmlab_geomean_ratio(table, table->engines[e], &count));
        snprintf(guests, sizeof guests, "%zu", count);
        const char *row[] = {table->engines[e], ratio, guests};
        report_table_row(ctx->doc, t, row);
    }
}

int section_summary(report_context *ctx, char *err, size_t err_len)
{
    long long counts[COUNTED_TABLES];
    if (count_rows(ctx, counts, err, err_len) != 0)
        return -1;
    char now[32];
    time_t seconds = time(NULL);
    struct tm utc;
    gmtime_r(&seconds, &utc);
    strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S UTC", &utc);
    report_heading(ctx->doc, 2, "Summary");
    report_paragraph(ctx->doc, "Generated %s from %s (schema version %d).", now, ctx->db_path,
                     pvmlab_db_schema_version_latest());
    report_paragraph(ctx->doc,
                     "The database holds %lld machine(s), %lld run(s), %lld sample(s) of %lld engine configuration(s) "
                     "on %lld benchmark(s), %lld calibration(s) and %lld cost table(s).",
                     counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]);
    if (counts[2] == 0 && counts[5] == 0) {
        report_note(ctx->doc, "No data: the database has no samples and no calibrations. "
                              "Run pvmlab bench (and pvmlab calibrate), then pvmlab report again.");
        return 0;
    }
    if (ctx->latest.cell_count == 0) {
        report_note(ctx->doc, "No samples yet: run pvmlab bench. The calibration sections below are filled.");
        return 0;
    }
    if (describe_run(ctx, err, err_len) != 0)
        return -1;
    headline(ctx);
    return 0;
}
