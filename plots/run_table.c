#include "run_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_util.h"
#include "vm/util/stats.h"

/* The raw values of one cell while samples are read. */
typedef struct cell_samples {
    double *wall, *gas, *instructions;
    size_t count, capacity, gas_count, instruction_count;
} cell_samples;

typedef struct loader {
    pvmlab_run_table *table;
    const char *mode; /* only samples of this mode enter the table */
    cell_samples *samples; /* parallel to table->cells */
    size_t capacity;
    bool out_of_memory;
} loader;

/* The engine's name, unless the table already has that name with another config: then
 * "name [config]" keeps the two apart. */
static char *engine_label(const pvmlab_run_table *table, const pvmlab_sample_row *row)
{
    for (size_t i = 0; i < table->cell_count; i++) {
        const pvmlab_cell *cell = &table->cells[i];
        if (strcmp(cell->engine_name, row->engine) == 0 && strcmp(cell->config, row->engine_config) != 0) {
            char label[512];
            snprintf(label, sizeof label, "%s [%s]", row->engine, row->engine_config);
            return pvmlab_strdup(label);
        }
    }
    return pvmlab_strdup(row->engine);
}

static char *model_of_config(const char *config)
{
    const char *at = strstr(config, "model=");
    if (!at)
        return pvmlab_strdup(config);
    at += strlen("model=");
    return pvmlab_strndup(at, strcspn(at, " \t,;"));
}

static int add_name(char ***names, size_t *count, const char *name)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp((*names)[i], name) == 0)
            return 0;
    char **grown = realloc(*names, (*count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *names = grown;
    if (!(grown[*count] = pvmlab_strdup(name)))
        return -1;
    (*count)++;
    return 0;
}

static long find_cell(const pvmlab_run_table *table, const char *engine, const char *benchmark)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (strcmp(table->cells[i].engine, engine) == 0 && strcmp(table->cells[i].benchmark, benchmark) == 0)
            return (long)i;
    return -1;
}

/* Reallocates *array to capacity elements of size bytes; on failure *array is unchanged
 * (and still owned by the caller). 0 or -1. */
static int resize(void *array, size_t capacity, size_t size)
{
    void **slot = array;
    void *grown = realloc(*slot, capacity * size);
    if (!grown)
        return -1;
    *slot = grown;
    return 0;
}

/* Takes ownership of label, also on failure. */
static long add_cell(loader *load, const pvmlab_sample_row *row, char *label)
{
    pvmlab_run_table *table = load->table;
    if (table->cell_count == load->capacity) {
        size_t capacity = load->capacity ? load->capacity * 2 : 16;
        if (resize(&table->cells, capacity, sizeof *table->cells) != 0 ||
            resize(&load->samples, capacity, sizeof *load->samples) != 0) {
            free(label);
            return -1;
        }
        load->capacity = capacity;
    }
    pvmlab_cell *cell = &table->cells[table->cell_count];
    memset(cell, 0, sizeof *cell);
    memset(&load->samples[table->cell_count], 0, sizeof load->samples[0]);
    cell->engine = label;
    cell->engine_name = pvmlab_strdup(row->engine);
    cell->config = pvmlab_strdup(row->engine_config);
    cell->model = model_of_config(row->engine_config);
    cell->benchmark = pvmlab_strdup(row->benchmark);
    cell->is_native = strcmp(row->engine, "native") == 0;
    table->cell_count++;
    if (!cell->engine_name || !cell->config || !cell->model || !cell->benchmark)
        return -1;
    if (add_name(&table->engines, &table->engine_count, label) != 0 ||
        add_name(&table->benchmarks, &table->benchmark_count, row->benchmark) != 0)
        return -1;
    return (long)table->cell_count - 1;
}

static int append_sample(cell_samples *samples, const pvmlab_sample_row *row)
{
    if (samples->count == samples->capacity) {
        size_t capacity = samples->capacity ? samples->capacity * 2 : 8;
        if (resize(&samples->wall, capacity, sizeof *samples->wall) != 0 ||
            resize(&samples->gas, capacity, sizeof *samples->gas) != 0 ||
            resize(&samples->instructions, capacity, sizeof *samples->instructions) != 0)
            return -1;
        samples->capacity = capacity;
    }
    samples->wall[samples->count++] = (double)row->wall_ns;
    if (row->gas.present)
        samples->gas[samples->gas_count++] = (double)row->gas.value;
    if (row->instructions.present)
        samples->instructions[samples->instruction_count++] = (double)row->instructions.value;
    return 0;
}

