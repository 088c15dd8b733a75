/* Finding programs on PATH and running them as child processes: the one process
 * runner every part uses (engines, tool versions, gnuplot, git). */
#ifndef PVM_UTIL_PROCESS_H
#define PVM_UTIL_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Looks name up in the colon-separated search_path (NULL = the process's PATH); a name
 * containing '/' is checked as it is. On success writes the executable's path to out. */
bool util_find_program(const char *search_path, const char *name, char *out, size_t out_len);

/* Whether path names a readable regular file. */
bool util_file_exists(const char *path);

/* What a finished child process left behind. stdout_text and stderr_text are owned by the
 * result (util_process_result_free) and always NUL-terminated (possibly empty). */
typedef struct util_process_result {
    int exit_status;      /* exit code, or 128 + signal number */
    int64_t wall_ns;      /* from spawn to exit, as seen by the parent */
    char *stdout_text;
    char *stderr_text;
    bool timed_out;       /* killed (SIGKILL) at the deadline of util_process_run_timeout */
} util_process_result;

/* Runs argv[0] (a path) with argv, stdin from /dev/null, and collects its output (each
 * stream capped at 4 MiB). Returns 0 when the process ran (whatever its exit status), -1
 * with one line in err when it could not be started. */
int util_process_run(char *const argv[], util_process_result *result, char *err, size_t err_len);
/* Same, killing the process when it runs longer than timeout_ms (0 = no limit): then
 * result->timed_out is set and exit_status is 128 + SIGKILL. */
int util_process_run_timeout(char *const argv[], int timeout_ms, util_process_result *result, char *err,
                             size_t err_len);
void util_process_result_free(util_process_result *result);

/* Runs argv and, when it exits 0, copies the first line of its stdout (or, if empty, of
 * stderr) to out; otherwise out becomes "unknown". For `tool --version`. */
void util_tool_version(char *const argv[], char *out, size_t out_len);


#endif
