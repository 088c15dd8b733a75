#include "gnuplot_runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_util.h"
#include "vm/util/process.h"

/* The most telling line of gnuplot's log: the first that mentions an error, else the last
 * non-empty one. */
static void first_error_line(const char *output, char *line, size_t len)
{
    char *log = strdup(output);
    snprintf(line, len, "%s", "no message");
    if (!log)
        return;
    const char *chosen = NULL;
    for (char *at = strtok(log, "\n"); at; at = strtok(NULL, "\n")) {
        while (*at == ' ' || *at == '\t' || *at == '^')
            at++;
        if (!*at)
            continue;
        if (strstr(at, "rror") || strstr(at, "annot")) {
            chosen = at;
            break;
        }
        chosen = at;
    }
    if (chosen)
        snprintf(line, len, "%s", chosen);
    free(log);
}

int pvmlab_gnuplot_run(const char *program, const char *settings, const char *script, const char *log_path,
                       int timeout_ms, char *err, size_t err_len)
{
    char path[4096];
    if (!util_find_program(NULL, program, path, sizeof path)) {
        snprintf(err, err_len, "%s not found%s (install gnuplot-nox, or pass --gnuplot PATH)", program,
                 strchr(program, '/') ? "" : " on PATH");
        return -1;
    }
    char *argv[] = {path, "-e", (char *)settings, (char *)script, NULL};
    util_process_result run;
    if (util_process_run_timeout(argv, timeout_ms, &run, err, err_len) != 0)
        return -1;
    /* gnuplot's own messages (both streams) are the log. */
    FILE *log = fopen(log_path, "wb");
    if (log) {
        fputs(run.stdout_text, log);
        fputs(run.stderr_text, log);
        fclose(log);
    }
    int rc = 0;
    if (run.timed_out) {
        snprintf(err, err_len, "%s %s: killed after %d ms (timeout)", program, script, timeout_ms);
        rc = -1;
    } else if (run.exit_status != 0) {
        char line[300];
        first_error_line(*run.stderr_text ? run.stderr_text : run.stdout_text, line, sizeof line);
        if (run.exit_status > 128)
            snprintf(err, err_len, "%s %s: killed by signal %d: %s", program, script, run.exit_status - 128, line);
        else
            snprintf(err, err_len, "%s %s failed (exit %d): %s", program, script, run.exit_status, line);
        rc = -1;
    }
    util_process_result_free(&run);
    return rc;
}
