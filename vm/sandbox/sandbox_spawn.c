/* Creating the worker: clone into fresh namespaces; in the child, tie its
 * life to the host (PR_SET_PDEATHSIG), keep only the shared block's
 * descriptor and exec the worker program, so that the worker starts with
 * none of the host's memory, signal handlers or threads. Between clone and
 * exec the child makes only async-signal-safe calls (the host may have
 * threads). The worker reports the outcome of its setup as its first reply. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox_spawn.h"
#include "vm/util/error.h"

#define NAMESPACES (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)

extern char **environ;

/* Report a failure before exec through the shared block, with plain string copies (no stdio). */
_Noreturn static void child_fail(sandbox_shared *sh, const char *what)
{
    size_t n = 0;
    const char *parts[3] = {"sandbox: cannot start the worker: ", what, ""};
    for (int i = 0; i < 3; i++)
        for (const char *c = parts[i]; *c && n + 1 < sizeof sh->error.msg; c++) sh->error.msg[n++] = *c;
    sh->error.msg[n] = 0;
    sh->status = PVM_ERR_UNSUPPORTED;
    __atomic_add_fetch(&sh->reply, 1, __ATOMIC_RELEASE);
    sandbox_futex_wake(&sh->reply);
    _exit(127);
}

_Noreturn static void child_main(const sandbox_spawn_args *a, int death_r, int death_w)
{
    sandbox_shared *sh = a->shared;
    /* Die with the host; and if the host died before this line, go now. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(sh, "PR_SET_PDEATHSIG failed");
    close(death_w);
    char c;
    if (read(death_r, &c, 1) == 0) _exit(0); /* EOF (not EAGAIN): no host holds the write end any more */
    /* The shared block becomes descriptor 3 (without close-on-exec); nothing else crosses the exec. */
    if (a->shared_fd == SANDBOX_SHARED_FD) {
        if (fcntl(SANDBOX_SHARED_FD, F_SETFD, 0) != 0) child_fail(sh, "fcntl on the shared block failed");
    } else if (dup2(a->shared_fd, SANDBOX_SHARED_FD) != SANDBOX_SHARED_FD) {
        child_fail(sh, "dup2 of the shared block failed");
    }
    if (syscall(SYS_close_range, SANDBOX_SHARED_FD + 1u, ~0u, 0u) != 0)
        for (int fd = SANDBOX_SHARED_FD + 1; fd < 1024; fd++) close(fd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    char *const argv[] = {(char *)"pvm-sandbox-worker", NULL};
    static char *const no_env[] = {NULL};
    /* Sanitizer builds pass the environment on (ASAN_OPTIONS and friends); others give the worker none. */
    execve(a->worker_path, argv, a->sanitizer ? environ : no_env);
    child_fail(sh, errno == ENOENT ? "the worker program does not exist" : "exec of the worker program failed");
}

/* fork() with namespace flags: the child returns 0 on a copy of our stack. */
static pid_t clone_like_fork(unsigned long flags) { return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0); }

pid_t sandbox_spawn(const sandbox_spawn_args *a, int *death_pipe_w, char *why_no_ns, size_t why_len, pvm_error *err)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
        pvm_fail(err, PVM_ERR_IO, "sandbox: pipe: %s", strerror(errno));
        return -1;
    }
    why_no_ns[0] = 0;
    pid_t pid = -1;
    if (a->namespaces) {
        pid = clone_like_fork(NAMESPACES);
        if (pid < 0) snprintf(why_no_ns, why_len, "clone with new namespaces: %s", strerror(errno));
    } else {
        snprintf(why_no_ns, why_len, "turned off by the caller");
    }
    if (pid < 0) pid = clone_like_fork(0);
    if (pid == 0) child_main(a, p[0], p[1]);
    close(p[0]);
    if (pid < 0) {
        close(p[1]);
        pvm_fail(err, PVM_ERR_UNSUPPORTED, "sandbox: clone: %s", strerror(errno));
        return -1;
    }
    *death_pipe_w = p[1];
    return pid;
}
