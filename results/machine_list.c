/* The stored machines as typed rows (see store_listing.h). */
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "store_listing.h"

static void read_machine(sqlite3_stmt *row, pvmlab_machine_row *machine)
{
    memset(machine, 0, sizeof *machine);
    machine->id = sqlite3_column_int64(row, 0);
    pvmlab_machine_info *info = &machine->info;
    snprintf(info->hostname, sizeof info->hostname, "%s", db_column_text(row, 1));
    snprintf(info->cpu_model, sizeof info->cpu_model, "%s", db_column_text(row, 2));
    info->cores = sqlite3_column_int(row, 3);
    snprintf(info->kernel, sizeof info->kernel, "%s", db_column_text(row, 4));
    info->pmu_available = sqlite3_column_int(row, 5) != 0;
    snprintf(info->pmu_reason, sizeof info->pmu_reason, "%s", db_column_text(row, 6));
}
DB_ROW_VISITOR(machine, pvmlab_machine_row, read_machine)

int pvmlab_db_foreach_machine(pvmlab_db *db, int (*visit)(const pvmlab_machine_row *machine, void *context),
                              void *context)
{
    machine_visitor visitor = {visit, context};
    return db_query(db, "SELECT id, hostname, cpu_model, cores, kernel, pmu_available, pmu_reason FROM machines ORDER BY id",
                    NULL, 0, handle_machine, &visitor, "machines");
}
