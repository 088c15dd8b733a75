/* Every way opening can fail gives one line naming the path and the problem. */
#include "results/results.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct folder {
    char dir[64];
    char path[160];
} folder;

static int folder_setup(void **state)
{
    folder *f = calloc(1, sizeof *f);
    if (!f || test_make_temp_dir(f->dir, sizeof f->dir) != 0)
        return -1;
    test_path(f->path, sizeof f->path, f->dir, "store.db");
    *state = f;
    return 0;
}

static int folder_teardown(void **state)
{
    folder *f = *state;
    chmod(f->path, 0644);
    test_remove_tree(f->dir);
    free(f);
    return 0;
}

static void create_database(const char *path)
{
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    assert_int_equal(pvmlab_db_open(path, NULL, &db, err, sizeof err), 0);
    pvmlab_db_close(db);
}

/* Opens path expecting failure; asserts the message is one line naming path and problem. */
static void expect_open_error(const char *path, const pvmlab_db_options *options, const char *problem)
{
    char err[PVMLAB_DB_ERROR_MAX] = "";
    pvmlab_db *db = NULL;
    assert_int_equal(pvmlab_db_open(path, options, &db, err, sizeof err), -1);
    assert_null(db);
    print_message("    error: %s\n", err);
    assert_int_equal(strncmp(err, path, strlen(path)), 0);
    assert_non_null(strstr(err, problem));
    assert_null(strchr(err, '\n'));
}

static void test_locked_database(void **state)
{
    folder *f = *state;
    create_database(f->path);
    sqlite3 *holder;
    assert_int_equal(sqlite3_open(f->path, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

    pvmlab_db_options options = {.busy_timeout_ms = 100, .create = false};
    expect_open_error(f->path, &options, "locked: another connection holds the write lock (gave up after 100 ms)");

    assert_int_equal(sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(holder);
    char err[PVMLAB_DB_ERROR_MAX];
    pvmlab_db *db;
    assert_int_equal(pvmlab_db_open(f->path, &options, &db, err, sizeof err), 0);
    pvmlab_db_close(db);
}

/* Root may write any file, so the read-only case runs as "nobody" in a child process. */
static void test_read_only_file(void **state)
{
    folder *f = *state;
    create_database(f->path);
    assert_int_equal(chmod(f->path, 0444), 0);
    int fd;
    pid_t child = test_fork_with_pipe(&fd);
    assert_true(child >= 0);
    if (child == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        char err[PVMLAB_DB_ERROR_MAX] = "";
        pvmlab_db *db = NULL;
        pvmlab_db_options options = {.create = false};
        int rc = pvmlab_db_open(f->path, &options, &db, err, sizeof err);
        pvmlab_db_close(db);
        if (write(fd, err, strlen(err) + 1) < 0)
            _exit(4);
        _exit(rc == -1 ? 0 : 1);
    }
    char err[PVMLAB_DB_ERROR_MAX] = "";
    ssize_t got = read(fd, err, sizeof err - 1);
    close(fd);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(got > 0);
    print_message("    error: %s\n", err);
    assert_int_equal(strncmp(err, f->path, strlen(f->path)), 0);
    assert_non_null(strstr(err, "read-only"));
}

static void test_garbage_file_is_not_a_database(void **state)
{
    folder *f = *state;
    assert_int_equal(test_write_garbage(f->path, 0, 8192), 0);
    expect_open_error(f->path, NULL, "not an SQLite database");
    /* Nothing was written to it. */
    struct stat info;
    assert_int_equal(stat(f->path, &info), 0);
    assert_int_equal(info.st_size, 8192);
}

static void test_missing_file_without_create(void **state)
{
    folder *f = *state;
    pvmlab_db_options options = {.create = false};
    expect_open_error(f->path, &options, "cannot open: No such file or directory");
}

static void test_directory_instead_of_file(void **state)
{
    folder *f = *state;
    expect_open_error(f->dir, NULL, "cannot open");
}

int main(void)
{
#define FOLDER_TEST(f) cmocka_unit_test_setup_teardown(f, folder_setup, folder_teardown)
    const struct CMUnitTest tests[] = {
        FOLDER_TEST(test_locked_database),
        FOLDER_TEST(test_read_only_file),
        FOLDER_TEST(test_garbage_file_is_not_a_database),
        FOLDER_TEST(test_missing_file_without_create),
        FOLDER_TEST(test_directory_instead_of_file),
    };
    return cmocka_run_group_tests_name("results_open_errors", tests, NULL, NULL);
}
