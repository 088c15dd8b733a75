/* A run's samples reduced to medians with one key (see run_medians.h). */
#include "run_medians.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "vm/util/grow.h"
#include "vm/util/stats.h"

/* The raw values of one cell while samples are read. */
typedef struct cell_samples {
    double *wall, *gas, *instructions;
    size_t count, gas_count, instruction_count;
    size_t wall_capacity, gas_capacity, instruction_capacity;
} cell_samples;

typedef struct loader {
    pvmlab_run_medians *set;
    cell_samples *samples; /* parallel to set->cells */
    size_t samples_capacity;
    size_t last;           /* the cell of the previous sample: repetitions come together */
    const char *machine;   /* of the run being read */
    bool out_of_memory;
} loader;

int pvmlab_run_medians_add(pvmlab_run_medians *set, const pvmlab_median_cell *cell)
{
    if (UTIL_GROW(set->cells, set->capacity, set->count + 1, 32) != 0)
        return -1;
    set->cells[set->count++] = *cell;
    return 0;
}

const pvmlab_median_cell *pvmlab_run_medians_find(const pvmlab_run_medians *set, const char *engine,
                                                  const char *benchmark, int64_t size, const char *mode)
{
    for (size_t i = 0; i < set->count; i++) {
        const pvmlab_median_cell *cell = &set->cells[i];
        if (cell->size == size && strcmp(cell->engine, engine) == 0 && strcmp(cell->benchmark, benchmark) == 0 &&
            strcmp(cell->mode, mode) == 0)
            return cell;
    }
    return NULL;
}

void pvmlab_run_medians_free(pvmlab_run_medians *set)
{
    free(set->cells);
    memset(set, 0, sizeof *set);
}

static void model_of_config(const char *config, char *out, size_t out_len)
{
    const char *at = strstr(config, "model=");
    if (!at) {
        snprintf(out, out_len, "%s", config);
        return;
    }
    at += strlen("model=");
    snprintf(out, out_len, "%.*s", (int)strcspn(at, " \t,;"), at);
}

/* While loading, a cell is keyed by the engine's name and config; the label comes after. */
static bool same_cell(const pvmlab_median_cell *cell, const pvmlab_sample_row *row)
{
    return cell->size == row->size && strcmp(cell->engine_name, row->engine) == 0 &&
           strcmp(cell->config, row->engine_config) == 0 && strcmp(cell->benchmark, row->benchmark) == 0 &&
           strcmp(cell->mode, row->mode) == 0;
}

static long find_cell(const loader *load, const pvmlab_sample_row *row)
{
    const pvmlab_run_medians *set = load->set;
    if (load->last < set->count && same_cell(&set->cells[load->last], row))
        return (long)load->last;
    for (size_t i = 0; i < set->count; i++)
        if (same_cell(&set->cells[i], row))
            return (long)i;
    return -1;
}

static long add_cell(loader *load, const pvmlab_sample_row *row)
{
    pvmlab_median_cell cell;
    memset(&cell, 0, sizeof cell);
    snprintf(cell.engine_name, sizeof cell.engine_name, "%s", row->engine);
    snprintf(cell.config, sizeof cell.config, "%s", row->engine_config);
    snprintf(cell.benchmark, sizeof cell.benchmark, "%s", row->benchmark);
    snprintf(cell.mode, sizeof cell.mode, "%s", row->mode);
    snprintf(cell.machine, sizeof cell.machine, "%s", load->machine);
    model_of_config(row->engine_config, cell.model, sizeof cell.model);
    cell.size = row->size;
    cell.is_native = strcmp(row->engine, "native") == 0;
    if (UTIL_GROW(load->samples, load->samples_capacity, load->set->count + 1, 32) != 0)
        return -1;
    if (pvmlab_run_medians_add(load->set, &cell) != 0)
        return -1;
    memset(&load->samples[load->set->count - 1], 0, sizeof load->samples[0]);
    return (long)load->set->count - 1;
}

static int append_value(double **values, size_t *count, size_t *capacity, double value)
{
    if (util_grow(values, capacity, *count + 1, sizeof **values, 8) != 0)
        return -1;
    (*values)[(*count)++] = value;
    return 0;
}

