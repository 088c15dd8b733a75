/* Creating the worker: clone into fresh namespaces, then, in the child,
 * tie its life to the host, drop what it could use against the host
 * (file descriptors, privileges, resources, system calls) and enter the
 * command loop. The child reports the outcome of its setup as its first
 * reply. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox_spawn.h"
#include "util/error.h"

#define NAMESPACES (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)

static void child_fail(sandbox_shared *sh, const char *what)
{
    pvm_fail(&sh->error, PVM_ERR_UNSUPPORTED, "sandbox worker: %s: %s", what, strerror(errno));
    sh->status = PVM_ERR_UNSUPPORTED;
    __atomic_add_fetch(&sh->reply, 1, __ATOMIC_RELEASE);
    sandbox_futex_wake(&sh->reply);
    _exit(1);
}

static void set_limit(sandbox_shared *sh, int resource, rlim_t value, const char *what)
{
    struct rlimit rl = {value, value};
    if (setrlimit(resource, &rl) != 0) child_fail(sh, what);
}

_Noreturn static void child_main(const sandbox_spawn_args *a, int death_r, int death_w)
{
    sandbox_shared *sh = a->shared;
    /* Die with the host; and if the host died before this line, go now. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(sh, "PR_SET_PDEATHSIG");
    close(death_w);
    char c;
    if (read(death_r, &c, 1) == 0) _exit(0); /* EOF (not EAGAIN): no host holds the write end any more */
    /* Inherited handlers (a test framework's, the recompiler's) must not catch the worker's own faults. */
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], SIG_DFL);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
        for (int fd = 3; fd < 1024; fd++) close(fd);
    if (!a->sanitizer) set_limit(sh, RLIMIT_AS, a->address_space, "RLIMIT_AS");
    set_limit(sh, RLIMIT_NOFILE, 16, "RLIMIT_NOFILE");
    set_limit(sh, RLIMIT_CPU, a->cpu_seconds, "RLIMIT_CPU");
    set_limit(sh, RLIMIT_CORE, 0, "RLIMIT_CORE");
    set_limit(sh, RLIMIT_FSIZE, 0, "RLIMIT_FSIZE");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) child_fail(sh, "PR_SET_NO_NEW_PRIVS");
    pvm_engine *engine;
    if (pvm_engine_new(&a->engine, &engine, &sh->error) != PVM_OK) {
        sh->status = PVM_ERR_UNSUPPORTED;
        __atomic_add_fetch(&sh->reply, 1, __ATOMIC_RELEASE);
        sandbox_futex_wake(&sh->reply);
        _exit(1);
    }
    if (a->seccomp && !sandbox_seccomp_install(a->engine.backend == PVM_BACKEND_JIT)) child_fail(sh, "seccomp");
    sh->status = PVM_OK;
    __atomic_add_fetch(&sh->reply, 1, __ATOMIC_RELEASE);
    sandbox_futex_wake(&sh->reply);
    sandbox_worker_main(sh, engine);
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
