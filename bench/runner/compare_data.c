/* Loading the medians compare works on from the results' one run-medians query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_data.h"
#include "results/run_select.h"

int compare_latest_run(pvmlab_db *db, pvmlab_id *out, char *err, size_t err_len)
{
    if (pvmlab_latest_sample_run(db, out, err, err_len) != 0)
        return -1;
    if (*out != 0)
        return 0;
    snprintf(err, err_len, "the database holds no benchmark samples (run pvmlab bench first)");
    return -1;
}

bool compare_set_spans_machines(const compare_set *set)
{
    for (size_t i = 1; i < set->count; i++)
        if (strcmp(set->cells[i].machine, set->cells[0].machine) != 0)
            return true;
    return false;
}

static int compare_keys(const void *left, const void *right)
{
    const compare_entry *a = left, *b = right;
    int order = strcmp(a->engine, b->engine);
    if (!order)
        order = strcmp(a->benchmark, b->benchmark);
    if (!order)
        order = (a->size > b->size) - (a->size < b->size);
    if (!order)
        order = strcmp(a->mode, b->mode);
    return order;
}

static int stop_at_first(const pvmlab_sample_row *row, void *context)
{
    (void)row;
    *(bool *)context = true;
    return 1;
}

int compare_load_runs(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, compare_set *out, char *err,
                      size_t err_len)
{
    pvmlab_run_medians_free(out);
    for (size_t r = 0; r < run_count; r++) {
        bool has_samples = false;
        if (pvmlab_db_foreach_sample(db, runs[r], stop_at_first, &has_samples) < 0) {
            snprintf(err, err_len, "%s", pvmlab_db_error(db));
            return -1;
        }
        if (!has_samples) {
            snprintf(err, err_len, "run %lld has no samples", (long long)runs[r]);
            return -1;
        }
    }
    if (pvmlab_db_run_medians(db, runs, run_count, out, err, err_len) != 0)
        return -1;
    qsort(out->cells, out->count, sizeof *out->cells, compare_keys);
    return 0;
}
