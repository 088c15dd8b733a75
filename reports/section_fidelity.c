/* Gas fidelity per cost model: does gas bound time? max ns/gas / median ns/gas, over the
 * benchmark guests of the newest bench run and over the calibration programs of the newest
 * fidelity run (pvmlab tables). */
#include <stdio.h>
#include <string.h>

#include "fidelity.h"
#include "report_context.h"

static const char *const HEADER[] = {"engine", "cost model", "programs", "n", "min ns/gas", "median ns/gas",
                                     "max ns/gas", "fidelity", "slowest program per gas"};

/* Adds one row per metering engine of table; creates the table block on the first row. */
static void fidelity_rows(report_context *ctx, const pvmlab_run_table *table, const char *programs, long *t)
{
    for (size_t e = 0; e < table->engine_count; e++) {
        const char *engine = table->engines[e];
        if (!pvmlab_engine_meters(table, engine))
            continue;
        if (*t < 0)
            *t = report_table(ctx->doc, "lllrrrrrl", HEADER);
        const char *model = "";
        for (size_t i = 0; i < table->cell_count && !*model; i++)
            if (strcmp(table->cells[i].engine, engine) == 0)
                model = table->cells[i].model;
        pvmlab_fidelity fidelity;
        pvmlab_fidelity_of_engine(table, engine, &fidelity);
        char source[96], count[32], low[32], median[32], high[32], ratio[32];
        snprintf(source, sizeof source, "%s (run %lld)", programs, (long long)table->run);
        snprintf(count, sizeof count, "%zu", fidelity.programs);
        const char *row[] = {engine,
                             *model ? model : "(engine default)",
                             source,
                             count,
                             cell_number(low, sizeof low, fidelity.min_ns_per_gas),
                             cell_number(median, sizeof median, fidelity.median_ns_per_gas),
                             cell_number(high, sizeof high, fidelity.max_ns_per_gas),
                             cell_number(ratio, sizeof ratio, fidelity.fidelity),
                             fidelity.slowest_program ? fidelity.slowest_program : ""};
        report_table_row(ctx->doc, *t, row);
    }
}

int section_fidelity(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "Gas fidelity per cost model");
    report_paragraph(ctx->doc, "For each metering engine and cost model: the nanoseconds per unit of gas of every "
                               "program (median time / median gas), and fidelity = max ns/gas \u00f7 median ns/gas. "
                               "1.0 means gas is proportional to time; 3.0 means some program takes three times "
                               "longer than its gas suggests.");
    long t = -1;
    fidelity_rows(ctx, &ctx->latest, "benchmark guests", &t);
    fidelity_rows(ctx, &ctx->fidelity, "calibration programs", &t);
    if (t < 0)
        report_note(ctx->doc, "No data: no sample carries gas (run pvmlab bench with a metering engine, or "
                              "pvmlab tables, which times the calibration programs under a generated table).");
    report_add_figure(ctx, PVMLAB_FIGURE_GAS_VS_TIME);
    report_paragraph(ctx->doc, "The stride-conflict programs execute the same instructions and are charged the same gas; "
                               "only the stride of their loads differs (1, 2048 and 2053 words). Stride 2048 puts every "
                               "load in one L1 set. A cost model that ignores the cache charges all three alike.");
    report_add_figure(ctx, PVMLAB_FIGURE_STRIDE_CONFLICT);
    (void)err, (void)err_len;
    return 0;
}
