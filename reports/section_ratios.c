/* Engine ratios: time relative to native per guest with the geomean, and the median times. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plots/ratios.h"
#include "report_context.h"

/* A header row: first, then the engine labels (borrowed). NULL on out of memory. */
static const char **engine_header(const pvmlab_run_table *table, const char *first)
{
    const char **header = malloc((table->engine_count + 1) * sizeof *header);
    if (!header)
        return NULL;
    header[0] = first;
    for (size_t e = 0; e < table->engine_count; e++)
        header[e + 1] = table->engines[e];
    return header;
}

/* A row buffer: cells point into text, one 32-byte slot per column. */
typedef struct row_buffer {
    const char **cells;
    char (*text)[32];
} row_buffer;

static int row_buffer_init(row_buffer *row, size_t columns)
{
    row->cells = calloc(columns, sizeof *row->cells);
    row->text = calloc(columns, sizeof *row->text);
    return row->cells && row->text ? 0 : -1;
}

static void row_buffer_free(row_buffer *row)
{
    free(row->cells);
    free(row->text);
}

static void ratio_table(report_context *ctx, const char **header, row_buffer *row, const char *align)
{
    const pvmlab_run_table *table = &ctx->latest;
    long t = report_table(ctx->doc, align, header);
    for (size_t b = 0; b < table->benchmark_count; b++) {
        row->cells[0] = table->benchmarks[b];
        for (size_t e = 0; e < table->engine_count; e++)
            row->cells[e + 1] = cell_ratio(row->text[e + 1], 32,
                                           pvmlab_ratio_to_native(table, table->engines[e], table->benchmarks[b]));
        report_table_row(ctx->doc, t, row->cells);
    }
    row->cells[0] = "geomean";
    for (size_t e = 0; e < table->engine_count; e++)
        row->cells[e + 1] = cell_ratio(row->text[e + 1], 32, pvmlab_geomean_ratio(table, table->engines[e], NULL));
    report_table_row(ctx->doc, t, row->cells);
}

static void time_table(report_context *ctx, const char **header, row_buffer *row, const char *align)
{
    const pvmlab_run_table *table = &ctx->latest;
    long t = report_table(ctx->doc, align, header);
    for (size_t b = 0; b < table->benchmark_count; b++) {
        row->cells[0] = table->benchmarks[b];
        for (size_t e = 0; e < table->engine_count; e++) {
            const pvmlab_cell *cell = pvmlab_run_table_find(table, table->engines[e], table->benchmarks[b]);
            if (cell)
                snprintf(row->text[e + 1], 32, "%.3f (n=%zu)", cell->median_wall_ns / 1e6, cell->n);
            else
                cell_ms(row->text[e + 1], 32, NAN);
            row->cells[e + 1] = row->text[e + 1];
        }
        report_table_row(ctx->doc, t, row->cells);
    }
}

int section_ratios(report_context *ctx, char *err, size_t err_len)
{
    const pvmlab_run_table *table = &ctx->latest;
    report_heading(ctx->doc, 2, "Engine ratios");
    if (table->cell_count == 0) {
        report_note(ctx->doc, "No data: no samples in the database (run pvmlab bench).");
        report_add_figure(ctx, PVMLAB_FIGURE_ENGINE_RATIOS);
        return 0;
    }
    const char **header = engine_header(table, "guest");
    char *align = malloc(table->engine_count + 2);
    row_buffer row;
    int rc = row_buffer_init(&row, table->engine_count + 1);
    if (!header || !align || rc != 0) {
        snprintf(err, err_len, "out of memory");
        free(header), free(align), row_buffer_free(&row);
        return -1;
    }
    align[0] = 'l';
    for (size_t e = 0; e < table->engine_count; e++)
        align[e + 1] = 'r';
    align[table->engine_count + 1] = '\0';
    report_paragraph(ctx->doc, "Run %lld, %s mode. Each cell is the median wall time of the engine divided by the median wall "
                               "time of native code on the same guest (lower is better; 1.00\u00d7 = native speed). "
                               "The last row is the geometric mean over the guests that have both.",
                     (long long)table->run, table->mode);
    if (pvmlab_run_table_has_native(table))
        ratio_table(ctx, header, &row, align);
    else
        report_note(ctx->doc, "No native samples in run %lld: ratios need the native engine (pvmlab bench runs it "
                              "unless excluded).", (long long)table->run);
    report_add_figure(ctx, PVMLAB_FIGURE_ENGINE_RATIOS);
    report_heading(ctx->doc, 3, "Median wall time (ms)");
    time_table(ctx, header, &row, align);
    free(header), free(align), row_buffer_free(&row);
    return 0;
}
