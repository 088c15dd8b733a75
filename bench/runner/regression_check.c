/* The regression check (see regression_check.h). */
#include <string.h>

#include "regression_check.h"

double regression_change_percent(double reference_ns, double candidate_ns)
{
    return reference_ns > 0 ? (candidate_ns - reference_ns) / reference_ns * 100.0 : 0.0;
}

void regression_check(const compare_set *reference, const compare_set *candidate, const char *mode,
                      double threshold_percent, FILE *out, regression_summary *summary)
{
    memset(summary, 0, sizeof *summary);
    if (out)
        fprintf(out, "%-24s %-20s %-11s %12s %12s %9s\n", "engine", "guest", "mode", "reference", "candidate",
                "change");
    for (size_t i = 0; i < candidate->count; i++) {
        const compare_entry *c = &candidate->cells[i];
        if (mode && strcmp(c->mode, mode) != 0)
            continue;
        const compare_entry *r = pvmlab_run_medians_find(reference, c->engine, c->benchmark, c->size, c->mode);
        if (!r)
            continue;
        double change = regression_change_percent(r->median_wall_ns, c->median_wall_ns);
        const char *verdict = "";
        summary->compared++;
        if (change > threshold_percent) {
            summary->regressed++;
            verdict = "  REGRESSED";
        } else if (change < -threshold_percent) {
            summary->improved++;
            verdict = "  improved";
        }
        if (out)
            fprintf(out, "%-24s %-20s %-11s %9.3f ms %9.3f ms %+8.1f%%%s\n", c->engine, c->benchmark, c->mode,
                    r->median_wall_ns / 1e6, c->median_wall_ns / 1e6, change, verdict);
    }
    for (size_t i = 0; i < reference->count; i++) {
        const compare_entry *r = &reference->cells[i];
        if ((mode && strcmp(r->mode, mode) != 0) || pvmlab_run_medians_find(candidate, r->engine, r->benchmark, r->size, r->mode))
            continue;
        summary->vanished++;
        summary->regressed++;
        if (out)
            fprintf(out, "%-24s %-20s %-11s %9.3f ms %12s %9s  REGRESSED: VANISHED from the candidate run\n", r->engine,
                    r->benchmark, r->mode, r->median_wall_ns / 1e6, "-", "-");
    }
}
