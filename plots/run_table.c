#include "run_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_util.h"

/* Adds name to names unless it is there (names borrow from the cells). */
static int add_name(char ***names, size_t *count, char *name)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp((*names)[i], name) == 0)
            return 0;
    char **grown = realloc(*names, (*count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *names = grown;
    grown[(*count)++] = name;
    return 0;
}

static long find_cell(const pvmlab_run_table *table, const char *engine, const char *benchmark)
{
    for (size_t i = 0; i < table->cell_count; i++)
        if (strcmp(table->cells[i].engine, engine) == 0 && strcmp(table->cells[i].benchmark, benchmark) == 0)
            return (long)i;
    return -1;
}

/* The mode a table shows when none is asked for: "execution" when the run has it, else the
 * mode of its first sample. */
static const char *chosen_mode(const pvmlab_run_medians *medians)
{
    for (size_t i = 0; i < medians->count; i++)
        if (strcmp(medians->cells[i].mode, "execution") == 0)
            return "execution";
    return medians->count ? medians->cells[0].mode : "";
}

/* Keeps the cells of the table's mode, in their order, and lists engines and benchmarks. */
static int take_cells(pvmlab_run_table *table, const pvmlab_run_medians *medians)
{
    table->cells = malloc((medians->count ? medians->count : 1) * sizeof *table->cells);
    if (!table->cells)
        return -1;
    for (size_t i = 0; i < medians->count; i++)
        if (strcmp(medians->cells[i].mode, table->mode) == 0)
            table->cells[table->cell_count++] = medians->cells[i];
    for (size_t i = 0; i < table->cell_count; i++)
        if (add_name(&table->engines, &table->engine_count, table->cells[i].engine) != 0 ||
            add_name(&table->benchmarks, &table->benchmark_count, table->cells[i].benchmark) != 0)
            return -1;
    return 0;
}

int pvmlab_run_table_load(pvmlab_db *db, pvmlab_id run, const char *mode, pvmlab_run_table *out, char *err,
                          size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->run = run;
    pvmlab_run_medians medians = {0};
    if (pvmlab_db_run_medians(db, &run, 1, &medians, err, err_len) != 0)
        return -1;
    int rc = (out->mode = pvmlab_strdup(mode ? mode : chosen_mode(&medians))) ? take_cells(out, &medians) : -1;
    pvmlab_run_medians_free(&medians);
    if (rc == 0)
        return 0;
    snprintf(err, err_len, "out of memory reading the samples of run %lld", (long long)run);
    pvmlab_run_table_free(out);
    return -1;
}

void pvmlab_run_table_free(pvmlab_run_table *table)
{
    if (!table)
        return;
    free(table->cells);
    free(table->mode);
    free(table->engines);
    free(table->benchmarks);
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
