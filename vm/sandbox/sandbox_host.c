/* Host side of the sandbox: start and stop the worker, send commands
 * through the shared block, notice a dead worker, service ecalli. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sandbox.h"
#include "sandbox_spawn.h"
#include "sandbox_testing.h"
#include "util/error.h"

#define DEATH_POLL_NS 10000000u /* while waiting for a reply, check every 10 ms that the worker lives */

struct pvm_sandbox {
    sandbox_shared *sh;
    pid_t pid;
    int death_pipe_w;
    bool dead;
    int dead_signal;          /* 0 if it exited normally */
    bool death_reported;      /* a call already returned the trap */
    char isolation[640];
};

static bool worker_gone(pvm_sandbox *sb)
{
    if (sb->dead) return true;
    int st;
    if (waitpid(sb->pid, &st, WNOHANG) != sb->pid) return false;
    sb->dead = true;
    sb->dead_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return true;
}

static pvm_status dead_error(pvm_sandbox *sb, pvm_error *err)
{
    if (sb->dead_signal)
        return pvm_fail(err, PVM_ERR_STATE, "sandbox: the worker died of signal %d (%s)%s", sb->dead_signal,
                        strsignal(sb->dead_signal), sb->dead_signal == SIGSYS ? ": a forbidden system call" : "");
    return pvm_fail(err, PVM_ERR_STATE, "sandbox: the worker exited");
}

/* Send the command in sb->sh and wait for its reply. */
static pvm_status transact(pvm_sandbox *sb, pvm_error *err)
{
    sandbox_shared *sh = sb->sh;
    if (sb->dead) return dead_error(sb, err);
    uint32_t seen = __atomic_load_n(&sh->reply, __ATOMIC_ACQUIRE);
    __atomic_add_fetch(&sh->request, 1, __ATOMIC_RELEASE);
    sandbox_futex_wake(&sh->request);
    while (__atomic_load_n(&sh->reply, __ATOMIC_ACQUIRE) == seen) {
        sandbox_futex_wait(&sh->reply, seen, DEATH_POLL_NS);
        if (__atomic_load_n(&sh->reply, __ATOMIC_ACQUIRE) == seen && worker_gone(sb)) return dead_error(sb, err);
    }
    if (sh->status != PVM_OK && err) *err = sh->error;
    return sh->status;
}

static const char *worker_path(const pvm_sandbox_config *cfg)
{
    if (cfg->worker_path) return cfg->worker_path;
    const char *env = getenv("PVM_SANDBOX_WORKER");
    return env && *env ? env : PVM_SANDBOX_WORKER_DEFAULT;
}