static int visit_sample(const pvmlab_sample_row *row, void *context)
{
    loader *load = context;
    if (strcmp(row->mode, load->mode) != 0)
        return 0;
    char *label = engine_label(load->table, row);
    if (!label)
        goto out_of_memory;
    long index = find_cell(load->table, label, row->benchmark);
    if (index >= 0)
        free(label);
    else if ((index = add_cell(load, row, label)) < 0)
        goto out_of_memory;
    if (append_sample(&load->samples[index], row) != 0)
        goto out_of_memory;
    return 0;
out_of_memory:
    load->out_of_memory = true;
    return 1;
}

static void finish_cells(loader *load)
{
    for (size_t i = 0; i < load->table->cell_count; i++) {
        pvmlab_cell *cell = &load->table->cells[i];
        cell_samples *samples = &load->samples[i];
        cell->n = samples->count;
        cell->median_wall_ns = util_median_inplace(samples->wall, samples->count);
        /* Gas is a cell's figure only when every repetition reported it. */
        cell->has_gas = samples->count > 0 && samples->gas_count == samples->count;
        cell->median_gas = cell->has_gas ? util_median_inplace(samples->gas, samples->gas_count) : NAN;
        cell->has_instructions = samples->count > 0 && samples->instruction_count == samples->count;
        cell->median_instructions =
            cell->has_instructions ? util_median_inplace(samples->instructions, samples->instruction_count) : NAN;
    }
}

static void free_samples(loader *load)
{
    for (size_t i = 0; i < load->table->cell_count; i++) {
        free(load->samples[i].wall);
        free(load->samples[i].gas);
        free(load->samples[i].instructions);
    }
    free(load->samples);
}

typedef struct mode_choice {
    char first[64];
    bool has_execution;
} mode_choice;

static int note_mode(const pvmlab_sample_row *row, void *context)
{
    mode_choice *choice = context;
    if (!choice->first[0])
        snprintf(choice->first, sizeof choice->first, "%s", row->mode);
    choice->has_execution |= strcmp(row->mode, "execution") == 0;
    return choice->has_execution; /* nothing more to learn */
}

int pvmlab_run_table_load(pvmlab_db *db, pvmlab_id run, const char *mode, pvmlab_run_table *out, char *err,
                          size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->run = run;
    mode_choice choice = {.first = ""};
    int rc = mode ? 0 : pvmlab_db_foreach_sample(db, run, note_mode, &choice);
    if (rc >= 0)
        out->mode = pvmlab_strdup(mode ? mode : choice.has_execution ? "execution" : choice.first);
    loader load = {.table = out, .mode = out->mode};
    if (rc >= 0 && out->mode) {
        rc = pvmlab_db_foreach_sample(db, run, visit_sample, &load);
        if (rc == 0)
            finish_cells(&load);
        free_samples(&load);
    } else if (rc >= 0)
        load.out_of_memory = true, rc = 1;
    if (rc == 0)
        return 0;
    if (load.out_of_memory)
        snprintf(err, err_len, "out of memory reading the samples of run %lld", (long long)run);
    else
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
    pvmlab_run_table_free(out);
    return -1;
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

void pvmlab_run_table_free(pvmlab_run_table *table)
{
    if (!table)
        return;
    for (size_t i = 0; i < table->cell_count; i++) {
        pvmlab_cell *cell = &table->cells[i];
        free(cell->engine);
        free(cell->engine_name);
        free(cell->config);
        free(cell->model);
        free(cell->benchmark);
    }
    free(table->cells);
    free(table->mode);
    free_names(table->engines, table->engine_count);
    free_names(table->benchmarks, table->benchmark_count);
    memset(table, 0, sizeof *table);
}

const pvmlab_cell *pvmlab_run_table_find(const pvmlab_run_table *table, const char *engine, const char *benchmark)
{
    long index = find_cell(table, engine, benchmark);
    return index >= 0 ? &table->cells[index] : NULL;
}

double pvmlab_run_table_native_ns(const pvmlab_run_table *table, const char *benchmark)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (table->cells[i].is_native && strcmp(table->cells[i].benchmark, benchmark) == 0)
            return table->cells[i].median_wall_ns;
    return NAN;
}

bool pvmlab_run_table_engine_is_native(const pvmlab_run_table *table, const char *engine)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (strcmp(table->cells[i].engine, engine) == 0)
            return table->cells[i].is_native;
    return false;
}

bool pvmlab_benchmark_stride(const char *benchmark, long *stride)
{
    const char *at = strstr(benchmark, "stride");
    if (!at)
        return false;
    const char *digits = at + strlen("stride");
    if (*digits && strchr("._-:", *digits))
        digits++;
    char *end;
    long value = strtol(digits, &end, 10);
    if (end == digits || value <= 0)
        return false;
    *stride = value;
    return true;
}
