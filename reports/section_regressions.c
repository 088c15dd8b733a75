/* Regressions against the previous run: median wall time per engine and guest, newest run
 * vs the run before it on the same machine, flagged beyond a threshold. */
#include <math.h>
#include <stdio.h>

#include "report_context.h"

static void compare_runs(report_context *ctx)
{
    const pvmlab_run_table *latest = &ctx->latest, *previous = &ctx->previous;
    static const char *const header[] = {"engine", "guest", "previous ms", "latest ms", "change", "verdict"};
    long t = -1;
    size_t compared = 0, regressions = 0, improvements = 0;
    for (size_t i = 0; i < latest->cell_count; i++) {
        const pvmlab_cell *now = &latest->cells[i];
        const pvmlab_cell *before = pvmlab_run_table_find(previous, now->engine, now->benchmark);
        if (!before || !(before->median_wall_ns > 0))
            continue;
        compared++;
        double change_pct = (now->median_wall_ns / before->median_wall_ns - 1.0) * 100.0;
        if (fabs(change_pct) <= ctx->threshold_pct)
            continue;
        int slower = change_pct > 0;
        regressions += slower;
        improvements += !slower;
        if (t < 0)
            t = report_table(ctx->doc, "llrrrl", header);
        char before_ms[32], now_ms[32], change[32];
        snprintf(change, sizeof change, "%+.1f%%", change_pct);
        const char *row[] = {now->engine, now->benchmark, cell_ms(before_ms, sizeof before_ms, before->median_wall_ns),
                             cell_ms(now_ms, sizeof now_ms, now->median_wall_ns), change,
                             slower ? "REGRESSION" : "improvement"};
        report_table_row(ctx->doc, t, row);
    }
    report_paragraph(ctx->doc, "Compared %zu engine \u00d7 guest cells: %zu regression(s) and %zu improvement(s) "
                               "beyond the threshold of \u00b1%.1f%%.",
                     compared, regressions, improvements, ctx->threshold_pct);
}

int section_regressions(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "Regressions against the previous run");
    if (ctx->latest.cell_count == 0)
        report_note(ctx->doc, "No data: no samples (run pvmlab bench).");
    else if (ctx->previous.run == 0)
        report_note(ctx->doc, "Run %lld is the only run with samples on its machine: nothing to compare with yet.",
                    (long long)ctx->latest.run);
    else {
        report_paragraph(ctx->doc, "Run %lld against run %lld (the previous run with samples on the same machine). "
                                   "Threshold: a change of the median wall time beyond \u00b1%.1f%% (pvmlab report "
                                   "--threshold PCT).",
                         (long long)ctx->latest.run, (long long)ctx->previous.run, ctx->threshold_pct);
        compare_runs(ctx);
    }
    report_add_figure(ctx, PVMLAB_FIGURE_METRIC_HISTORY);
    (void)err, (void)err_len;
    return 0;
}
