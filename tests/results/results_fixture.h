/* A fresh results database in a temporary folder, with one machine, build, run, engine and
 * benchmark, for the results tests; and the open-and-begin-a-run steps that the bench,
 * counters and reports tests share. */
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

/* Inserts machine and build into db and begins a run of command in it; asserts each step and
 * sets ids->machine, ids->build and ids->run (the rest of ids is left alone). A NULL machine
 * is a test machine named "test" (cpu "cpu", one core, kernel "k"), a NULL build is
 * ("cc", no flags, "rev", "0"). */
void results_begin_run(pvmlab_db *db, const pvmlab_machine_info *machine, const pvmlab_build_info *build,
                       const char *command, results_ids *ids);

/* Opens (creating) the database at path and begins a run of command in it, as
 * results_begin_run does with the test machine (named hostname) and the test build; asserts.
 * Returns the open database. */
pvmlab_db *results_open_with_run(const char *path, const char *hostname, const char *command, results_ids *ids);

/* Runs a single-integer query on the db's connection; asserts it returns one row. */
long long results_query_int(pvmlab_db *db, const char *sql);

#endif
