/* How to reproduce: the stored command lines of the runs behind this report, then the
 * report command itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_context.h"
#include "results/store_listing.h"

enum { COMMANDS_SHOWN = 12 };

typedef struct command_lines {
    FILE *out;
    const char *db_path;
} command_lines;

static int write_command(const char *command, void *context)
{
    command_lines *lines = context;
    /* Commands are stored as typed ("pvmlab bench ..."); run them from the build. */
    fprintf(lines->out, "%s%s", strncmp(command, "pvmlab ", 7) == 0 ? "build/bin/" : "", command);
    fprintf(lines->out, strstr(command, "--db") ? "\n" : " --db %s\n", lines->db_path);
    return 0;
}

int section_reproduce(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "How to reproduce");
    report_paragraph(ctx->doc, "On a Debian 12 machine, from the repository root: set up and build, rerun the "
                               "commands recorded with the runs in this database (newest last), then rebuild this "
                               "report.");
    char *script = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&script, &length);
    if (!out) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    fprintf(out, "bash scripts/setup.sh build\n");
    command_lines lines = {.out = out, .db_path = ctx->db_path};
    int result = pvmlab_db_foreach_recent_command(ctx->db, COMMANDS_SHOWN, write_command, &lines);
    fprintf(out, "build/bin/pvmlab report --db %s --out %s", ctx->db_path, ctx->out_dir);
    fclose(out);
    if (result != 0)
        snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
    else
        report_code(ctx->doc, script ? script : "");
    free(script);
    return result == 0 ? 0 : -1;
}
