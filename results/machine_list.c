/* The stored machines as typed rows (see store_listing.h). */
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "store_listing.h"

typedef struct machine_visitor {
    int (*visit)(pvmlab_id id, const pvmlab_machine_info *machine, void *context);
    void *context;
} machine_visitor;

static int handle_machine(sqlite3_stmt *row, void *opaque)
{
    const machine_visitor *visitor = opaque;
    pvmlab_machine_info machine;
    memset(&machine, 0, sizeof machine);
    snprintf(machine.hostname, sizeof machine.hostname, "%s", db_column_text(row, 1));
    snprintf(machine.cpu_model, sizeof machine.cpu_model, "%s", db_column_text(row, 2));
    machine.cores = sqlite3_column_int(row, 3);
    snprintf(machine.kernel, sizeof machine.kernel, "%s", db_column_text(row, 4));
    machine.pmu_available = sqlite3_column_int(row, 5) != 0;
    snprintf(machine.pmu_reason, sizeof machine.pmu_reason, "%s", db_column_text(row, 6));
    return visitor->visit(sqlite3_column_int64(row, 0), &machine, visitor->context);
}

int pvmlab_db_foreach_machine(pvmlab_db *db, int (*visit)(pvmlab_id id, const pvmlab_machine_info *machine, void *context),
                              void *context)
{
    machine_visitor visitor = {visit, context};
    return db_query(db, "SELECT id, hostname, cpu_model, cores, kernel, pmu_available, pmu_reason FROM machines ORDER BY id",
                    NULL, 0, handle_machine, &visitor, "machines");
}
