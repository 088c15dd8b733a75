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
#include <time.h>
#include <unistd.h>
#include "sandbox.h"
#include "sandbox_spawn.h"
#include "sandbox_testing.h"
#include "vm/util/error.h"

#define DEATH_POLL_NS 10000000u /* while waiting for a reply, check every 10 ms that the worker lives */

struct pvm_sandbox {
    sandbox_shared *sh;
    pid_t pid;
    int death_pipe_w;
    bool dead;
    int dead_signal;          /* 0 if it exited normally */
    bool death_reported;      /* a call already returned the trap */
    char isolation[640];
    char kill_reason[200];    /* why the host killed the worker ("" when it did not) */
    uint64_t reply_timeout_ns;
    uint32_t code_size;       /* of the loaded module, from the load reply; 0 = none loaded */
    uint32_t chunk;           /* bytes per memory command (SANDBOX_DATA_CAP but in tests) */
    int64_t gas_sent;         /* gas the running call had when it last entered the worker */
};

/* A reply as copied out of the shared block (once: the worker may still write there). */
typedef struct {
    pvm_status status;
    pvm_error error;
    pvm_result result;
    uint64_t regs[PVM_REG_COUNT];
    int64_t gas;
    uint32_t addr;
} sandbox_reply;

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
    if (sb->kill_reason[0])
        return pvm_fail(err, PVM_ERR_STATE, "sandbox: the host killed the worker: %s", sb->kill_reason);
    if (sb->dead_signal)
        return pvm_fail(err, PVM_ERR_STATE, "sandbox: the worker died of signal %d (%s)%s", sb->dead_signal,
                        strsignal(sb->dead_signal), sb->dead_signal == SIGSYS ? ": a forbidden system call" : "");
    return pvm_fail(err, PVM_ERR_STATE, "sandbox: the worker exited");
}

