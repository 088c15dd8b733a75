/* Opening a store: pragmas, the write-lock probe and the schema migration. */
#include "db_internal.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { DEFAULT_BUSY_TIMEOUT_MS = 5000 };

int pvmlab_db_schema_version_latest(void)
{
    return schema_latest_version();
}

sqlite3 *pvmlab_db_sqlite(pvmlab_db *db)
{
    return db->sqlite;
}

const char *pvmlab_db_error(const pvmlab_db *db)
{
    return db->error;
}

/* Sets journal_mode=WAL and checks that the file accepted it (this is also the first read of
 * the file, so "not a database" surfaces here). */
static int enable_wal(sqlite3 *sqlite)
{
    sqlite3_stmt *statement;
    int rc = sqlite3_prepare_v2(sqlite, "PRAGMA journal_mode = WAL", -1, &statement, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
        const unsigned char *mode = sqlite3_column_text(statement, 0);
        rc = (mode && strcmp((const char *)mode, "wal") == 0) ? SQLITE_OK : SQLITE_READONLY;
    }
    sqlite3_finalize(statement);
    return rc;
}

/* Under the write lock, brings the schema to the newest version. Returns an SQLite code;
 * for SQLITE_MISMATCH (newer file) the message is in err. */
static int migrate_locked(sqlite3 *sqlite, char *err, size_t err_len)
{
    int rc = sqlite3_exec(sqlite, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = schema_migrate(sqlite, schema_latest_version(), err, err_len);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sqlite, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        sqlite3_exec(sqlite, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Counts the tables of the file (0 for an empty or new file), and copies the first name. */
static int count_tables(sqlite3 *sqlite, int *count, char *first, size_t first_len)
{
    sqlite3_stmt *statement;
    int rc = sqlite3_prepare_v2(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                                &statement, NULL);
    if (rc != SQLITE_OK)
        return rc;
    *count = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
        if ((*count)++ == 0)
            snprintf(first, first_len, "%s", (const char *)sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Reads the schema version and refuses what this tool must not touch: a newer schema, or
 * a file with tables but no pvmlab schema (user_version 0). For a read-only open the
 * version must be the current one (an older file would need a migration, which is a
 * write). Returns an SQLite code; SQLITE_MISMATCH with the reason in detail. */
static int read_and_vet_version(sqlite3 *sqlite, bool read_only, char *detail, size_t detail_len)
{
    int version = 0, tables = 0;
    char first[128] = "";
    int rc = schema_read_version(sqlite, &version);
    if (rc == SQLITE_OK && version == 0)
        rc = count_tables(sqlite, &tables, first, sizeof first);
    if (rc != SQLITE_OK)
        return rc;
    if (version > schema_latest_version()) {
        schema_describe_newer(detail, detail_len, version);
        return SQLITE_MISMATCH;
    }
    if (version == 0 && tables > 0) {
        snprintf(detail, detail_len,
                 "not a pvmlab database (no pvmlab schema version; it holds %d table%s of its own, e.g. '%s'); "
                 "refusing to add tables to it",
                 tables, tables == 1 ? "" : "s", first);
        return SQLITE_MISMATCH;
    }
    if (read_only && version == 0) {
        snprintf(detail, detail_len, "not a pvmlab database (empty: no tables); create one with pvmlab db init");
        return SQLITE_MISMATCH;
    }
    if (read_only && version < schema_latest_version()) {
        snprintf(detail, detail_len,
                 "schema version %d is older than this tool's %d; migrate it once with pvmlab db init --db PATH "
                 "(this verb only reads)",
                 version, schema_latest_version());
        return SQLITE_MISMATCH;
    }
    return SQLITE_OK;
}

static int open_connection(const char *path, const pvmlab_db_options *options, sqlite3 *sqlite,
                           char *err, size_t err_len)
{
    int timeout_ms = options->busy_timeout_ms;
    char detail[PVMLAB_DB_ERROR_MAX] = "";
    sqlite3_extended_result_codes(sqlite, 1);
    sqlite3_busy_timeout(sqlite, timeout_ms);
    if (!options->read_only && sqlite3_db_readonly(sqlite, "main") == 1) {
        snprintf(err, err_len, "%s: read-only: no write permission for this user", path);
        return -1;
    }
    int rc = sqlite3_exec(sqlite, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    /* Read the version before changing anything, so that a file we refuse (not a database,
     * another program's database, or from a newer pvmlab) is left byte-for-byte as it was. */
    if (rc == SQLITE_OK)
        rc = read_and_vet_version(sqlite, options->read_only, detail, sizeof detail);
    if (rc == SQLITE_OK && !options->read_only)
        rc = enable_wal(sqlite);
    /* NORMAL in WAL mode: a commit survives a killed process (the WAL is in the page cache);
     * only an OS crash or power loss may drop the last commits. */
    if (rc == SQLITE_OK && !options->read_only)
        rc = sqlite3_exec(sqlite, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    if (rc == SQLITE_OK && !options->read_only)
        rc = migrate_locked(sqlite, detail, sizeof detail);
    if (rc == SQLITE_MISMATCH) {
        snprintf(err, err_len, "%s: %s", path, detail);
        return -1;
    }
    if (rc != SQLITE_OK) {
        db_describe_open_error(err, err_len, path, rc, detail[0] ? detail : sqlite3_errmsg(sqlite), timeout_ms);
        return -1;
    }
    return 0;
}

int pvmlab_db_open(const char *path, const pvmlab_db_options *options, pvmlab_db **out, char *err,
                   size_t err_len)
{
    pvmlab_db_options chosen = options ? *options : (pvmlab_db_options){.create = true};
    if (chosen.busy_timeout_ms <= 0)
        chosen.busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
    *out = NULL;
    if (!path || !*path) {
        snprintf(err, err_len, "(no path): a database path is required");
        return -1;
    }
    /* SQLite opens a directory and fails later with a vague I/O error; say what it is. */
    struct stat info;
    if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
        snprintf(err, err_len, "%s: cannot open: is a directory", path);
        return -1;
    }
    sqlite3 *sqlite = NULL;
    int flags = chosen.read_only ? SQLITE_OPEN_READONLY
                                 : SQLITE_OPEN_READWRITE | (chosen.create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &sqlite, flags, NULL);
    if (rc != SQLITE_OK) {
        db_describe_open_error(err, err_len, path, rc, sqlite ? sqlite3_errmsg(sqlite) : "out of memory",
                               chosen.busy_timeout_ms);
        sqlite3_close(sqlite);
        return -1;
    }
    if (open_connection(path, &chosen, sqlite, err, err_len) != 0) {
        sqlite3_close(sqlite);
        return -1;
    }
    pvmlab_db *db = calloc(1, sizeof *db);
    char *path_copy = strdup(path);
    if (!db || !path_copy) {
        free(db);
        free(path_copy);
        sqlite3_close(sqlite);
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    db->sqlite = sqlite;
    db->path = path_copy;
    *out = db;
    return 0;
}

void pvmlab_db_close(pvmlab_db *db)
{
    if (!db)
        return;
    if (db->in_batch)
        sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
    for (size_t i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(db->statements[i]);
    sqlite3_close(db->sqlite);
    free(db->path);
    free(db);
}
