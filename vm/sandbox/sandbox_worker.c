/* The worker, after exec: resource limits, no_new_privs, an engine, the
 * system-call filter; then the command loop: one module, one instance,
 * driven by the host through the shared block. Once the filter is on it
 * only allocates, maps memory and waits on futexes. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"
#include "sandbox_protocol.h"
#include "vm/util/error.h"
#include "vm/util/grow.h"

typedef struct {
    pvm_engine *engine;
    pvm_module *module;
    pvm_instance *inst;
    uint8_t *bytes;
    size_t len, cap;
    uint32_t armed; /* a test command to carry out at the start of the next call */
    bool lazy_pages, huge_pages;
} worker_state;

/* Tests: answer the armed call as a compromised worker might (the host must refuse the
 * reply, or give up waiting, and kill us). Returns the status to reply with. */
static pvm_status bad_reply(uint32_t what, sandbox_shared *sh)
{
    switch (what) {
    case SANDBOX_CMD_TEST_HANG:
        for (;;) sandbox_futex_wait(&sh->reply, sh->reply, 0); /* only we change reply: sleeps for good */
    case SANDBOX_CMD_TEST_BAD_STATUS:
        return (pvm_status)999;
    case SANDBOX_CMD_TEST_UNTERMINATED_ERROR:
        memset(sh->error.msg, 'A', sizeof sh->error.msg);
        return PVM_ERR_STATE;
    case SANDBOX_CMD_TEST_BAD_EXIT_KIND:
        memset(&sh->result, 0, sizeof sh->result);
        sh->result.kind = (pvm_exit_kind)77;
        return PVM_OK;
    case SANDBOX_CMD_TEST_BAD_PC:
        memset(&sh->result, 0, sizeof sh->result);
        sh->result.kind = PVM_EXIT_HALT;
        sh->result.pc = 0xfffffff0u;
        return PVM_OK;
    default: /* SANDBOX_CMD_TEST_GAS_GAIN */
        memset(&sh->result, 0, sizeof sh->result);
        sh->result.kind = PVM_EXIT_HALT;
        sh->gas += 1000;
        return PVM_OK;
    }
}

/* Tests: misbehave as a compromised worker would. Neither returns when the sandbox works. */
static void misbehave(uint32_t what)
{
    if (what == SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL) {
        syscall(SYS_openat, -100, "/etc/passwd", 0); /* not on the allow list: the kernel kills us here */
    } else if (what == SANDBOX_CMD_TEST_CRASH) {
        static volatile uintptr_t unmapped = 8; /* opaque to the compiler */
        *(volatile int *)unmapped = 1;
    }
}

static pvm_status append_bytes(worker_state *w, const uint8_t *src, size_t n, pvm_error *err)
{
    if (UTIL_GROW(w->bytes, w->cap, w->len + n, 4096) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "sandbox: out of memory for the module bytes");
    memcpy(w->bytes + w->len, src, n);
    w->len += n;
    return PVM_OK;
}

static pvm_status load(worker_state *w, pvm_error *err)
{
    pvm_instance_free(w->inst);
    pvm_module_release(w->module);
    w->inst = NULL;
    w->module = NULL;
    pvm_status st = pvm_module_compile(w->engine, w->bytes, w->len, NULL, NULL, &w->module, err);
    if (st == PVM_OK) st = pvm_instance_new(w->module, &w->inst, err);
    w->len = 0;
    if (st) return st;
    /* Memory options take effect at the reset that maps the layout again. */
    if (w->huge_pages && (st = pvm_memory_set_huge_pages(&w->inst->mem, true, err))) return st;
    if (w->lazy_pages && (st = pvm_lazy_enable(&w->inst->mem, PVM_LAZY_MPROTECT, err))) return st;
    return w->lazy_pages ? pvm_instance_reset(w->inst, err) : PVM_OK;
}

static pvm_status run(worker_state *w, sandbox_shared *sh, pvm_error *err)
{
    pvm_status st = pvm_instance_run(w->inst, &sh->result, err);
    for (unsigned r = 0; r < PVM_REG_COUNT; r++) sh->regs[r] = pvm_instance_reg(w->inst, r);
    sh->gas = pvm_instance_gas(w->inst);
    return st;
}

