/* A fresh results database in a temporary folder, with one machine, build, run, engine and
 * benchmark, for the results tests. */
#ifndef PVMLAB_RESULTS_FIXTURE_H
#define PVMLAB_RESULTS_FIXTURE_H

#include "results/results.h"

typedef struct results_ids {
    pvmlab_id machine, build, run, engine, benchmark;
} results_ids;

typedef struct results_fixture {
    char dir[64];
    char path[160];
    pvmlab_db *db;
    results_ids ids;
} results_fixture;

/* cmocka setup/teardown: *state becomes a results_fixture with an open, populated db. */
int results_fixture_setup(void **state);
int results_fixture_teardown(void **state);

/* Inserts a machine (fixed test values, not detected), build, run, engine and benchmark;
 * asserts success. engine_name lets two databases differ. */
void results_populate(pvmlab_db *db, const char *engine_name, results_ids *out);

/* Runs a single-integer query on the db's connection; asserts it returns one row. */
long long results_query_int(pvmlab_db *db, const char *sql);

#endif
