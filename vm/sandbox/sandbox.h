/* Out-of-process guests: a worker process that runs one module, isolated by
 * namespaces (user, pid, mount, net, ipc, uts), a seccomp-BPF allow list,
 * no_new_privs, rlimits, and PR_SET_PDEATHSIG (it dies with the host). The
 * worker is a separate program (pvm-sandbox-worker) exec'd in the new
 * namespaces, so it holds no copy of the host's memory.
 * Host and worker talk through a shared-memory block and a futex; host calls
 * (ecalli) cross to the host, which services them in a callback.
 *
 * A worker that crashes or makes a forbidden system call is killed by the
 * kernel; the host sees it as a trap (PVM_EXIT_PANIC with worker_signal set),
 * and every later call on that sandbox fails with PVM_ERR_STATE.
 * The host trusts nothing the worker writes: every reply is copied out of the
 * shared block once and checked (status and exit kind exist, the error text is
 * NUL-terminated, no pc past the end of the code, gas did not grow); a worker that
 * answers wrongly, or not at all within reply_timeout_ms, is killed (SIGKILL) and
 * treated like one that died. Reads and writes longer than one chunk are
 * all-or-nothing: a failed read leaves dst untouched, a failed write puts back
 * what the earlier chunks overwrote.
 * Not thread-safe: one host thread drives one sandbox. */
#ifndef PVM_SANDBOX_H
#define PVM_SANDBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"

typedef struct pvm_sandbox pvm_sandbox;

typedef struct {
    pvm_backend backend;
    pvm_gas_mode gas_mode;
    bool no_namespaces;      /* skip the namespaces (they are on by default) */
    bool no_seccomp;         /* skip the system-call filter (on by default) */
    uint64_t address_space;  /* RLIMIT_AS in bytes; 0 = 16 GiB (the 4 GiB window needs room) */
    uint32_t cpu_seconds;    /* RLIMIT_CPU; 0 = 600 */
    const char *worker_path; /* NULL = $PVM_SANDBOX_WORKER, else the pvm-sandbox-worker built with this library */
    bool lazy_pages;         /* lazy pages, mprotect backend, charged per page (memory/lazy.h) */
    bool huge_pages;         /* back the guest window with transparent huge pages (fast reset of large regions) */
    uint32_t reply_timeout_ms; /* a worker that has not answered a command after this long is killed;
                                  0 = (cpu_seconds + 30) s, beyond which its RLIMIT_CPU has ended it anyway */
} pvm_sandbox_config;

typedef struct {
    pvm_result result;
    uint64_t regs[PVM_REG_COUNT]; /* after the exit */
    int64_t gas;                  /* gas left */
    int worker_signal;            /* the worker died of this signal (SIGSYS = forbidden system call), else 0 */
} pvm_sandbox_outcome;

/* Service host call id. regs are the guest registers (a0..a5 = regs[7..12]);
 * change them to return values. The callback may call pvm_sandbox_read/write.
 * A non-OK return ends the call with that status. */
typedef pvm_status (*pvm_sandbox_host_fn)(void *user, pvm_sandbox *sb, uint32_t id, uint64_t regs[PVM_REG_COUNT]);

/* Start a worker. Namespaces the kernel refuses are dropped with a reason
 * (pvm_sandbox_isolation says what is in effect). Caller frees with pvm_sandbox_stop. */
pvm_status pvm_sandbox_start(const pvm_sandbox_config *cfg, pvm_sandbox **out, pvm_error *err);
/* Compile bytes (pvm_module_config defaults) and instantiate them in the worker. */
pvm_status pvm_sandbox_load(pvm_sandbox *sb, const uint8_t *bytes, size_t len, pvm_error *err);
/* Call export_name with args (a0..) and gas, servicing ecalli through fn (NULL: an ecalli ends the call with
 * the ECALLI exit). Memory carries over from earlier calls, as with pvm_instance_prepare_call. A dead worker gives
 * PVM_OK with a PANIC exit and worker_signal set the first time, PVM_ERR_STATE after. */
pvm_status pvm_sandbox_call(pvm_sandbox *sb, const char *export_name, const uint64_t *args, size_t nargs, int64_t gas,
                            pvm_sandbox_host_fn fn, void *user, pvm_sandbox_outcome *out, pvm_error *err);
/* Guest memory of the loaded instance (errors as pvm_instance_read/write); all-or-nothing. */
pvm_status pvm_sandbox_read(pvm_sandbox *sb, uint32_t addr, void *dst, size_t len, pvm_error *err);
pvm_status pvm_sandbox_write(pvm_sandbox *sb, uint32_t addr, const void *src, size_t len, pvm_error *err);
/* Reset the instance to the module's initial state. */
pvm_status pvm_sandbox_reset(pvm_sandbox *sb, pvm_error *err);
/* Kill the worker and free everything. NULL is fine. */
void pvm_sandbox_stop(pvm_sandbox *sb);
/* One line: which isolation layers are on, and why any is off. */
const char *pvm_sandbox_isolation(const pvm_sandbox *sb);
/* The worker's pid in the host's pid namespace (for tests and monitoring). */
int pvm_sandbox_pid(const pvm_sandbox *sb);
#endif
