/* The rv32 builds against their rv64 builds (see rv32_against_rv64.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ratio_table.h"
#include "rv32_against_rv64.h"
#include "timing_summary.h"

enum { MAX_CONFIGS = 64 };

bool rv32_against_rv64_counterpart(const char *engine, char *out, size_t out_len)
{
    const char *at = strstr(engine, "-rv32-");
    if (!at || out_len == 0)
        return false;
    int n = snprintf(out, out_len, "%.*s%s", (int)(at - engine), engine, at + 5); /* keeps the second '-' */
    return n > 0 && (size_t)n < out_len;
}

/* What the block is made of: its rv32 configurations (those with an rv64 counterpart in
 * mode) and its guest rows (each a cell of the first configuration that has the guest). */
typedef struct block {
    const char *configs[MAX_CONFIGS];
    char counterparts[MAX_CONFIGS][PVMLAB_MEDIAN_LABEL_MAX];
    size_t config_count;
    const compare_entry **rows;
    size_t row_count;
} block;

static bool listed(const char *const *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static const compare_entry *counterpart_cell(const compare_set *set, const block *b, size_t c, const compare_entry *row)
{
    return pvmlab_run_medians_find(set, b->counterparts[c], row->benchmark, row->size, row->mode);
}

/* -1 when out of memory; an empty block (no configuration) when there is nothing to print. */
static int block_build(const compare_set *set, const char *mode, block *b)
{
    memset(b, 0, sizeof *b);
    b->rows = malloc((set->count ? set->count : 1) * sizeof *b->rows);
    if (!b->rows)
        return -1;
    for (size_t i = 0; i < set->count; i++) {
        const compare_entry *cell = &set->cells[i];
        char rv64[PVMLAB_MEDIAN_LABEL_MAX];
        if (strcmp(cell->mode, mode) != 0 || !rv32_against_rv64_counterpart(cell->engine, rv64, sizeof rv64) ||
            !pvmlab_run_medians_find(set, rv64, cell->benchmark, cell->size, mode))
            continue;
        if (!listed(b->configs, b->config_count, cell->engine) && b->config_count < MAX_CONFIGS) {
            b->configs[b->config_count] = cell->engine;
            memcpy(b->counterparts[b->config_count], rv64, sizeof rv64);
            b->config_count++;
        }
        bool seen = false;
        for (size_t r = 0; r < b->row_count && !seen; r++)
            seen = strcmp(b->rows[r]->benchmark, cell->benchmark) == 0 && b->rows[r]->size == cell->size;
        if (!seen)
            b->rows[b->row_count++] = cell;
    }
    return 0;
}

/* The rv32 build's instructions over the rv64 build's on a row: the unit model's gas of the
 * first configuration that has it on both builds (every gas-metered configuration counts the
 * same instructions), NAN when none has. */
static double instruction_ratio(const compare_set *set, const block *b, const compare_entry *row)
{
    for (size_t c = 0; c < b->config_count; c++) {
        const compare_entry *r32 = pvmlab_run_medians_find(set, b->configs[c], row->benchmark, row->size, row->mode);
        const compare_entry *r64 = counterpart_cell(set, b, c, row);
        if (r32 && r64 && r32->has_gas && r64->has_gas && strcmp(r32->model, "unit") == 0 &&
            strcmp(r64->model, "unit") == 0 && r64->median_gas > 0)
            return r32->median_gas / r64->median_gas;
    }
    return NAN;
}

static double time_ratio(const compare_set *set, const block *b, size_t c, const compare_entry *row)
{
    const compare_entry *r32 = pvmlab_run_medians_find(set, b->configs[c], row->benchmark, row->size, row->mode);
    const compare_entry *r64 = counterpart_cell(set, b, c, row);
    return r32 && r64 && r64->median_wall_ns > 0 ? r32->median_wall_ns / r64->median_wall_ns : NAN;
}

void rv32_against_rv64_print(const compare_set *set, const char *mode, const bench_held_out *held, FILE *out)
{
    block b;
    size_t columns = 0;
    double *values = NULL, *scratch = NULL; /* values: [row * columns + column], column 0 the instructions */
    bool *held_rows = NULL;
    if (block_build(set, mode, &b) != 0)
        goto oom;
    if (b.config_count == 0)
        goto done;
    columns = b.config_count + 1;
    values = malloc(b.row_count * columns * sizeof *values);
    scratch = malloc((b.row_count ? b.row_count : 1) * sizeof *scratch);
    held_rows = calloc(b.row_count ? b.row_count : 1, sizeof *held_rows);
    if (!values || !scratch || !held_rows)
        goto oom;
    for (size_t r = 0; r < b.row_count; r++) {
        values[r * columns] = instruction_ratio(set, &b, b.rows[r]);
        for (size_t c = 0; c < b.config_count; c++)
            values[r * columns + 1 + c] = time_ratio(set, &b, c, b.rows[r]);
        held_rows[r] = held && bench_held_out_contains(held, b.rows[r]->benchmark);
    }

    fprintf(out, "\nrv32 builds against their rv64 builds: the first column is the instructions the rv32 build "
                 "runs over the rv64 build's (unit-model gas), the others each rv32 configuration's median over "
                 "the same configuration's on the rv64 build; \"per instruction\" is time over instructions\n");
    int widths[MAX_CONFIGS + 1];
    fprintf(out, "%-28s", "guest");
    for (size_t c = 0; c < columns; c++)
        widths[c] = ratio_table_print_title(out, c == 0 ? "instructions" : b.configs[c - 1]);
    fputc('\n', out);
    for (size_t r = 0; r < b.row_count; r++) {
        fprintf(out, "%-28s", b.rows[r]->benchmark);
        for (size_t c = 0; c < columns; c++)
            ratio_table_print_cell(out, values[r * columns + c], widths[c]);
        fputc('\n', out);
    }
    size_t held_count = 0;
    for (size_t r = 0; r < b.row_count; r++)
        held_count += held_rows[r];
    /* geomeans of each column, then (per instruction) of time over instructions, over the
     * rows of one selection that have both */
    for (int per_instruction = 0; per_instruction < 2; per_instruction++)
        for (int part = 0; part < (held ? 2 : 1); part++) {
            bool want_held = part == 1;
            char label[64];
            snprintf(label, sizeof label, "%s%s (%zu)", per_instruction ? "per instruction " : "geomean ",
                     !held ? "all" : want_held ? "held-out" : "tuned",
                     !held ? b.row_count : want_held ? held_count : b.row_count - held_count);
            fprintf(out, "%-28s", label);
            for (size_t c = 0; c < columns; c++) {
                size_t n = 0;
                for (size_t r = 0; r < b.row_count; r++) {
                    double v = values[r * columns + c], instr = values[r * columns];
                    if (held && held_rows[r] != want_held)
                        continue;
                    if (per_instruction)
                        v = c == 0 || isnan(instr) || instr <= 0 ? NAN : v / instr;
                    if (!isnan(v))
                        scratch[n++] = v;
                }
                ratio_table_print_cell(out, n ? bench_geometric_mean(scratch, n) : NAN, widths[c]);
            }
            fputc('\n', out);
        }
    goto done;
oom:
    fprintf(out, "rv32 builds against their rv64 builds: out of memory\n");
done:
    free(b.rows);
    free(values);
    free(scratch);
    free(held_rows);
}
