/* Helpers shared by the results and counters tests: temporary folders and running a
 * command with its output captured. */
#ifndef PVMLAB_TEST_SUPPORT_H
#define PVMLAB_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>

/* Creates a fresh folder under /tmp (mode 0755) and writes its path to out (>= 64 bytes).
 * Returns 0 or -1. */
int test_make_temp_dir(char *out, size_t len);

/* Removes a folder and everything in it. */
void test_remove_tree(const char *path);

/* Joins dir and name into out. Returns out. */
char *test_path(char *out, size_t len, const char *dir, const char *name);

/* Runs argv (argv[0] is a path, NULL-terminated) with stdout and stderr captured together
 * into output (NUL-terminated, truncated to len). Returns the exit code, or -1 when the
 * command could not run or died from a signal. */
int test_run_command(char *const argv[], char *output, size_t len);

/* test_run_command on program with the NULL-terminated char * arguments in args (at most
 * TEST_RUN_MAX_ARGS); shown gets " arg1 arg2 ..." for the test's log. */
enum { TEST_RUN_MAX_ARGS = 12 };
int test_run_program_va(const char *program, char *output, size_t len, char *shown, size_t shown_len, va_list args);

/* Forks with a pipe from the child to the parent. In the parent returns the child's pid and
 * sets *fd to the read end; in the child returns 0 and sets *fd to the write end (the child
 * must leave with _exit). Returns -1 when pipe or fork fails. */
int test_fork_with_pipe(int *fd);

/* Writes bytes[0..len) to path (created or truncated). Returns 0 or -1. */
int test_write_file(const char *path, const void *bytes, size_t len);

/* Overwrites len bytes at offset of the file at path with pseudo-random garbage. */
int test_write_garbage(const char *path, long offset, size_t len);

#endif