static pvm_status serve(worker_state *w, sandbox_shared *sh, pvm_error *err)
{
    if (sh->cmd == SANDBOX_CMD_LOAD_CHUNK)
        return sh->len <= SANDBOX_DATA_CAP ? append_bytes(w, sh->data, sh->len, err)
                                           : pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox: chunk too long");
    if (sh->cmd == SANDBOX_CMD_LOAD) {
        pvm_status st = load(w, err);
        sh->addr = st == PVM_OK ? pvm_module_code_size(w->module) : 0;
        return st;
    }
    if (sh->cmd >= SANDBOX_CMD_TEST_FORBIDDEN_SYSCALL && sh->cmd <= SANDBOX_CMD_TEST_GAS_GAIN) {
        w->armed = sh->cmd;
        return PVM_OK;
    }
    if (!w->inst) return pvm_fail(err, PVM_ERR_STATE, "sandbox: no module loaded");
    switch (sh->cmd) {
    case SANDBOX_CMD_RESET:
        return pvm_instance_reset(w->inst, err);
    case SANDBOX_CMD_CALL: {
        if (w->armed >= SANDBOX_CMD_TEST_HANG) {
            uint32_t what = w->armed;
            w->armed = 0;
            return bad_reply(what, sh);
        }
        if (w->armed) {
            misbehave(w->armed);
            w->armed = 0;
            return pvm_fail(err, PVM_ERR_STATE, "sandbox: the test misbehaviour was not stopped");
        }
        sh->data[SANDBOX_DATA_CAP - 1] = 0;
        uint64_t args[6];
        size_t n = sh->nargs < 6 ? sh->nargs : 6;
        memcpy(args, &sh->regs[7], n * sizeof args[0]);
        pvm_status st = pvm_instance_prepare_call(w->inst, (const char *)sh->data, 0, args, n, err);
        if (st) return st;
        pvm_instance_set_gas(w->inst, sh->gas);
        return run(w, sh, err);
    }
    case SANDBOX_CMD_RESUME:
        for (unsigned r = 0; r < PVM_REG_COUNT; r++) pvm_instance_set_reg(w->inst, r, sh->regs[r], NULL);
        return run(w, sh, err);
    case SANDBOX_CMD_READ:
        if (sh->len > SANDBOX_DATA_CAP) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox: read too long");
        return pvm_instance_read(w->inst, sh->addr, sh->data, sh->len, err);
    case SANDBOX_CMD_WRITE:
        if (sh->len > SANDBOX_DATA_CAP) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox: write too long");
        return pvm_instance_write(w->inst, sh->addr, sh->data, sh->len, err);
    default:
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "sandbox: unknown command %u", sh->cmd);
    }
}

static void signal_reply(sandbox_shared *sh)
{
    __atomic_add_fetch(&sh->reply, 1, __ATOMIC_RELEASE);
    sandbox_futex_wake(&sh->reply);
}

_Noreturn static void setup_failed(sandbox_shared *sh, const char *what)
{
    pvm_fail(&sh->error, PVM_ERR_UNSUPPORTED, "sandbox worker: %s: %s", what, strerror(errno));
    sh->status = PVM_ERR_UNSUPPORTED;
    signal_reply(sh);
    _exit(1);
}

static void set_limit(sandbox_shared *sh, int resource, rlim_t value, const char *what)
{
    struct rlimit rl = {value, value};
    if (setrlimit(resource, &rl) != 0) setup_failed(sh, what);
}

_Noreturn void sandbox_worker_run(sandbox_shared *sh)
{
    const sandbox_worker_config *cfg = &sh->config;
    if (cfg->limit_address_space) set_limit(sh, RLIMIT_AS, cfg->address_space, "RLIMIT_AS");
    set_limit(sh, RLIMIT_NOFILE, 16, "RLIMIT_NOFILE");
    set_limit(sh, RLIMIT_CPU, cfg->cpu_seconds, "RLIMIT_CPU");
    set_limit(sh, RLIMIT_CORE, 0, "RLIMIT_CORE");
    set_limit(sh, RLIMIT_FSIZE, 0, "RLIMIT_FSIZE");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) setup_failed(sh, "PR_SET_NO_NEW_PRIVS");
    pvm_engine_config ecfg = {cfg->backend, cfg->gas_mode, NULL};
    worker_state w = {.lazy_pages = cfg->lazy_pages, .huge_pages = cfg->huge_pages};
    if (pvm_engine_new(&ecfg, &w.engine, &sh->error) != PVM_OK) {
        errno = EINVAL;
        setup_failed(sh, sh->error.msg);
    }
    pvm_engine_set_copy_memory_image(w.engine, true); /* memfd and file sizes are refused here */
    pvm_engine_set_interp_bounds_checks(w.engine, true); /* and so is installing a signal handler */
    if (cfg->seccomp && !sandbox_seccomp_install(cfg->backend == PVM_BACKEND_JIT)) setup_failed(sh, "seccomp");
    sh->status = PVM_OK;
    signal_reply(sh);
    uint32_t seen = 0; /* the block starts zeroed; the host may already have sent the first command */
    for (;;) {
        uint32_t now;
        while ((now = __atomic_load_n(&sh->request, __ATOMIC_ACQUIRE)) == seen) sandbox_futex_wait(&sh->request, seen, 0);
        seen = now;
        sh->error.msg[0] = 0;
        sh->status = serve(&w, sh, &sh->error);
        signal_reply(sh);
    }
}
