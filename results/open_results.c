#include "open_results.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"

/* quick_check reports one problem per line, after a "*** in database main ***" line; the
 * caller wants one line: the first problem and how many there are. */
static void describe_damage(char *err, size_t err_len, const char *path, const char *verdict)
{
    const char *first = verdict;
    if (strncmp(first, "***", 3) == 0 && strchr(first, '\n'))
        first = strchr(first, '\n') + 1;
    size_t problems = 1;
    for (const char *at = first; (at = strchr(at, '\n')); at++)
        problems += at[1] != '\0';
    snprintf(err, err_len, "%s: corrupt database: %.*s%s", path, (int)strcspn(first, "\n"), first,
             problems > 1 ? " (and more problems: run pvmlab db check)" : "");
}

int pvmlab_open_results(const char *path, pvmlab_db **out, char *err, size_t err_len)
{
    pvmlab_db_options options = {.create = false, .read_only = true};
    if (pvmlab_db_open(path, &options, out, err, err_len) != 0) {
        if (strstr(err, "No such file"))
            snprintf(err + strlen(err), err_len - strlen(err), " (run pvmlab bench first, or pass --db PATH)");
        return -1;
    }
    /* Opening reads only the header and the schema; a damaged page shows up on first read.
     * quick_check finds it now, so the caller gets one clear line instead of a half report. */
    sqlite3 *sqlite = (*out)->sqlite;
    sqlite3_stmt *statement = NULL;
    int rc = sqlite3_prepare_v2(sqlite, "PRAGMA quick_check", -1, &statement, NULL) == SQLITE_OK
                 ? sqlite3_step(statement)
                 : SQLITE_ERROR;
    const char *verdict = rc == SQLITE_ROW ? db_column_text(statement, 0) : sqlite3_errmsg(sqlite);
    int healthy = rc == SQLITE_ROW && strcmp(verdict, "ok") == 0;
    if (!healthy)
        describe_damage(err, err_len, path, verdict);
    sqlite3_finalize(statement);
    if (!healthy) {
        pvmlab_db_close(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}
