/* Runs gnuplot as a child process with a time limit. */
#ifndef PVMLAB_GNUPLOT_RUNNER_H
#define PVMLAB_GNUPLOT_RUNNER_H

#include <stddef.h>

/* Runs `program -e SETTINGS SCRIPT` (program is looked up on PATH unless it contains a '/'),
 * with stdin from /dev/null and stdout and stderr sent to log_path. Kills it after
 * timeout_ms. Returns 0 when it exited 0; otherwise -1 with one line in err: gnuplot not
 * found, timed out, or the first error line gnuplot printed. */
int pvmlab_gnuplot_run(const char *program, const char *settings, const char *script, const char *log_path,
                       int timeout_ms, char *err, size_t err_len);

#endif