/* The worker broke the protocol: it is no longer trusted with anything. */
static pvm_status kill_worker(pvm_sandbox *sb, pvm_error *err, const char *why)
{
    snprintf(sb->kill_reason, sizeof sb->kill_reason, "%s", why);
    if (!sb->dead) {
        kill(sb->pid, SIGKILL);
        waitpid(sb->pid, NULL, 0);
        sb->dead = true;
        sb->dead_signal = SIGKILL;
    }
    return dead_error(sb, err);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Send the command in sb->sh, wait for its reply (killing a worker that does not answer
 * in time), copy the reply out and check what every reply carries. */
static pvm_status transact(pvm_sandbox *sb, sandbox_reply *reply, pvm_error *err)
{
    sandbox_shared *sh = sb->sh;
    if (sb->dead) return dead_error(sb, err);
    uint32_t seen = __atomic_load_n(&sh->reply, __ATOMIC_ACQUIRE);
    __atomic_add_fetch(&sh->request, 1, __ATOMIC_RELEASE);
    sandbox_futex_wake(&sh->request);
    uint64_t deadline = now_ns() + sb->reply_timeout_ns;
    while (__atomic_load_n(&sh->reply, __ATOMIC_ACQUIRE) == seen) {
        sandbox_futex_wait(&sh->reply, seen, DEATH_POLL_NS);
        if (__atomic_load_n(&sh->reply, __ATOMIC_ACQUIRE) != seen) break;
        if (worker_gone(sb)) return dead_error(sb, err);
        if (now_ns() > deadline) {
            char why[120];
            snprintf(why, sizeof why, "it did not answer within %llu ms",
                     (unsigned long long)(sb->reply_timeout_ns / 1000000u));
            return kill_worker(sb, err, why);
        }
    }
    reply->status = sh->status;
    memcpy(&reply->error, &sh->error, sizeof reply->error);
    memcpy(&reply->result, &sh->result, sizeof reply->result);
    memcpy(reply->regs, sh->regs, sizeof reply->regs);
    reply->gas = sh->gas;
    reply->addr = sh->addr;
    if ((unsigned)reply->status > (unsigned)PVM_ERR_IO) {
        char why[120];
        snprintf(why, sizeof why, "malformed reply: status %u is no pvm_status", (unsigned)reply->status);
        return kill_worker(sb, err, why);
    }
    if (reply->status != PVM_OK && !memchr(reply->error.msg, '\0', sizeof reply->error.msg))
        return kill_worker(sb, err, "malformed reply: its error message is not NUL-terminated");
    if (reply->status != PVM_OK && err) *err = reply->error;
    return reply->status;
}

/* What a run reply must satisfy besides transact's checks. */
static pvm_status check_run_reply(pvm_sandbox *sb, const sandbox_reply *reply, pvm_error *err)
{
    char why[160] = "";
    const pvm_result *r = &reply->result;
    if ((unsigned)r->kind > (unsigned)PVM_EXIT_ECALLI)
        snprintf(why, sizeof why, "malformed reply: exit kind %u does not exist", (unsigned)r->kind);
    /* pc == code size is a trap on falling off the end (the code is padded with traps). */
    else if (r->pc > sb->code_size)
        snprintf(why, sizeof why, "malformed reply: pc %u is past the end of the code (%u bytes)", r->pc,
                 sb->code_size);
    else if (r->kind == PVM_EXIT_PAGE_FAULT && r->fault_address % 4096u != 0)
        snprintf(why, sizeof why, "malformed reply: page fault at 0x%x, not a page boundary", r->fault_address);
    else if (reply->gas > sb->gas_sent)
        snprintf(why, sizeof why, "malformed reply: %lld gas left of the %lld it was given",
                 (long long)reply->gas, (long long)sb->gas_sent);
    return why[0] ? kill_worker(sb, err, why) : PVM_OK;
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
    uint32_t cpu_seconds = cfg->cpu_seconds ? cfg->cpu_seconds : 600;
    sb->reply_timeout_ns = cfg->reply_timeout_ms ? (uint64_t)cfg->reply_timeout_ms * 1000000u
                                                 : ((uint64_t)cpu_seconds + 30u) * 1000000000u;
    sb->chunk = SANDBOX_DATA_CAP;
    sb->sh->config = (sandbox_worker_config){
        .backend = cfg->backend,
        .gas_mode = cfg->gas_mode,
        .seccomp = !cfg->no_seccomp,
        .limit_address_space = !sanitizer,
        .address_space = cfg->address_space ? cfg->address_space : 16ull << 30,
        .cpu_seconds = cpu_seconds,
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
    uint64_t deadline = now_ns() + sb->reply_timeout_ns;
    while (__atomic_load_n(&sb->sh->reply, __ATOMIC_ACQUIRE) == 0) {
        sandbox_futex_wait(&sb->sh->reply, 0, DEATH_POLL_NS);
        if (__atomic_load_n(&sb->sh->reply, __ATOMIC_ACQUIRE) != 0) break;
        if (worker_gone(sb)) break;
        if (now_ns() > deadline) {
            kill_worker(sb, NULL, "it did not finish its setup in time");
            break;
        }
    }
    pvm_status st = sb->sh->status;
    pvm_error setup_error = sb->sh->error;
    setup_error.msg[sizeof setup_error.msg - 1] = 0;
    if (__atomic_load_n(&sb->sh->reply, __ATOMIC_ACQUIRE) == 0 || sb->dead) st = dead_error(sb, err);
    else if ((unsigned)st > (unsigned)PVM_ERR_IO) st = kill_worker(sb, err, "malformed setup reply");
    else if (st != PVM_OK && err) *err = setup_error;
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
    sandbox_reply reply;
    sb->code_size = 0;
    for (size_t off = 0; off < len; off += SANDBOX_DATA_CAP) {
        size_t n = len - off < SANDBOX_DATA_CAP ? len - off : SANDBOX_DATA_CAP;
        sb->sh->cmd = SANDBOX_CMD_LOAD_CHUNK;
        sb->sh->len = (uint32_t)n;
        memcpy(sb->sh->data, bytes + off, n);
        pvm_status st = transact(sb, &reply, err);
        if (st) return st;
    }
    sb->sh->cmd = SANDBOX_CMD_LOAD;
    pvm_status st = transact(sb, &reply, err);
    /* The code size is taken before any guest code runs, while the worker is still trusted. */
    if (st == PVM_OK) sb->code_size = reply.addr;
    return st;
}

pvm_status pvm_sandbox_reset(pvm_sandbox *sb, pvm_error *err)
{
    sandbox_reply reply;
    sb->sh->cmd = SANDBOX_CMD_RESET;
    return transact(sb, &reply, err);
}

/* A run command (call or resume) is in sh: send it; a dead worker becomes a trap, reported once. */
static pvm_status run_command(pvm_sandbox *sb, pvm_sandbox_outcome *out, pvm_error *err)
{
    bool was_dead = sb->dead;
    sandbox_reply reply;
    pvm_status st = transact(sb, &reply, err);
    if (st == PVM_OK) st = check_run_reply(sb, &reply, err);
    if (st != PVM_OK && sb->dead && !was_dead && !sb->death_reported) {
        sb->death_reported = true;
        memset(out, 0, sizeof *out);
        out->result.kind = PVM_EXIT_PANIC;
        out->worker_signal = sb->dead_signal ? sb->dead_signal : -1;
        return PVM_OK;
    }
    if (st) return st;
    out->result = reply.result;
    memcpy(out->regs, reply.regs, sizeof out->regs);
    out->gas = reply.gas;
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
    sb->gas_sent = gas;
    pvm_status st = run_command(sb, out, err);
    while (st == PVM_OK && fn && !out->worker_signal && out->result.kind == PVM_EXIT_ECALLI) {
        if ((st = fn(user, sb, out->result.ecalli, out->regs)) != PVM_OK) break;
        sh->cmd = SANDBOX_CMD_RESUME;
        memcpy(sh->regs, out->regs, sizeof sh->regs);
        sb->gas_sent = out->gas;
        st = run_command(sb, out, err);
    }
    return st;
}

/* Moves [addr, addr+len) one chunk at a time; the reply's own idea of a length is never used. */
static pvm_status copy_chunks(pvm_sandbox *sb, sandbox_cmd cmd, uint32_t addr, uint8_t *host, size_t len,
                              size_t *done, pvm_error *err)
{
    sandbox_reply reply;
    for (*done = 0; *done < len;) {
        size_t n = len - *done < sb->chunk ? len - *done : sb->chunk;
        sb->sh->cmd = cmd;
        sb->sh->addr = addr + (uint32_t)*done;
        sb->sh->len = (uint32_t)n;
        if (cmd == SANDBOX_CMD_WRITE) memcpy(sb->sh->data, host + *done, n);
        pvm_status st = transact(sb, &reply, err);
        if (st) return st;
        if (cmd == SANDBOX_CMD_READ) memcpy(host + *done, sb->sh->data, n);
        *done += n;
    }
    return PVM_OK;
}

static pvm_status check_range(uint32_t addr, size_t len, pvm_error *err)
{
    if ((uint64_t)addr + len > (1ull << 32))
        return pvm_fail(err, PVM_ERR_OUT_OF_BOUNDS, "access 0x%x+%zu: past the 4 GiB address space", addr, len);
    return PVM_OK;
}

pvm_status pvm_sandbox_read(pvm_sandbox *sb, uint32_t addr, void *dst, size_t len, pvm_error *err)
{
    pvm_status st = check_range(addr, len, err);
    if (st || len == 0) return st;
    size_t done;
    /* The bytes land in dst only when the whole read succeeded. */
    uint8_t *staging = malloc(len);
    if (!staging) return pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox read: out of memory for %zu bytes", len);
    st = copy_chunks(sb, SANDBOX_CMD_READ, addr, staging, len, &done, err);
    if (st == PVM_OK) memcpy(dst, staging, len);
    free(staging);
    return st;
}

pvm_status pvm_sandbox_write(pvm_sandbox *sb, uint32_t addr, const void *src, size_t len, pvm_error *err)
{
    pvm_status st = check_range(addr, len, err);
    if (st || len == 0) return st;
    size_t done;
    if (len <= sb->chunk) return copy_chunks(sb, SANDBOX_CMD_WRITE, addr, (uint8_t *)(uintptr_t)src, len, &done, err);
    /* Several chunks: keep what they overwrite, and put it back if a later chunk fails. A
     * range that cannot be read cannot be written either, so this read fails first then. */
    uint8_t *before = malloc(len);
    if (!before) return pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox write: out of memory for %zu bytes", len);
    st = copy_chunks(sb, SANDBOX_CMD_READ, addr, before, len, &done, err);
    if (st == PVM_OK) {
        st = copy_chunks(sb, SANDBOX_CMD_WRITE, addr, (uint8_t *)(uintptr_t)src, len, &done, err);
        size_t restored;
        pvm_error ignored;
        if (st != PVM_OK && done > 0 && !sb->dead &&
            copy_chunks(sb, SANDBOX_CMD_WRITE, addr, before, done, &restored, &ignored) != PVM_OK && err)
            snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                     " (and the %zu bytes already written could not be put back)", done);
    }
    free(before);
    return st;
}

/* Test hooks (sandbox_testing.h). */
_Static_assert((int)PVM_SANDBOX_TEST_FORBIDDEN_SYSCALL == (int)SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL, "test command numbers");
_Static_assert((int)PVM_SANDBOX_TEST_CRASH == (int)SANDBOX_CMD_TEST_CRASH, "test command numbers");
pvm_status pvm_sandbox_test_command(pvm_sandbox *sb, int cmd, pvm_error *err)
{
    sandbox_reply reply;
    sb->sh->cmd = (uint32_t)cmd;
    return transact(sb, &reply, err);
}

void pvm_sandbox_test_set_chunk(pvm_sandbox *sb, uint32_t chunk)
{
    sb->chunk = chunk >= 1 && chunk <= SANDBOX_DATA_CAP ? chunk : SANDBOX_DATA_CAP;
}
