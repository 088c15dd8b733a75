/* `db prune`: keep what cost tables are made from, drop the rest. The calibrations, their
 * values and cost tables, the runs, machines, builds and fidelity sets stay; every sample, its
 * counter readings, the benchmarks and engines they name, and the calibrations' fit details
 * (fit_results, which pvmlab tables never reads) go; then the file is compacted. This is how
 * the checked-in calibration fixture stays small (scripts/make_calibration_fixture.sh). */
#include "db_internal.h"
#include "results.h"
#include "store_listing.h"

#include <stdio.h>

int pvmlab_db_prune(pvmlab_db *db, char *summary, size_t summary_len)
{
    if (db_atomic_begin(db) != 0)
        return -1;
    pvmlab_store_counts before;
    if (pvmlab_db_count_rows(db, &before) != 0)
        return db_atomic_abort(db);
    if (db_exec(db,
                "DELETE FROM counter_readings; DELETE FROM samples; DELETE FROM benchmarks; DELETE FROM engines;"
                " UPDATE calibrations SET fit_results = '{\"dropped\": \"pvmlab db prune: tables do not read it\"}';",
                "pruning") != 0)
        return db_atomic_abort(db);
    if (db_atomic_commit(db) != 0)
        return -1;
    /* VACUUM cannot run inside a transaction; a rollback journal keeps the file one file. */
    if (db_exec(db, "PRAGMA journal_mode = DELETE", "switching to a rollback journal") != 0 ||
        db_exec(db, "VACUUM", "compacting") != 0)
        return -1;
    if (summary)
        snprintf(summary, summary_len, "%lld samples and their readings, benchmarks, engines and fit details dropped",
                 (long long)before.samples);
    return 0;
}
