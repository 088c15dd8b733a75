/* How many rows each table of the store holds (see store_listing.h). */
#include "db_internal.h"
#include "store_listing.h"

static int read_counts(sqlite3_stmt *row, void *context)
{
    pvmlab_store_counts *counts = context;
    int64_t *fields[] = {&counts->machines,   &counts->runs,         &counts->samples,    &counts->engines,
                         &counts->benchmarks, &counts->calibrations, &counts->cost_tables};
    for (int i = 0; i < (int)(sizeof fields / sizeof fields[0]); i++)
        *fields[i] = sqlite3_column_int64(row, i);
    return 0;
}

int pvmlab_db_count_rows(pvmlab_db *db, pvmlab_store_counts *out)
{
    *out = (pvmlab_store_counts){0};
    return db_query(db,
                    "SELECT (SELECT count(*) FROM machines), (SELECT count(*) FROM runs), (SELECT count(*) FROM samples),"
                    " (SELECT count(*) FROM engines), (SELECT count(*) FROM benchmarks),"
                    " (SELECT count(*) FROM calibrations), (SELECT count(*) FROM cost_tables)",
                    NULL, 0, read_counts, out, "row counts");
}
