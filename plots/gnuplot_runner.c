#include "gnuplot_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "text_util.h"
#include "util/file_read.h"
#include "util/clock.h"

extern char **environ;

/* Waits for child up to timeout_ms; kills it when the time is up. Returns the wait status,
 * or -1 on timeout. */
static int wait_with_timeout(pid_t child, int timeout_ms)
{
    long long deadline = (long long)(util_now_ns() / 1000000) + timeout_ms;
    for (;;) {
        int status;
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child)
            return status;
        if (done < 0 && errno != EINTR)
            return -1;
        if ((long long)(util_now_ns() / 1000000) >= deadline) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return -1;
        }
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* The most telling line of gnuplot's log: the first that mentions an error, else the last
 * non-empty one. */
static void first_error_line(const char *log_path, char *line, size_t len)
{
    char *log = util_read_file(log_path, NULL);
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
    posix_spawn_file_actions_t actions;
    if (posix_spawn_file_actions_init(&actions) != 0) {
        snprintf(err, err_len, "cannot start %s: out of memory", program);
        return -1;
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    char *argv[] = {(char *)program, "-e", (char *)settings, (char *)script, NULL};
    pid_t child;
    int rc = posix_spawnp(&child, program, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        if (rc == ENOENT)
            snprintf(err, err_len, "%s not found%s (install gnuplot-nox, or pass --gnuplot PATH)", program,
                     strchr(program, '/') ? "" : " on PATH");
        else
            snprintf(err, err_len, "cannot start %s: %s", program, strerror(rc));
        return -1;
    }
    int status = wait_with_timeout(child, timeout_ms);
    if (status == -1) {
        snprintf(err, err_len, "%s %s: killed after %d ms (timeout)", program, script, timeout_ms);
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    /* posix_spawnp in glibc reports a missing program as exit 127 of the child. */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        snprintf(err, err_len, "%s not found (install gnuplot-nox, or pass --gnuplot PATH)", program);
        return -1;
    }
    char line[300];
    first_error_line(log_path, line, sizeof line);
    if (WIFSIGNALED(status))
        snprintf(err, err_len, "%s %s: killed by signal %d: %s", program, script, WTERMSIG(status), line);
    else
        snprintf(err, err_len, "%s %s failed (exit %d): %s", program, script, WEXITSTATUS(status), line);
    return -1;
}
