/* The stored cost tables as typed rows (see store_listing.h). */
#include "db_internal.h"
#include "store_listing.h"

static void read_cost_table(sqlite3_stmt *row, pvmlab_cost_table_row *table)
{
    *table = (pvmlab_cost_table_row){
        .id = sqlite3_column_int64(row, 0),
        .calibration = sqlite3_column_int64(row, 1),
        .model_kind = db_column_text(row, 2),
        .content_hash = db_column_text(row, 3),
        .bytes = sqlite3_column_int64(row, 4),
    };
}
DB_ROW_VISITOR(cost_table, pvmlab_cost_table_row, read_cost_table)

int pvmlab_db_foreach_cost_table(pvmlab_db *db, int (*visit)(const pvmlab_cost_table_row *row, void *context),
                                 void *context)
{
    cost_table_visitor visitor = {visit, context};
    return db_query(db,
                    "SELECT id, calibration_id, model_kind, content_hash, length(content) FROM cost_tables ORDER BY id DESC",
                    NULL, 0, handle_cost_table, &visitor, "cost tables");
}
