/* Summary: what the database holds, the newest run, and the headline ratios. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "plots/ratios.h"
#include "report_context.h"
#include "results/store_listing.h"

static int describe(const pvmlab_run_row *run, void *context)
{
    report_context *ctx = context;
    report_paragraph(ctx->doc, "Newest run with samples: run %lld (uuid %s), started %s, ended %s, status %s, command: %s.",
                     (long long)run->id, run->uuid, run->started_at, run->ended_at ? run->ended_at : "not ended",
                     run->status, run->command_line);
    return 0;
}

static int describe_run(report_context *ctx, char *err, size_t err_len)
{
    if (pvmlab_db_foreach_run(ctx->db, ctx->latest.run, describe, ctx) == 0)
        return 0;
    snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
    return -1;
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
    pvmlab_store_counts counts;
    if (pvmlab_db_count_rows(ctx->db, &counts) != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
        return -1;
    }
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
                     (long long)counts.machines, (long long)counts.runs, (long long)counts.samples,
                     (long long)counts.engines, (long long)counts.benchmarks, (long long)counts.calibrations,
                     (long long)counts.cost_tables);
    if (counts.samples == 0 && counts.calibrations == 0) {
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
