/* How to reproduce: the stored command lines of the runs behind this report, then the
 * report command itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_context.h"
#include "plots/sql_util.h"

enum { COMMANDS_SHOWN = 12 };

int section_reproduce(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "How to reproduce");
    report_paragraph(ctx->doc, "On a Debian 12 machine, from the repository root: set up and build, rerun the "
                               "commands recorded with the runs in this database (newest last), then rebuild this "
                               "report.");
    sqlite3 *sqlite = pvmlab_db_sqlite(ctx->db);
    sqlite3_stmt *statement = pvmlab_sql_prepare(
        sqlite,
        "SELECT command_line FROM (SELECT command_line, max(id) AS last FROM runs WHERE command_line <> ''"
        " GROUP BY command_line ORDER BY last DESC LIMIT ?1) ORDER BY last",
        "reading run commands", err, err_len);
    if (!statement)
        return -1;
    sqlite3_bind_int(statement, 1, COMMANDS_SHOWN);
    char *script = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&script, &length);
    if (!out) {
        sqlite3_finalize(statement);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    fprintf(out, "bash scripts/setup.sh build\n");
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        const char *command = (const char *)sqlite3_column_text(statement, 0);
        /* Commands are stored as typed ("pvmlab bench ..."); run them from the build. */
        fprintf(out, "%s%s", strncmp(command, "pvmlab ", 7) == 0 ? "build/bin/" : "", command);
        fprintf(out, strstr(command, "--db") ? "\n" : " --db %s\n", ctx->db_path);
    }
    fprintf(out, "build/bin/pvmlab report --db %s --out %s", ctx->db_path, ctx->out_dir);
    fclose(out);
    int result = rc == SQLITE_DONE ? 0 : pvmlab_sql_fail(sqlite, "reading run commands", err, err_len);
    sqlite3_finalize(statement);
    if (result == 0)
        report_code(ctx->doc, script ? script : "");
    free(script);
    return result;
}