static int append_sample(cell_samples *samples, const pvmlab_sample_row *row)
{
    if (append_value(&samples->wall, &samples->count, &samples->wall_capacity, (double)row->wall_ns) != 0)
        return -1;
    if (row->gas.present &&
        append_value(&samples->gas, &samples->gas_count, &samples->gas_capacity, (double)row->gas.value) != 0)
        return -1;
    if (row->instructions.present && append_value(&samples->instructions, &samples->instruction_count,
                                                  &samples->instruction_capacity,
                                                  (double)row->instructions.value) != 0)
        return -1;
    return 0;
}

static int visit_sample(const pvmlab_sample_row *row, void *context)
{
    loader *load = context;
    long index = find_cell(load, row);
    if (index < 0)
        index = add_cell(load, row);
    if (index < 0 || append_sample(&load->samples[index], row) != 0) {
        load->out_of_memory = true;
        return 1;
    }
    pvmlab_median_cell *cell = &load->set->cells[index];
    if (strcmp(cell->machine, load->machine) != 0)
        snprintf(cell->machine, sizeof cell->machine, "(several)");
    load->last = (size_t)index;
    return 0;
}

/* The label: the name, with the config when another cell has the name with another config. */
static void label_cells(pvmlab_run_medians *set)
{
    for (size_t i = 0; i < set->count; i++) {
        pvmlab_median_cell *cell = &set->cells[i];
        bool shared = false;
        for (size_t j = 0; j < set->count && !shared; j++)
            shared = strcmp(set->cells[j].engine_name, cell->engine_name) == 0 &&
                     strcmp(set->cells[j].config, cell->config) != 0;
        if (shared)
            snprintf(cell->engine, sizeof cell->engine, "%s [%s]", cell->engine_name, cell->config);
        else
            snprintf(cell->engine, sizeof cell->engine, "%s", cell->engine_name);
    }
}

static void finish_cells(loader *load)
{
    for (size_t i = 0; i < load->set->count; i++) {
        pvmlab_median_cell *cell = &load->set->cells[i];
        cell_samples *samples = &load->samples[i];
        cell->n = samples->count;
        cell->median_wall_ns = util_median_inplace(samples->wall, samples->count); /* sorts the samples */
        cell->min_wall_ns = samples->count ? samples->wall[0] : 0;
        /* Gas is a cell's figure only when every repetition reported it. */
        cell->has_gas = samples->count > 0 && samples->gas_count == samples->count;
        cell->median_gas = cell->has_gas ? util_median_inplace(samples->gas, samples->gas_count) : NAN;
        cell->has_instructions = samples->count > 0 && samples->instruction_count == samples->count;
        cell->median_instructions =
            cell->has_instructions ? util_median_inplace(samples->instructions, samples->instruction_count) : NAN;
    }
    label_cells(load->set);
}

static int copy_hostname(sqlite3_stmt *row, void *context)
{
    char *machine = context;
    snprintf(machine, PVMLAB_MEDIAN_TEXT_MAX, "%s", db_column_text(row, 0));
    return 0;
}

int pvmlab_db_run_medians(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, pvmlab_run_medians *out,
                          char *err, size_t err_len)
{
    pvmlab_run_medians_free(out);
    loader load = {.set = out};
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < run_count; r++) {
        char machine[PVMLAB_MEDIAN_TEXT_MAX] = "?";
        load.machine = machine;
        rc = db_query(db, "SELECT m.hostname FROM runs r JOIN machines m ON m.id = r.machine_id WHERE r.id = ?1",
                      &runs[r], 1, copy_hostname, machine, "the run's machine");
        if (rc == 0)
            rc = pvmlab_db_foreach_sample(db, runs[r], visit_sample, &load);
    }
    if (rc == 0)
        finish_cells(&load);
    for (size_t i = 0; i < out->count; i++) {
        free(load.samples[i].wall);
        free(load.samples[i].gas);
        free(load.samples[i].instructions);
    }
    free(load.samples);
    if (rc == 0)
        return 0;
    if (load.out_of_memory)
        snprintf(err, err_len, "out of memory reading the samples of run %lld", (long long)runs[0]);
    else
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
    pvmlab_run_medians_free(out);
    return -1;
}
