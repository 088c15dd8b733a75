#define _GNU_SOURCE
#include "test_support.h"

#include <fcntl.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int test_make_temp_dir(char *out, size_t len)
{
    snprintf(out, len, "/tmp/pvmlab-test-XXXXXX");
    if (!mkdtemp(out))
        return -1;
    return chmod(out, 0755);
}

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *walk)
{
    (void)info;
    (void)type;
    (void)walk;
    return remove(path);
}

void test_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *test_path(char *out, size_t len, const char *dir, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
    return out;
}

int test_run_command(char *const argv[], char *output, size_t len)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        return -1;
    pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        dup2(pipe_fds[1], STDERR_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipe_fds[1]);
    size_t used = 0;
    ssize_t got;
    char scratch[4096];
    while ((got = read(pipe_fds[0], scratch, sizeof scratch)) > 0) {
        size_t take = (size_t)got;
        if (used + take >= len)
            take = len - 1 - used;
        memcpy(output + used, scratch, take);
        used += take;
    }
    output[used] = '\0';
    close(pipe_fds[0]);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

int test_fork_with_pipe(int *fd)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        return -1;
    pid_t child = fork();
    if (child < 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -1;
    }
    close(pipe_fds[child == 0 ? 0 : 1]);
    *fd = pipe_fds[child == 0 ? 1 : 0];
    return (int)child;
}

int test_write_file(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t written = fwrite(bytes, 1, len, f);
    return fclose(f) == 0 && written == len ? 0 : -1;
}

int test_write_garbage(const char *path, long offset, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0)
        return -1;
    unsigned state = 0x9e3779b9u;
    int status = 0;
    if (lseek(fd, offset, SEEK_SET) != offset)
        status = -1;
    for (size_t i = 0; i < len && status == 0; i++) {
        state = state * 1103515245u + 12345u;
        unsigned char byte = (unsigned char)(state >> 16);
        if (write(fd, &byte, 1) != 1)
            status = -1;
    }
    close(fd);
    return status;
}

int test_cli_run(test_cli_folder *f, const char *program, ...)
{
    char *argv[TEST_RUN_MAX_ARGS + 2] = {(char *)program};
    char shown[768] = "";
    va_list args;
    va_start(args, program);
    for (int i = 1; i <= TEST_RUN_MAX_ARGS; i++) {
        argv[i] = va_arg(args, char *);
        if (!argv[i])
            break;
        strncat(shown, " ", sizeof shown - strlen(shown) - 1);
        strncat(shown, argv[i], sizeof shown - strlen(shown) - 1);
    }
    va_end(args);
    int code = test_run_command(argv, f->output, sizeof f->output);
    const char *name = strrchr(program, '/');
    printf("    %s%s -> %d: %.600s\n", name ? name + 1 : program, shown, code, f->output);
    return code;
}

int test_cli_folder_make(test_cli_folder *f)
{
    if (test_make_temp_dir(f->dir, sizeof f->dir) != 0)
        return -1;
    test_path(f->db, sizeof f->db, f->dir, "results.db");
    test_path(f->other, sizeof f->other, f->dir, "other.db");
    test_path(f->out, sizeof f->out, f->dir, "out");
    return 0;
}

void test_cli_folder_remove(const test_cli_folder *f)
{
    test_remove_tree(f->dir);
}

int test_cli_folder_setup(void **state)
{
    test_cli_folder *f = calloc(1, sizeof *f);
    if (!f || test_cli_folder_make(f) != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

int test_cli_folder_teardown(void **state)
{
    test_cli_folder *f = *state;
    test_cli_folder_remove(f);
    free(f);
    return 0;
}

size_t count_occurrences(const char *text, const char *needle)
{
    size_t count = 0;
    for (const char *at = strstr(text, needle); at; at = strstr(at + strlen(needle), needle))
        count++;
    return count;
}
