/* Finding tools on PATH and running them as child processes. */
#ifndef PVMLAB_BENCH_TOOLS_H
#define PVMLAB_BENCH_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Looks name up in the colon-separated search_path (NULL = the process's PATH); a name
 * containing '/' is checked as it is. On success writes the executable's path to out. */
bool bench_find_program(const char *search_path, const char *name, char *out, size_t out_len);

/* Whether path names a readable regular file. */
bool bench_file_exists(const char *path);

/* What a finished child process left behind. stdout_text and stderr_text are owned by the
 * result (bench_process_result_free) and always NUL-terminated (possibly empty). */
typedef struct bench_process_result {
    int exit_status;      /* exit code, or 128 + signal number */
    int64_t wall_ns;      /* from spawn to exit, as seen by the parent */
    char *stdout_text;
    char *stderr_text;
} bench_process_result;

/* Runs argv[0] (a path) with argv, stdin from /dev/null, and collects its output (each
 * stream capped at 4 MiB). Returns 0 when the process ran (whatever its exit status), -1
 * with one line in err when it could not be started. */
int bench_process_run(char *const argv[], bench_process_result *result, char *err, size_t err_len);
void bench_process_result_free(bench_process_result *result);

/* Runs argv and, when it exits 0, copies the first line of its stdout (or, if empty, of
 * stderr) to out; otherwise out becomes "unknown". For `tool --version`. */
void bench_tool_version(char *const argv[], char *out, size_t out_len);


#endif
