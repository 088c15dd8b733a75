/* Batches: many samples in one transaction, so a killed run loses at most the open batch. */
#include "db_internal.h"

int pvmlab_db_batch_begin(pvmlab_db *db)
{
    if (db->in_batch)
        return db_failf(db, "a batch is already open");
    if (db_exec(db, "BEGIN IMMEDIATE", "beginning a batch") != 0)
        return -1;
    db->in_batch = true;
    return db_ok(db);
}

int pvmlab_db_batch_commit(pvmlab_db *db)
{
    if (!db->in_batch)
        return db_failf(db, "no batch is open to commit");
    db->in_batch = false;
    if (db_exec(db, "COMMIT", "committing a batch") != 0) {
        sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return db_ok(db);
}

int pvmlab_db_batch_rollback(pvmlab_db *db)
{
    if (!db->in_batch)
        return db_ok(db);
    db->in_batch = false;
    return db_exec(db, "ROLLBACK", "rolling back a batch") == 0 ? db_ok(db) : -1;
}
