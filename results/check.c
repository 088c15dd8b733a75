/* `db check`: a read-only health verdict for a results file. */
#include "db_internal.h"
#include "schema.h"

#include <stdio.h>
#include <string.h>

enum { CHECK_BUSY_TIMEOUT_MS = 2000 };

/* Runs a PRAGMA check and counts its problem rows (integrity_check's single "ok" row is not a
 * problem); the first problem is copied to first. Returns an SQLite code. */
static int count_problems(sqlite3 *sqlite, const char *pragma, int *problems, char *first, size_t first_len)
{
    sqlite3_stmt *statement;
    int rc = sqlite3_prepare_v2(sqlite, pragma, -1, &statement, NULL);
    if (rc != SQLITE_OK)
        return rc;
    *problems = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(statement, 0);
        if (sqlite3_column_count(statement) == 1 && text && strcmp(text, "ok") == 0)
            continue;
        if (*problems == 0) {
            if (sqlite3_column_count(statement) == 1)
                snprintf(first, first_len, "%s", text ? text : "?");
            else /* foreign_key_check: table, rowid, parent, fkid */
                snprintf(first, first_len, "%s row %lld references a missing %s row",
                         (const char *)sqlite3_column_text(statement, 0), sqlite3_column_int64(statement, 1),
                         (const char *)sqlite3_column_text(statement, 2));
        }
        (*problems)++;
    }
    sqlite3_finalize(statement);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static long long count_rows(sqlite3 *sqlite, const char *sql)
{
    sqlite3_stmt *statement;
    long long count = -1;
    if (sqlite3_prepare_v2(sqlite, sql, -1, &statement, NULL) == SQLITE_OK) {
        if (sqlite3_step(statement) == SQLITE_ROW)
            count = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
    }
    return count;
}

static int check_open_file(sqlite3 *sqlite, const char *path, char *verdict, size_t len)
{
    int version, latest = schema_latest_version(), problems;
    char first[256] = "";
    int rc = schema_read_version(sqlite, &version);
    if (rc != SQLITE_OK) {
        db_describe_open_error(verdict, len, path, rc, sqlite3_errmsg(sqlite), CHECK_BUSY_TIMEOUT_MS);
        return 1;
    }
    if (version > latest) {
        char newer[160];
        schema_describe_newer(newer, sizeof newer, version);
        snprintf(verdict, len, "%s: %s", path, newer);
        return 1;
    }
    if (version == 0) {
        snprintf(verdict, len, "%s: not a pvmlab database (no pvmlab schema version)%s", path,
                 count_rows(sqlite, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") > 0
                     ? ": another program's tables"
                     : " (empty); create one with pvmlab db init");
        return 1;
    }
    rc = count_problems(sqlite, "PRAGMA integrity_check", &problems, first, sizeof first);
    if (rc != SQLITE_OK) {
        db_describe_open_error(verdict, len, path, rc, sqlite3_errmsg(sqlite), CHECK_BUSY_TIMEOUT_MS);
        return 1;
    }
    if (problems) {
        snprintf(verdict, len, "%s: corrupt: integrity_check found %d problem%s, first: %s", path, problems,
                 problems == 1 ? "" : "s", first);
        return 1;
    }
    rc = count_problems(sqlite, "PRAGMA foreign_key_check", &problems, first, sizeof first);
    if (rc != SQLITE_OK || problems) {
        if (rc != SQLITE_OK)
            db_describe_open_error(verdict, len, path, rc, sqlite3_errmsg(sqlite), CHECK_BUSY_TIMEOUT_MS);
        else
            snprintf(verdict, len, "%s: inconsistent: %d foreign key violation%s, first: %s", path, problems,
                     problems == 1 ? "" : "s", first);
        return 1;
    }
    snprintf(verdict, len, "%s: ok (schema version %d%s, integrity ok, foreign keys ok, %lld runs, %lld samples)",
             path, version, version < latest ? ", older: migrated on next write" : "",
             count_rows(sqlite, "SELECT count(*) FROM runs"), count_rows(sqlite, "SELECT count(*) FROM samples"));
    return 0;
}

int pvmlab_db_check(const char *path, char *verdict, size_t verdict_len)
{
    sqlite3 *sqlite = NULL;
    int rc = sqlite3_open_v2(path, &sqlite, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        db_describe_open_error(verdict, verdict_len, path, rc, sqlite ? sqlite3_errmsg(sqlite) : "out of memory",
                               CHECK_BUSY_TIMEOUT_MS);
        sqlite3_close(sqlite);
        return 1;
    }
    sqlite3_extended_result_codes(sqlite, 1);
    sqlite3_busy_timeout(sqlite, CHECK_BUSY_TIMEOUT_MS);
    int status = check_open_file(sqlite, path, verdict, verdict_len);
    sqlite3_close(sqlite);
    return status;
}
