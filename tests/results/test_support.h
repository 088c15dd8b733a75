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

/* A cmocka fixture for tests of a command (pvmlab): a fresh temporary folder, the paths of two
 * databases in it (db: DIR/results.db, other: DIR/other.db) and of an output folder (out:
 * DIR/out; none of them is created), and room for the last command's output.
 * test_cli_folder_setup makes one into *state; test_cli_folder_teardown removes the folder. */
enum { TEST_CLI_OUTPUT_MAX = 16384, TEST_RUN_MAX_ARGS = 12 };
typedef struct test_cli_folder {
    char dir[64];
    char db[160], other[160], out[160];
    char output[TEST_CLI_OUTPUT_MAX];
} test_cli_folder;
int test_cli_folder_setup(void **state);
int test_cli_folder_teardown(void **state);
/* The same for a folder inside a fixture of one's own: make (0 or -1) and remove. */
int test_cli_folder_make(test_cli_folder *f);
void test_cli_folder_remove(const test_cli_folder *f);

/* Runs program with the NULL-terminated char * arguments after it (at most TEST_RUN_MAX_ARGS),
 * stdout and stderr into f->output, and logs the command line, exit code and output for the
 * test's log. Returns the exit code (-1: could not run, or died from a signal). */
int test_cli_run(test_cli_folder *f, const char *program, ...);

/* Forks with a pipe from the child to the parent. In the parent returns the child's pid and
 * sets *fd to the read end; in the child returns 0 and sets *fd to the write end (the child
 * must leave with _exit). Returns -1 when pipe or fork fails. */
int test_fork_with_pipe(int *fd);

/* How many times needle occurs in text (occurrences that do not overlap). */
size_t count_occurrences(const char *text, const char *needle);

/* Writes bytes[0..len) to path (created or truncated). Returns 0 or -1. */
int test_write_file(const char *path, const void *bytes, size_t len);

/* Overwrites len bytes at offset of the file at path with pseudo-random garbage. */
int test_write_garbage(const char *path, long offset, size_t len);

#endif
