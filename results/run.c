/* Runs: one invocation of a pvmlab verb, named by a uuid so that merges recognise it. */
#include "db_internal.h"

#include <string.h>

int pvmlab_db_run_begin(pvmlab_db *db, pvmlab_id machine, pvmlab_id build, const char *command_line,
                        pvmlab_id *out, char *uuid_out)
{
    char uuid[PVMLAB_UUID_LENGTH + 1];
    if (uuid_generate(uuid) != 0)
        return db_failf(db, "cannot generate a run uuid: getrandom failed");
    const db_value values[] = {DB_TEXT_VALUE(uuid), DB_INT_VALUE(machine), DB_INT_VALUE(build),
                               DB_TEXT_VALUE(command_line)};
    sqlite3_stmt *statement = db_statement(db, STMT_RUN_INSERT);
    if (!statement || db_bind_values(db, statement, values, sizeof values / sizeof values[0]) != 0
        || db_step_done(db, statement, "inserting a run") != 0)
        return -1;
    *out = sqlite3_last_insert_rowid(db->sqlite);
    if (uuid_out)
        memcpy(uuid_out, uuid, sizeof uuid);
    return db_ok(db);
}

int pvmlab_db_run_end(pvmlab_db *db, pvmlab_id run, const char *status)
{
    const db_value values[] = {DB_INT_VALUE(run), DB_TEXT_VALUE(status)};
    sqlite3_stmt *statement = db_statement(db, STMT_RUN_END);
    if (!statement || db_bind_values(db, statement, values, 2) != 0
        || db_step_done(db, statement, "ending a run") != 0)
        return -1;
    if (sqlite3_changes(db->sqlite) != 1)
        return db_failf(db, "run %lld does not exist", (long long)run);
    return db_ok(db);
}