/* The shared block as a memfd (the worker maps it after exec). */
static int make_shared(pvm_sandbox *sb, pvm_error *err)
{
    int fd = memfd_create("pvm-sandbox", MFD_CLOEXEC);
    if (fd < 0) return pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox: memfd_create: %s", strerror(errno)), -1;
    if (ftruncate(fd, (off_t)SANDBOX_SHARED_SIZE) != 0) {
        pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox: ftruncate: %s", strerror(errno));
        close(fd);
        return -1;
    }
    sb->sh = mmap(NULL, SANDBOX_SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (sb->sh == MAP_FAILED) {
        pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox: shared memory: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

pvm_status pvm_sandbox_start(const pvm_sandbox_config *cfg, pvm_sandbox **out, pvm_error *err)
{
    static const pvm_sandbox_config defaults = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC};
    if (!out) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox: NULL argument");
    if (!cfg) cfg = &defaults;
    pvm_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) return pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox: out of memory");
    int fd = make_shared(sb, err);
    if (fd < 0) {
        free(sb);
        return PVM_ERR_NO_MEMORY;
    }
    bool sanitizer = false;
#ifdef PVMLAB_SANITIZE
    sanitizer = true;
#endif
    sb->sh->config = (sandbox_worker_config){
        .backend = cfg->backend,
        .gas_mode = cfg->gas_mode,
        .seccomp = !cfg->no_seccomp,
        .limit_address_space = !sanitizer,
        .address_space = cfg->address_space ? cfg->address_space : 16ull << 30,
        .cpu_seconds = cfg->cpu_seconds ? cfg->cpu_seconds : 600,
        .lazy_pages = cfg->lazy_pages,
        .huge_pages = cfg->huge_pages,
    };
    sandbox_spawn_args a = {sb->sh, fd, worker_path(cfg), !cfg->no_namespaces, sanitizer};
    char why_no_ns[160];
    sb->pid = sandbox_spawn(&a, &sb->death_pipe_w, why_no_ns, sizeof why_no_ns, err);
    close(fd);
    if (sb->pid < 0) {
        munmap(sb->sh, SANDBOX_SHARED_SIZE);
        free(sb);
        return PVM_ERR_UNSUPPORTED;
    }
    /* The worker's first reply is the outcome of its setup (or of the exec). */
    while (__atomic_load_n(&sb->sh->reply, __ATOMIC_ACQUIRE) == 0) {
        sandbox_futex_wait(&sb->sh->reply, 0, DEATH_POLL_NS);
        if (__atomic_load_n(&sb->sh->reply, __ATOMIC_ACQUIRE) == 0 && worker_gone(sb)) break;
    }
    pvm_status st = sb->sh->status;
    if (__atomic_load_n(&sb->sh->reply, __ATOMIC_ACQUIRE) == 0) st = dead_error(sb, err);
    else if (st != PVM_OK && err) *err = sb->sh->error;
    if (st != PVM_OK) {
        pvm_sandbox_stop(sb);
        return st;
    }
    const sandbox_worker_config *wc = &sb->sh->config;
    snprintf(sb->isolation, sizeof sb->isolation,
             "exec %s; namespaces: %s%s; seccomp: %s; no_new_privs; rlimits: %s nofile=16 cpu=%us core=0 fsize=0; "
             "pdeathsig",
             a.worker_path, why_no_ns[0] ? "off: " : "user pid mount net ipc uts", why_no_ns,
             wc->seccomp ? "allow list, kill process" : "off",
             wc->limit_address_space ? "as=on" : "as=off (sanitizer build)", wc->cpu_seconds);
    *out = sb;
    return PVM_OK;
}

void pvm_sandbox_stop(pvm_sandbox *sb)
{
    if (!sb) return;
    if (!sb->dead) {
        kill(sb->pid, SIGKILL);
        waitpid(sb->pid, NULL, 0);
    }
    close(sb->death_pipe_w);
    munmap(sb->sh, SANDBOX_SHARED_SIZE);
    free(sb);
}

const char *pvm_sandbox_isolation(const pvm_sandbox *sb) { return sb->isolation; }
int pvm_sandbox_pid(const pvm_sandbox *sb) { return sb->pid; }

pvm_status pvm_sandbox_load(pvm_sandbox *sb, const uint8_t *bytes, size_t len, pvm_error *err)
{
    for (size_t off = 0; off < len; off += SANDBOX_DATA_CAP) {
        size_t n = len - off < SANDBOX_DATA_CAP ? len - off : SANDBOX_DATA_CAP;
        sb->sh->cmd = SANDBOX_CMD_LOAD_CHUNK;
        sb->sh->len = (uint32_t)n;
        memcpy(sb->sh->data, bytes + off, n);
        pvm_status st = transact(sb, err);
        if (st) return st;
    }
    sb->sh->cmd = SANDBOX_CMD_LOAD;
    return transact(sb, err);
}

pvm_status pvm_sandbox_reset(pvm_sandbox *sb, pvm_error *err)
{
    sb->sh->cmd = SANDBOX_CMD_RESET;
    return transact(sb, err);
}

/* A run command (call or resume) is in sh: send it; a dead worker becomes a trap, reported once. */
static pvm_status run_command(pvm_sandbox *sb, pvm_sandbox_outcome *out, pvm_error *err)
{
    bool was_dead = sb->dead;
    pvm_status st = transact(sb, err);
    if (st != PVM_OK && sb->dead && !was_dead && !sb->death_reported) {
        sb->death_reported = true;
        memset(out, 0, sizeof *out);
        out->result.kind = PVM_EXIT_PANIC;
        out->worker_signal = sb->dead_signal ? sb->dead_signal : -1;
        return PVM_OK;
    }
    if (st) return st;
    out->result = sb->sh->result;
    memcpy(out->regs, sb->sh->regs, sizeof out->regs);
    out->gas = sb->sh->gas;
    out->worker_signal = 0;
    return PVM_OK;
}

pvm_status pvm_sandbox_call(pvm_sandbox *sb, const char *export_name, const uint64_t *args, size_t nargs, int64_t gas,
                            pvm_sandbox_host_fn fn, void *user, pvm_sandbox_outcome *out, pvm_error *err)
{
    if (!sb || !export_name || !out || (nargs && !args))
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox call: NULL argument");
    size_t name_len = strlen(export_name);
    if (nargs > 6 || name_len >= SANDBOX_DATA_CAP)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox call: at most 6 arguments and a sane export name");
    sandbox_shared *sh = sb->sh;
    sh->cmd = SANDBOX_CMD_CALL;
    memcpy(sh->data, export_name, name_len + 1);
    sh->nargs = (uint32_t)nargs;
    if (nargs) memcpy(&sh->regs[7], args, nargs * sizeof *args);
    sh->gas = gas;
    pvm_status st = run_command(sb, out, err);
    while (st == PVM_OK && fn && !out->worker_signal && out->result.kind == PVM_EXIT_ECALLI) {
        if ((st = fn(user, sb, out->result.ecalli, out->regs)) != PVM_OK) break;
        sh->cmd = SANDBOX_CMD_RESUME;
        memcpy(sh->regs, out->regs, sizeof sh->regs);
        st = run_command(sb, out, err);
    }
    return st;
}

static pvm_status copy_memory(pvm_sandbox *sb, sandbox_cmd cmd, uint32_t addr, uint8_t *host, size_t len,
                              pvm_error *err)
{
    if ((uint64_t)addr + len > (1ull << 32))
        return pvm_fail(err, PVM_ERR_OUT_OF_BOUNDS, "access 0x%x+%zu: past the 4 GiB address space", addr, len);
    for (size_t off = 0; off < len; off += SANDBOX_DATA_CAP) {
        size_t n = len - off < SANDBOX_DATA_CAP ? len - off : SANDBOX_DATA_CAP;
        sb->sh->cmd = cmd;
        sb->sh->addr = addr + (uint32_t)off;
        sb->sh->len = (uint32_t)n;
        if (cmd == SANDBOX_CMD_WRITE) memcpy(sb->sh->data, host + off, n);
        pvm_status st = transact(sb, err);
        if (st) return st;
        if (cmd == SANDBOX_CMD_READ) memcpy(host + off, sb->sh->data, n);
    }
    return PVM_OK;
}

pvm_status pvm_sandbox_read(pvm_sandbox *sb, uint32_t addr, void *dst, size_t len, pvm_error *err)
{
    return copy_memory(sb, SANDBOX_CMD_READ, addr, dst, len, err);
}

pvm_status pvm_sandbox_write(pvm_sandbox *sb, uint32_t addr, const void *src, size_t len, pvm_error *err)
{
    return copy_memory(sb, SANDBOX_CMD_WRITE, addr, (uint8_t *)(uintptr_t)src, len, err);
}

/* Test hooks (sandbox_testing.h). */
_Static_assert((int)PVM_SANDBOX_TEST_FORBIDDEN_SYSCALL == (int)SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL, "test command numbers");
_Static_assert((int)PVM_SANDBOX_TEST_CRASH == (int)SANDBOX_CMD_TEST_CRASH, "test command numbers");
pvm_status pvm_sandbox_test_command(pvm_sandbox *sb, int cmd, pvm_error *err)
{
    sb->sh->cmd = (uint32_t)cmd;
    return transact(sb, err);
}
