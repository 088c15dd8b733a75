/* Loading medians per (engine, benchmark, size, mode) from a results database. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_data.h"
#include "stats.h"
#include "suites.h"
#include "vm/util/stats.h"

int compare_set_add(compare_set *set, const compare_entry *entry)
{
    if (set->count == set->capacity) {
        size_t grown = set->capacity ? set->capacity * 2 : 32;
        compare_entry *bigger = realloc(set->entries, grown * sizeof *bigger);
        if (!bigger)
            return -1;
        set->entries = bigger;
        set->capacity = grown;
    }
    set->entries[set->count++] = *entry;
    return 0;
}

void compare_set_free(compare_set *set)
{
    free(set->entries);
    memset(set, 0, sizeof *set);
}

static int compare_keys(const compare_entry *a, const compare_entry *b)
{
    int order = strcmp(a->engine, b->engine);
    if (!order)
        order = strcmp(a->benchmark, b->benchmark);
    if (!order)
        order = (a->size > b->size) - (a->size < b->size);
    if (!order)
        order = strcmp(a->mode, b->mode);
    return order;
}

const compare_entry *compare_set_find(const compare_set *set, const char *engine, const char *benchmark,
                                      int64_t size, const char *mode)
{
    for (size_t i = 0; i < set->count; i++) {
        const compare_entry *e = &set->entries[i];
        if (e->size == size && strcmp(e->engine, engine) == 0 && strcmp(e->benchmark, benchmark) == 0 &&
            strcmp(e->mode, mode) == 0)
            return e;
    }
    return NULL;
}

int compare_latest_run(pvmlab_db *db, pvmlab_id *out, char *err, size_t err_len)
{
    size_t suite_count;
    const bench_suite *suites = bench_suite_all(&suite_count);
    char sql[512] = "SELECT MAX(s.run_id) FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id"
                    " WHERE b.suite IN (";
    for (size_t i = 0; i < suite_count; i++)
        strcat(sql, i ? ", ?" : "?");
    strcat(sql, ")");
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(pvmlab_db_sqlite(db), sql, -1, &statement, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s", sqlite3_errmsg(pvmlab_db_sqlite(db)));
        return -1;
    }
    for (size_t i = 0; i < suite_count; i++)
        sqlite3_bind_text(statement, (int)i + 1, suites[i].name, -1, SQLITE_STATIC);
    int status = -1;
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL) {
        *out = sqlite3_column_int64(statement, 0);
        status = 0;
    } else {
        snprintf(err, err_len, "the database holds no benchmark samples (run pvmlab bench first)");
    }
    sqlite3_finalize(statement);
    return status;
}

/* The hostname of the machine a run was measured on ("?" when unknown). */
static void run_machine(pvmlab_db *db, pvmlab_id run, char *out, size_t out_len)
{
    sqlite3_stmt *statement;
    snprintf(out, out_len, "?");
    if (sqlite3_prepare_v2(pvmlab_db_sqlite(db),
                           "SELECT m.hostname FROM runs r JOIN machines m ON m.id = r.machine_id WHERE r.id = ?1", -1,
                           &statement, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(statement, 1, run);
    if (sqlite3_step(statement) == SQLITE_ROW)
        snprintf(out, out_len, "%s", (const char *)sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
}

bool compare_set_spans_machines(const compare_set *set)
{
    for (size_t i = 1; i < set->count; i++)
        if (strcmp(set->entries[i].machine, set->entries[0].machine) != 0)
            return true;
    return false;
}

/* One sample as loaded, before grouping. */
typedef struct loaded_sample {
    compare_entry key;
    double wall_ns;
} loaded_sample;

typedef struct loaded_samples {
    loaded_sample *items;
    size_t count, capacity;
    const char *machine; /* of the run being visited */
} loaded_samples;

static int collect_sample(const pvmlab_sample_row *row, void *context)
{
    loaded_samples *loaded = context;
    if (loaded->count == loaded->capacity) {
        size_t grown = loaded->capacity ? loaded->capacity * 2 : 256;
        loaded_sample *bigger = realloc(loaded->items, grown * sizeof *bigger);
        if (!bigger)
            return 1;
        loaded->items = bigger;
        loaded->capacity = grown;
    }
    loaded_sample *sample = &loaded->items[loaded->count++];
    memset(sample, 0, sizeof *sample);
    snprintf(sample->key.engine, sizeof sample->key.engine, "%s", row->engine);
    snprintf(sample->key.benchmark, sizeof sample->key.benchmark, "%s", row->benchmark);
    snprintf(sample->key.mode, sizeof sample->key.mode, "%s", row->mode);
    sample->key.size = row->size;
    snprintf(sample->key.machine, sizeof sample->key.machine, "%s", loaded->machine);
    sample->wall_ns = (double)row->wall_ns;
    return 0;
}

static int compare_loaded(const void *a, const void *b)
{
    return compare_keys(&((const loaded_sample *)a)->key, &((const loaded_sample *)b)->key);
}

int compare_load_run(pvmlab_db *db, pvmlab_id run, compare_set *out, char *err, size_t err_len)
{
    return compare_load_runs(db, &run, 1, out, err, err_len);
}

int compare_load_runs(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, compare_set *out, char *err,
                      size_t err_len)
{
    compare_set_free(out);
    loaded_samples loaded = {0};
    for (size_t r = 0; r < run_count; r++) {
        char machine[COMPARE_NAME_MAX];
        run_machine(db, runs[r], machine, sizeof machine);
        loaded.machine = machine;
        size_t before = loaded.count;
        int visited = pvmlab_db_foreach_sample(db, runs[r], collect_sample, &loaded);
        if (visited != 0) {
            snprintf(err, err_len, "%s", visited < 0 ? pvmlab_db_error(db) : "out of memory");
            free(loaded.items);
            return -1;
        }
        if (loaded.count == before) {
            snprintf(err, err_len, "run %lld has no samples", (long long)runs[r]);
            free(loaded.items);
            return -1;
        }
    }
    qsort(loaded.items, loaded.count, sizeof *loaded.items, compare_loaded);
    double *values = malloc(loaded.count * sizeof *values);
    int status = values ? 0 : -1;
    for (size_t start = 0; status == 0 && start < loaded.count;) {
        size_t end = start;
        compare_entry entry = loaded.items[start].key;
        while (end < loaded.count && compare_keys(&loaded.items[start].key, &loaded.items[end].key) == 0) {
            values[end - start] = loaded.items[end].wall_ns;
            if (strcmp(loaded.items[end].key.machine, entry.machine) != 0)
                snprintf(entry.machine, sizeof entry.machine, "(several)");
            end++;
        }
        entry.samples = end - start;
        entry.median_ns = util_median_inplace(values, entry.samples);
        if (compare_set_add(out, &entry) != 0)
            status = -1;
        start = end;
    }
    if (status != 0)
        snprintf(err, err_len, "out of memory");
    free(values);
    free(loaded.items);
    return status;
}
