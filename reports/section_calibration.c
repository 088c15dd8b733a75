/* Calibrations: each stored calibration's fitted values, the cost tables made from them, and
 * the per-opcode and load-latency figures. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plots/calibration_keys.h"
#include "report_context.h"
#include "results/calibration_value_unit.h"
#include "results/store_listing.h"

enum { CALIBRATIONS_SHOWN = 6, TEXT_SHOWN = 700 };

/* Free text of a calibration as the report shows it: "(none)", the text, or, for the fit
 * details that can run to hundreds of kilobytes of JSON, its start and where the rest is. */
static const char *abbreviated(char *out, size_t len, const char *text, const char *column)
{
    size_t length = strlen(text);
    if (length == 0)
        snprintf(out, len, "(none)");
    else if (length <= TEXT_SHOWN)
        snprintf(out, len, "%s", text);
    else
        snprintf(out, len, "%.*s… (%zu bytes in all: calibrations.%s)", TEXT_SHOWN, text, length, column);
    return out;
}

static const char *kind_name(pvmlab_key_kind kind)
{
    switch (kind) {
    case PVMLAB_KEY_OPCODE: return "opcode";
    case PVMLAB_KEY_WORKING_SET: return "working set";
    case PVMLAB_KEY_CACHE_LEVEL: return "cache level";
    case PVMLAB_KEY_STRIDE: return "stride";
    case PVMLAB_KEY_OTHER: return "other";
    }
    return "";
}

static void calibration_values(report_context *ctx, const pvmlab_calibration_record *record)
{
    char title[160];
    snprintf(title, sizeof title, "Calibration %lld: %s model, %s backend%s%s", (long long)record->id,
             record->model_kind, record->backend, *record->side ? ", " : "", record->side);
    report_heading(ctx->doc, 3, title);
    char parameters[TEXT_SHOWN + 128], fit[TEXT_SHOWN + 128];
    report_paragraph(ctx->doc, "Run %lld, created %s, uuid %s.", (long long)record->run, record->created_at,
                     record->uuid);
    report_paragraph(ctx->doc, "Parameters: %s", abbreviated(parameters, sizeof parameters, record->parameters, "parameters"));
    report_paragraph(ctx->doc, "Fit: %s", abbreviated(fit, sizeof fit, record->fit_results, "fit_results"));
    static const char *const header[] = {"key", "kind", "value", "unit", "cycles", "MAD", "n"};
    long t = report_table(ctx->doc, "llrlrrr", header);
    for (size_t i = 0; i < record->entry_count; i++) {
        const stored_value *entry = &record->entries[i];
        double number;
        char ps[32], cycles[32], mad[32], n[32];
        snprintf(n, sizeof n, "%lld", (long long)entry->n);
        const char *row[] = {entry->key,
                             kind_name(pvmlab_classify_key(entry->key, &number)),
                             isnan(entry->ps) ? "not measured" : cell_number(ps, sizeof ps, entry->ps),
                             pvmlab_calibration_value_unit(entry->key),
                             isnan(entry->cycles) ? "not measured"
                                                        : cell_number(cycles, sizeof cycles, entry->cycles),
                             cell_number(mad, sizeof mad, entry->mad),
                             n};
        report_table_row(ctx->doc, t, row);
    }
}

typedef struct cost_table_listing {
    report_context *ctx;
    long t;
} cost_table_listing;

static int add_cost_table(const pvmlab_cost_table_row *table, void *context)
{
    cost_table_listing *listing = context;
    if (listing->t < 0) {
        static const char *const header[] = {"table", "calibration", "model kind", "content hash", "bytes"};
        report_heading(listing->ctx->doc, 3, "Cost tables");
        listing->t = report_table(listing->ctx->doc, "rrllr", header);
    }
    char id[32], calibration[32], bytes[32];
    snprintf(id, sizeof id, "%lld", (long long)table->id);
    snprintf(calibration, sizeof calibration, "%lld", (long long)table->calibration);
    snprintf(bytes, sizeof bytes, "%lld", (long long)table->bytes);
    const char *row[] = {id, calibration, table->model_kind, table->content_hash, bytes};
    report_table_row(listing->ctx->doc, listing->t, row);
    return 0;
}

static int cost_tables(report_context *ctx, char *err, size_t err_len)
{
    cost_table_listing listing = {.ctx = ctx, .t = -1};
    if (pvmlab_db_foreach_cost_table(ctx->db, add_cost_table, &listing) != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
        return -1;
    }
    if (listing.t < 0)
        report_paragraph(ctx->doc, "No cost tables stored yet (pvmlab tables generates them from a calibration).");
    return 0;
}

int section_calibration(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "Calibration");
    const pvmlab_calibration_set *set = &ctx->calibrations;
    if (set->count == 0)
        report_note(ctx->doc, "No data: no calibration stored (run pvmlab calibrate).");
    else
        report_paragraph(ctx->doc, "The %zu newest calibration(s), newest first. Values are medians over n "
                                   "observations; \"not measured\" is a NULL in the database (that unit was not "
                                   "measured), never a zero.",
                         set->count < CALIBRATIONS_SHOWN ? set->count : (size_t)CALIBRATIONS_SHOWN);
    report_add_figure(ctx, PVMLAB_FIGURE_OPCODE_COSTS);
    report_add_figure(ctx, PVMLAB_FIGURE_LOAD_LATENCY);
    for (size_t i = 0; i < set->count && i < CALIBRATIONS_SHOWN; i++)
        calibration_values(ctx, &set->records[i]);
    return cost_tables(ctx, err, err_len);
}
