/* Finding programs on PATH and running them as child processes (posix_spawn + poll):
 * the one process runner every part uses. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "process.h"
#include "clock.h"
#include "grow.h"

extern char **environ;

enum { OUTPUT_CAP = 4 << 20 };

bool util_file_exists(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 && S_ISREG(info.st_mode) && access(path, R_OK) == 0;
}

static bool is_executable_file(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 && S_ISREG(info.st_mode) && access(path, X_OK) == 0;
}

bool util_find_program(const char *search_path, const char *name, char *out, size_t out_len)
{
    if (strchr(name, '/')) {
        if (!is_executable_file(name))
            return false;
        snprintf(out, out_len, "%s", name);
        return true;
    }
    if (!search_path)
        search_path = getenv("PATH");
    if (!search_path)
        return false;
    const char *entry = search_path;
    for (;;) {
        const char *end = strchr(entry, ':');
        size_t length = end ? (size_t)(end - entry) : strlen(entry);
        char candidate[4096];
        int written = length ? snprintf(candidate, sizeof candidate, "%.*s/%s", (int)length, entry, name)
                             : snprintf(candidate, sizeof candidate, "./%s", name);
        if (written > 0 && (size_t)written < sizeof candidate && is_executable_file(candidate)) {
            snprintf(out, out_len, "%s", candidate);
            return true;
        }
        if (!end)
            return false;
        entry = end + 1;
    }
}

/* A growing NUL-terminated buffer for one output stream. */
typedef struct output_buffer {
    char *text;
    size_t length, capacity;
} output_buffer;

static int output_append(output_buffer *buffer, const char *bytes, size_t count)
{
    if (buffer->length + count > OUTPUT_CAP)
        count = OUTPUT_CAP - buffer->length;
    if (util_grow(&buffer->text, &buffer->capacity, buffer->length + count + 1, 1, 4096) != 0)
        return -1;
    memcpy(buffer->text + buffer->length, bytes, count);
    buffer->length += count;
    buffer->text[buffer->length] = '\0';
    return 0;
}

/* Reads both pipes until both are closed. With a deadline (ns, 0 = none) the child is
 * killed when it passes, and the pipes then close. */
static int drain_pipes(int out_fd, int err_fd, output_buffer *out, output_buffer *errors, pid_t child,
                       uint64_t deadline_ns, bool *timed_out)
{
    struct pollfd fds[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
    output_buffer *buffers[2] = {out, errors};
    int open_count = 2;
    while (open_count > 0) {
        int wait_ms = -1;
        if (deadline_ns && !*timed_out) {
            uint64_t now = util_now_ns();
            if (now >= deadline_ns) {
                kill(child, SIGKILL);
                *timed_out = true;
            } else {
                wait_ms = (int)((deadline_ns - now + 999999) / 1000000);
            }
        }
        int ready = poll(fds, 2, wait_ms);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < 2 && ready > 0; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char chunk[16384];
            ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_count--;
            } else if (output_append(buffers[i], chunk, (size_t)got) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

int util_process_run(char *const argv[], util_process_result *result, char *err, size_t err_len)
{
    return util_process_run_timeout(argv, 0, result, err, err_len);
}

int util_process_run_timeout(char *const argv[], int timeout_ms, util_process_result *result, char *err,
                             size_t err_len)
{
    memset(result, 0, sizeof *result);
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        snprintf(err, err_len, "pipe: %s", strerror(errno));
        goto fail_pipes;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    pid_t child;
    int64_t start = (int64_t)util_now_ns();
    int spawn_error = posix_spawn(&child, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_pipe[1] = err_pipe[1] = -1;
    if (spawn_error != 0) {
        snprintf(err, err_len, "cannot start %s: %s", argv[0], strerror(spawn_error));
        goto fail_pipes;
    }
    output_buffer out = {0}, errors = {0};
    uint64_t deadline = timeout_ms > 0 ? (uint64_t)start + (uint64_t)timeout_ms * 1000000u : 0;
    int drained = drain_pipes(out_pipe[0], err_pipe[0], &out, &errors, child, deadline, &result->timed_out);
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    result->wall_ns = (int64_t)util_now_ns() - start;
    result->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result->stdout_text = out.text ? out.text : strdup("");
    result->stderr_text = errors.text ? errors.text : strdup("");
    if (drained != 0 || !result->stdout_text || !result->stderr_text) {
        snprintf(err, err_len, "reading the output of %s failed", argv[0]);
        util_process_result_free(result);
        return -1;
    }
    return 0;

fail_pipes:
    for (int i = 0; i < 2; i++) {
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
        if (err_pipe[i] >= 0)
            close(err_pipe[i]);
    }
    return -1;
}

void util_process_result_free(util_process_result *result)
{
    free(result->stdout_text);
    free(result->stderr_text);
    result->stdout_text = result->stderr_text = NULL;
}

/* Copies the first line of text to out; false when text is empty. */
static bool copy_first_line(const char *text, char *out, size_t out_len)
{
    while (*text == '\n' || *text == ' ')
        text++;
    size_t length = strcspn(text, "\n");
    if (length == 0)
        return false;
    snprintf(out, out_len, "%.*s", (int)length, text);
    return true;
}

void util_tool_version(char *const argv[], char *out, size_t out_len)
{
    util_process_result result;
    char err[256];
    snprintf(out, out_len, "unknown");
    if (util_process_run(argv, &result, err, sizeof err) != 0)
        return;
    if (result.exit_status == 0 && !copy_first_line(result.stdout_text, out, out_len))
        copy_first_line(result.stderr_text, out, out_len);
    util_process_result_free(&result);
}
