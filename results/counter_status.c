/* Per-run counter availability (see store_listing.h). */
#include "db_internal.h"
#include "store_listing.h"

static void read_status(sqlite3_stmt *row, pvmlab_counter_status *status)
{
    *status = (pvmlab_counter_status){
        .name = db_column_text(row, 0),
        .source = db_column_text(row, 1),
        .with_value = sqlite3_column_int64(row, 2),
        .without_value = sqlite3_column_int64(row, 3),
        .unavailable_reason = db_column_text(row, 4),
    };
}
DB_ROW_VISITOR(status, pvmlab_counter_status, read_status)

int pvmlab_db_foreach_counter_status(pvmlab_db *db, pvmlab_id run,
                                     int (*visit)(const pvmlab_counter_status *status, void *context), void *context)
{
    status_visitor visitor = {visit, context};
    return db_query(db,
                    "SELECT c.name, c.source, sum(c.value IS NOT NULL), sum(c.value IS NULL),"
                    " coalesce(c.unavailable_reason, '')"
                    " FROM counter_readings c JOIN samples s ON s.id = c.sample_id WHERE s.run_id = ?1"
                    " GROUP BY c.name, c.source, c.unavailable_reason ORDER BY c.name, c.source",
                    &run, 1, handle_status, &visitor, "counter readings");
}

int pvmlab_db_latest_counted_run(pvmlab_db *db, pvmlab_id *run)
{
    *run = 0;
    return db_query(db, "SELECT max(s.run_id) FROM counter_readings c JOIN samples s ON s.id = c.sample_id", NULL, 0,
                    db_copy_id, run, "counter readings");
}
