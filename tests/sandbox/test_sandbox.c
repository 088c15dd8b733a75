/* The out-of-process sandbox: same results as in process, ecalli round
 * trips with memory access, a forbidden system call and a crash in the
 * worker become traps, the worker dies with its host, and nothing the guest
 * does reaches memory outside its window (in process and in the worker). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tests/vm/test_util.h"
#include "vm/state/vm_state.h"
#include "bench/sandbox/guest_programs.h"
#include "vm/memory/lazy_cost.h"
#include "vm/sandbox/sandbox.h"
#include "vm/sandbox/sandbox_testing.h"

#define RW_ADDR 0x30000u
#define GAS 1000000

static uint8_t *bytes;
static size_t len;

static int setup(void **s)
{
    bytes = guest_program_bytes(RW_ADDR, &len);
    return bytes ? 0 : -1;
}

static int teardown(void **s)
{
    free(bytes);
    return 0;
}

static pvm_sandbox *start(pvm_backend be)
{
    pvm_sandbox_config cfg = {.backend = be, .gas_mode = PVM_GAS_SYNC};
    pvm_sandbox *sb;
    pvm_error err;
    if (pvm_sandbox_start(&cfg, &sb, &err)) fail_msg("start: %s", err.msg);
    static bool said;
    if (!said) printf("# sandbox isolation: %s\n", pvm_sandbox_isolation(sb));
    said = true;
    if (pvm_sandbox_load(sb, bytes, len, &err)) fail_msg("load: %s", err.msg);
    return sb;
}

/* Host calls: 1 = a0 += a1; 2 = [rw] *= 3 (through guest memory). */
static pvm_status host_fn(void *user, pvm_sandbox *sb, uint32_t id, uint64_t regs[PVM_REG_COUNT])
{
    int *calls = user;
    (*calls)++;
    if (id == 1) {
        regs[7] += regs[8];
        return PVM_OK;
    }
    uint64_t v;
    pvm_status st = pvm_sandbox_read(sb, RW_ADDR, &v, 8, NULL);
    if (st) return st;
    v *= 3;
    return pvm_sandbox_write(sb, RW_ADDR, &v, 8, NULL);
}

/* The same two calls in process with the public API. */
static void in_process(const char *name, const uint64_t *args, size_t n, pvm_result *r, uint64_t *a0, int64_t *gas)
{
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    assert_int_equal(pvm_engine_new(&cfg, &e, NULL), PVM_OK);
    assert_int_equal(pvm_module_compile(e, bytes, len, NULL, NULL, &m, NULL), PVM_OK);
    assert_int_equal(m->layout.rw_addr, RW_ADDR);
    assert_int_equal(pvm_instance_new(m, &in, NULL), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(in, name, 0, args, n, NULL), PVM_OK);
    pvm_instance_set_gas(in, GAS);
    for (;;) {
        assert_int_equal(pvm_instance_run(in, r, NULL), PVM_OK);
        if (r->kind != PVM_EXIT_ECALLI) break;
        if (r->ecalli == 1) {
            pvm_instance_set_reg(in, 7, pvm_instance_reg(in, 7) + pvm_instance_reg(in, 8), NULL);
        } else {
            uint64_t v;
            pvm_instance_read(in, RW_ADDR, &v, 8, NULL);
            v *= 3;
            pvm_instance_write(in, RW_ADDR, &v, 8, NULL);
        }
    }
    *a0 = pvm_instance_reg(in, 7);
    *gas = pvm_instance_gas(in);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
}

static void test_same_as_in_process(void **s)
{
    pvm_sandbox *sb = start(PVM_BACKEND_INTERP);
    static const struct {
        const char *name;
        uint64_t args[2];
        size_t n;
        int calls;
    } cases[] = {{"sum", {100}, 1, 0}, {"echo_loop", {5, 10}, 2, 10}, {"mem_call", {14}, 1, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pvm_result r;
        uint64_t a0;
        int64_t gas;
        in_process(cases[i].name, cases[i].args, cases[i].n, &r, &a0, &gas);
        pvm_sandbox_outcome o;
        int calls = 0;
        pvm_error err;
        if (pvm_sandbox_call(sb, cases[i].name, cases[i].args, cases[i].n, GAS, host_fn, &calls, &o, &err))
            fail_msg("call: %s", err.msg);
        assert_int_equal(o.worker_signal, 0);
        assert_int_equal(o.result.kind, r.kind);
        assert_int_equal(o.result.pc, r.pc);
        assert_int_equal(o.regs[7], a0);
        assert_int_equal(o.gas, gas);
        assert_int_equal(calls, cases[i].calls);
    }
    pvm_sandbox_stop(sb);
}

static void test_lazy_pages_in_worker(void **s)
{
    /* The same call in a plain worker and in one with lazy (and huge) pages: one page written, one charge. */
    int64_t gas[2];
    uint64_t a0[2];
    for (int lazy = 0; lazy < 2; lazy++) {
        pvm_sandbox_config cfg = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC, .lazy_pages = lazy,
                                  .huge_pages = lazy};
        pvm_sandbox *sb;
        pvm_error err;
        if (pvm_sandbox_start(&cfg, &sb, &err) || pvm_sandbox_load(sb, bytes, len, &err)) fail_msg("%s", err.msg);
        pvm_sandbox_outcome o;
        int calls = 0;
        uint64_t arg = 7;
        assert_int_equal(pvm_sandbox_call(sb, "mem_call", &arg, 1, GAS, host_fn, &calls, &o, NULL), PVM_OK);
        assert_int_equal(o.result.kind, PVM_EXIT_HALT);
        gas[lazy] = o.gas;
        a0[lazy] = o.regs[7];
        pvm_sandbox_stop(sb);
    }
    assert_int_equal(a0[0], 21);
    assert_int_equal(a0[1], 21);
    assert_int_equal(gas[0] - gas[1], PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE);
}

static void test_ecalli_round_trips(void **s)
{
    pvm_sandbox *sb = start(PVM_BACKEND_INTERP);
    uint64_t args[2] = {0, 1000};
    pvm_sandbox_outcome o;
    int calls = 0;
    assert_int_equal(pvm_sandbox_call(sb, "echo_loop", args, 2, GAS * 10, host_fn, &calls, &o, NULL), PVM_OK);
    assert_int_equal(o.result.kind, PVM_EXIT_HALT);
    assert_int_equal(calls, 1000);
    assert_int_equal(o.regs[7], 1000 * 1001 / 2);
    /* Without a callback the ecalli comes back to the caller. */
    assert_int_equal(pvm_sandbox_call(sb, "mem_call", args + 1, 1, GAS, NULL, NULL, &o, NULL), PVM_OK);
    assert_int_equal(o.result.kind, PVM_EXIT_ECALLI);
    assert_int_equal(o.result.ecalli, 2);
    /* Host memory access and its errors. */
    uint64_t v = 0;
    assert_int_equal(pvm_sandbox_read(sb, RW_ADDR, &v, 8, NULL), PVM_OK);
    assert_int_equal(v, 1000);
    pvm_error err;
    assert_int_equal(pvm_sandbox_read(sb, 0x5000, &v, 8, &err), PVM_ERR_OUT_OF_BOUNDS);
    assert_non_null(strstr(err.msg, "0x5000"));
    assert_int_equal(pvm_sandbox_call(sb, "nope", NULL, 0, GAS, NULL, NULL, &o, &err), PVM_ERR_NOT_FOUND);
    /* A large write and read back cross in chunks. */
    static uint8_t big[GUEST_RW_SIZE], back[GUEST_RW_SIZE];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 13);
    assert_int_equal(pvm_sandbox_write(sb, RW_ADDR, big, sizeof big, NULL), PVM_OK);
    assert_int_equal(pvm_sandbox_read(sb, RW_ADDR, back, sizeof back, NULL), PVM_OK);
    assert_memory_equal(big, back, sizeof big);
    assert_int_equal(pvm_sandbox_reset(sb, NULL), PVM_OK);
    assert_int_equal(pvm_sandbox_read(sb, RW_ADDR, &v, 8, NULL), PVM_OK);
    assert_int_equal(v, 0);
    pvm_sandbox_stop(sb);
}

/* What the kernel says about the running worker: other namespaces, the filter, no_new_privs, limits. */
static bool proc_line(int pid, const char *file, const char *prefix, char *out, size_t n)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        if (strncmp(line, prefix, strlen(prefix)) == 0) {
            snprintf(out, n, "%s", line + strlen(prefix));
            found = true;
        }
    fclose(f);
    return found;
}

static void test_worker_isolation(void **s)
{
    pvm_sandbox *sb = start(PVM_BACKEND_INTERP);
    int pid = pvm_sandbox_pid(sb);
    char v[256];
    assert_true(proc_line(pid, "status", "Seccomp:", v, sizeof v));
    assert_int_equal(atoi(v), 2); /* SECCOMP_MODE_FILTER */
    assert_true(proc_line(pid, "status", "NoNewPrivs:", v, sizeof v));
    assert_int_equal(atoi(v), 1);
    assert_true(proc_line(pid, "limits", "Max open files", v, sizeof v));
    assert_int_equal(atoi(v), 16);
    assert_true(proc_line(pid, "limits", "Max core file size", v, sizeof v));
    assert_int_equal(atoi(v), 0);
    if (strstr(pvm_sandbox_isolation(sb), "namespaces: user pid mount net ipc uts")) {
        static const char *const kinds[] = {"user", "pid", "mnt", "net", "ipc", "uts"};
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            char a[64], b[64], mine[128], theirs[128];
            snprintf(a, sizeof a, "/proc/self/ns/%s", kinds[i]);
            snprintf(b, sizeof b, "/proc/%d/ns/%s", pid, kinds[i]);
            ssize_t na = readlink(a, mine, sizeof mine - 1), nb = readlink(b, theirs, sizeof theirs - 1);
            assert_true(na > 0 && nb > 0);
            mine[na] = theirs[nb] = 0;
            if (strcmp(mine, theirs) == 0) fail_msg("the worker shares the %s namespace: %s", kinds[i], mine);
        }
    } else {
        printf("# namespaces not checked: %s\n", pvm_sandbox_isolation(sb));
    }
    pvm_sandbox_stop(sb);
}

static void test_without_namespaces(void **s)
{
    /* The path taken when the kernel refuses new namespaces: the rest of the isolation still holds. */
    pvm_sandbox_config cfg = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC, .no_namespaces = true};
    pvm_sandbox *sb;
    pvm_error err;
    if (pvm_sandbox_start(&cfg, &sb, &err)) fail_msg("start: %s", err.msg);
    assert_non_null(strstr(pvm_sandbox_isolation(sb), "namespaces: off: turned off by the caller"));
    assert_non_null(strstr(pvm_sandbox_isolation(sb), "seccomp: allow list"));
    assert_int_equal(pvm_sandbox_load(sb, bytes, len, NULL), PVM_OK);
    uint64_t n = 10;
    pvm_sandbox_outcome o;
    assert_int_equal(pvm_sandbox_call(sb, "sum", &n, 1, GAS, NULL, NULL, &o, NULL), PVM_OK);
    assert_int_equal(o.regs[7], 55);
    pvm_sandbox_stop(sb);
}

static void test_missing_worker_program(void **s)
{
    pvm_sandbox_config cfg = {.worker_path = "/nonexistent/pvm-sandbox-worker"};
    pvm_sandbox *sb = NULL;
    pvm_error err = {{0}};
    assert_int_equal(pvm_sandbox_start(&cfg, &sb, &err), PVM_ERR_UNSUPPORTED);
    assert_null(sb);
    assert_non_null(strstr(err.msg, "worker program does not exist"));
}

static void misbehaving_worker(int what, int expected_signal)
{
    pvm_sandbox *sb = start(PVM_BACKEND_INTERP);
    pvm_sandbox_outcome o;
    uint64_t n = 10;
    pvm_error err;
    assert_int_equal(pvm_sandbox_test_command(sb, what, NULL), PVM_OK);
    assert_int_equal(pvm_sandbox_call(sb, "sum", &n, 1, GAS, NULL, NULL, &o, NULL), PVM_OK);
    assert_int_equal(o.result.kind, PVM_EXIT_PANIC);
#ifdef PVMLAB_SANITIZE
    /* ASan's own SIGSEGV handler reads /proc to report the crash, which the filter kills with SIGSYS. */
    if (expected_signal == SIGSEGV && o.worker_signal == SIGSYS) expected_signal = SIGSYS;
#endif
    assert_int_equal(o.worker_signal, expected_signal);
    /* The host is fine; the dead sandbox says so. */
    assert_int_equal(pvm_sandbox_call(sb, "sum", &n, 1, GAS, NULL, NULL, &o, &err), PVM_ERR_STATE);
    assert_non_null(strstr(err.msg, "signal"));
    pvm_sandbox_stop(sb);
    pvm_sandbox *again = start(PVM_BACKEND_INTERP);
    assert_int_equal(pvm_sandbox_call(again, "sum", &n, 1, GAS, NULL, NULL, &o, NULL), PVM_OK);
    assert_int_equal(o.regs[7], 55);
    pvm_sandbox_stop(again);
}

static void test_forbidden_syscall_is_a_trap(void **s) { misbehaving_worker(PVM_SANDBOX_TEST_FORBIDDEN_SYSCALL, SIGSYS); }
static void test_worker_crash_is_a_trap(void **s) { misbehaving_worker(PVM_SANDBOX_TEST_CRASH, SIGSEGV); }

/* A worker that answers like a compromised one: the host refuses the reply, kills the
 * worker (SIGKILL, reported once as a trap), names the reason after, and carries on. */
static void worker_with_bad_reply(int what, uint32_t timeout_ms, const char *reason)
{
    pvm_sandbox_config cfg = {.backend = PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_SYNC, .reply_timeout_ms = timeout_ms};
    pvm_sandbox *sb;
    pvm_error err = {{0}};
    if (pvm_sandbox_start(&cfg, &sb, &err)) fail_msg("start: %s", err.msg);
    if (pvm_sandbox_load(sb, bytes, len, &err)) fail_msg("load: %s", err.msg);
    pvm_sandbox_outcome o;
    uint64_t n = 10;
    int pid = pvm_sandbox_pid(sb);
    assert_int_equal(pvm_sandbox_test_command(sb, what, NULL), PVM_OK);
    assert_int_equal(pvm_sandbox_call(sb, "sum", &n, 1, GAS, NULL, NULL, &o, NULL), PVM_OK);
    assert_int_equal(o.result.kind, PVM_EXIT_PANIC);
    assert_int_equal(o.worker_signal, SIGKILL);
    assert_int_equal(kill(pid, 0), -1); /* reaped: gone */
    assert_int_equal(pvm_sandbox_call(sb, "sum", &n, 1, GAS, NULL, NULL, &o, &err), PVM_ERR_STATE);
    if (!strstr(err.msg, reason)) fail_msg("'%s' does not say '%s'", err.msg, reason);
    pvm_sandbox_stop(sb);
}

static void test_unresponsive_worker_is_killed(void **s)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    worker_with_bad_reply(PVM_SANDBOX_TEST_HANG, 300, "did not answer within 300 ms");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 30); /* the deadline, not the 630 s default, ended it */
}

static void test_malformed_replies_kill_the_worker(void **s)
{
    worker_with_bad_reply(PVM_SANDBOX_TEST_BAD_STATUS, 0, "status 999 is no pvm_status");
    worker_with_bad_reply(PVM_SANDBOX_TEST_UNTERMINATED_ERROR, 0, "not NUL-terminated");
    worker_with_bad_reply(PVM_SANDBOX_TEST_BAD_EXIT_KIND, 0, "exit kind 77 does not exist");
    worker_with_bad_reply(PVM_SANDBOX_TEST_BAD_PC, 0, "pc 4294967280 is past the end of the code");
    worker_with_bad_reply(PVM_SANDBOX_TEST_GAS_GAIN, 0, "gas left of the");
}

/* Reads and writes over several chunks: all or nothing. */
static void test_multi_chunk_access_is_all_or_nothing(void **s)
{
    pvm_sandbox *sb = start(PVM_BACKEND_INTERP);
    pvm_sandbox_test_set_chunk(sb, 4096);
    uint8_t original[GUEST_RW_SIZE], pattern[GUEST_RW_SIZE + 4096], got[GUEST_RW_SIZE + 4096];
    pvm_error err;
    assert_int_equal(pvm_sandbox_read(sb, RW_ADDR, original, sizeof original, &err), PVM_OK);
    /* Two chunks inside the rw pages, the third past them: the write fails and the first
     * two chunks hold what they held before. */
    memset(pattern, 0x5a, sizeof pattern);
    assert_int_not_equal(pvm_sandbox_write(sb, RW_ADDR, pattern, sizeof pattern, &err), PVM_OK);
    uint8_t after[GUEST_RW_SIZE];
    assert_int_equal(pvm_sandbox_read(sb, RW_ADDR, after, sizeof after, &err), PVM_OK);
    assert_memory_equal(after, original, sizeof original);
    /* The same read fails without touching the caller's buffer. */
    memset(got, 0xee, sizeof got);
    assert_int_not_equal(pvm_sandbox_read(sb, RW_ADDR, got, sizeof got, &err), PVM_OK);
    for (size_t i = 0; i < sizeof got; i++) assert_int_equal(got[i], 0xee);
    /* Within the pages, a multi-chunk write and read go through whole. */
    assert_int_equal(pvm_sandbox_write(sb, RW_ADDR, pattern, GUEST_RW_SIZE, &err), PVM_OK);
    assert_int_equal(pvm_sandbox_read(sb, RW_ADDR, after, sizeof after, &err), PVM_OK);
    assert_memory_equal(after, pattern, GUEST_RW_SIZE);
    pvm_sandbox_stop(sb);
}

static void test_worker_dies_with_host(void **s)
{
    /* Orphans come to us, so we can reap the worker and see how it ended. */
    assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t host = fork();
    assert_true(host >= 0);
    if (host == 0) {
        pvm_sandbox *sb;
        int pid = -1;
        if (pvm_sandbox_start(NULL, &sb, NULL) == PVM_OK) pid = pvm_sandbox_pid(sb);
        if (write(p[1], &pid, sizeof pid) != sizeof pid) _exit(1);
        for (;;) pause();
    }
    int worker = -1;
    assert_int_equal(read(p[0], &worker, sizeof worker), (ssize_t)sizeof worker);
    assert_true(worker > 0);
    assert_int_equal(kill(host, SIGKILL), 0);
    assert_int_equal(waitpid(host, NULL, 0), host);
    int st = 0;
    pid_t got = 0;
    for (int i = 0; i < 500 && got == 0; i++) { /* up to 5 s */
        got = waitpid(worker, &st, WNOHANG);
        if (got == 0) usleep(10000);
    }
    assert_int_equal(got, worker);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGKILL);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", worker);
    assert_int_not_equal(access(path, F_OK), 0);
    close(p[0]);
    close(p[1]);
    prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* --- hostile guest: loads and stores at every boundary ---------------------- */

typedef struct {
    pvm_instance *in;     /* in process, or NULL */
    pvm_sandbox *sb;      /* out of process, or NULL */
    pvm_instance *model;  /* reference page table */
} target;

static pvm_exit_kind expected_kind(const pvm_instance *model, uint32_t addr, unsigned width, bool store)
{
    bool fault = false;
    uint32_t lowest = 0;
    for (unsigned i = 0; i < width; i++) {
        uint32_t a = addr + i;
        if (a < 0x10000) return PVM_EXIT_PANIC;
        pvm_access acc = pvm_instance_page_access(model, a);
        if (store ? acc != PVM_ACCESS_WRITE : acc == PVM_ACCESS_NONE) {
            if (!fault || a < lowest) lowest = a;
            fault = true;
        }
    }
    /* The lowest offending byte on a read-only page: a trap in PolkaVM's Latest variants. */
    if (fault && store && model->mem.readonly_store_panics && pvm_instance_page_access(model, lowest) == PVM_ACCESS_READ)
        return PVM_EXIT_PANIC;
    return fault ? PVM_EXIT_PAGE_FAULT : PVM_EXIT_HALT;
}

static pvm_result poke(target *t, const char *name, uint64_t addr, uint64_t value, uint64_t *a0)
{
    uint64_t args[2] = {addr, value};
    pvm_result r;
    if (t->sb) {
        pvm_sandbox_outcome o;
        assert_int_equal(pvm_sandbox_call(t->sb, name, args, 2, GAS, NULL, NULL, &o, NULL), PVM_OK);
        assert_int_equal(o.worker_signal, 0);
        *a0 = o.regs[7];
        return o.result;
    }
    assert_int_equal(pvm_instance_prepare_call(t->in, name, 0, args, 2, NULL), PVM_OK);
    pvm_instance_set_gas(t->in, GAS);
    assert_int_equal(pvm_instance_run(t->in, &r, NULL), PVM_OK);
    *a0 = pvm_instance_reg(t->in, 7);
    return r;
}

static void guest_bytes(target *t, uint32_t addr, void *dst, size_t n)
{
    pvm_status st = t->sb ? pvm_sandbox_read(t->sb, addr, dst, n, NULL) : pvm_instance_read(t->in, addr, dst, n, NULL);
    assert_int_equal(st, PVM_OK);
}

static void attack(target *t)
{
    const pvm_layout *L = &t->model->module->layout;
    uint32_t starts[4] = {L->ro_addr, L->rw_addr, L->stack_addr, L->args_addr};
    uint32_t ends[4] = {L->ro_addr + L->ro_len, L->rw_addr + L->rw_len, L->stack_addr + L->stack_len,
                        L->args_addr + L->args_len};
    uint64_t addrs[128];
    size_t n = 0;
    static const uint64_t fixed[] = {0, 8, 0xfff8, 0xffff, 0x10000, 0x7ffffffc, 0x80000000, 0xfeff0000, 0xffff0000,
                                     0xfffffff8, 0xfffffffc, 0xffffffff, 0x100000000ull, 0xffffffffffffffffull,
                                     0xfffffffffffffff8ull};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) addrs[n++] = fixed[i];
    for (int r = 0; r < 4; r++) {
        if (starts[r] == ends[r]) continue;
        static const int64_t around[] = {-8, -4, -1, 0, 1};
        for (int k = 0; k < 5; k++) {
            addrs[n++] = (uint32_t)(starts[r] + around[k]);
            addrs[n++] = (uint32_t)(ends[r] + around[k]);
        }
        addrs[n++] = (1ull << 32) + starts[r]; /* a 64-bit register: only the low 32 bits address */
    }
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++) {
            static const char *const names[4] = {"load_at", "load8_at", "store_at", "store8_at"};
            unsigned width = k % 2 ? 1 : 8;
            bool store = k >= 2;
            uint32_t a32 = (uint32_t)addrs[i];
            pvm_exit_kind want = expected_kind(t->model, a32, width, store);
            uint64_t value = 0xC0FFEE0000000000ull | i, a0;
            pvm_result r = poke(t, names[k], addrs[i], value, &a0);
            if (r.kind != want) fail_msg("%s 0x%llx: exit %s, expected %s", names[k], (unsigned long long)addrs[i],
                                         pvm_exit_name(r.kind), pvm_exit_name(want));
            if (want != PVM_EXIT_HALT) continue;
            /* A successful access touched the guest window at the wrapped address, nothing else. */
            uint8_t got[8];
            guest_bytes(t, a32, got, width);
            uint64_t seen = 0;
            memcpy(&seen, got, width);
            if (store) assert_int_equal(seen, width == 8 ? value : (value & 0xff));
            else assert_int_equal(seen, a0);
        }
    }
}

static void test_hostile_guest(void **s)
{
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
    pvm_engine *e;
    pvm_module *m;
    target t = {0};
    assert_int_equal(pvm_engine_new(&cfg, &e, NULL), PVM_OK);
    assert_int_equal(pvm_module_compile(e, bytes, len, NULL, NULL, &m, NULL), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &t.model, NULL), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &t.in, NULL), PVM_OK);
    /* Host memory right next to the window, to see that it stays untouched. */
    uint8_t canary[4096];
    memset(canary, 0x5a, sizeof canary);
    attack(&t);
    pvm_instance_free(t.in);
    t.in = NULL;
    if (pvm_backend_available(PVM_BACKEND_JIT)) {
        /* The recompiler in process. Its fault handler is installed on its first run in a process, so it sits on
         * top of the handler cmocka installs around each test only if no earlier test here ran it: keep it so. */
        pvm_engine_config jcfg = {PVM_BACKEND_JIT, PVM_GAS_SYNC, NULL};
        pvm_engine *je;
        pvm_module *jm;
        assert_int_equal(pvm_engine_new(&jcfg, &je, NULL), PVM_OK);
        assert_int_equal(pvm_module_compile(je, bytes, len, NULL, NULL, &jm, NULL), PVM_OK);
        assert_int_equal(pvm_instance_new(jm, &t.in, NULL), PVM_OK);
        attack(&t);
        pvm_instance_free(t.in);
        t.in = NULL;
        pvm_module_release(jm);
        pvm_engine_free(je);
    }
    t.sb = start(PVM_BACKEND_INTERP);
    attack(&t);
    pvm_sandbox_stop(t.sb);
    if (pvm_backend_available(PVM_BACKEND_JIT)) {
        /* The recompiler relies on hardware faults: run it where no test framework handler competes (the worker). */
        t.sb = start(PVM_BACKEND_JIT);
        attack(&t);
        pvm_sandbox_stop(t.sb);
    }
    for (size_t i = 0; i < sizeof canary; i++) assert_int_equal(canary[i], 0x5a);
    pvm_instance_free(t.model);
    pvm_module_release(m);
    pvm_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_in_process),
        cmocka_unit_test(test_ecalli_round_trips),
        cmocka_unit_test(test_lazy_pages_in_worker),
        cmocka_unit_test(test_worker_isolation),
        cmocka_unit_test(test_without_namespaces),
        cmocka_unit_test(test_missing_worker_program),
        cmocka_unit_test(test_forbidden_syscall_is_a_trap),
        cmocka_unit_test(test_worker_crash_is_a_trap),
        cmocka_unit_test(test_unresponsive_worker_is_killed),
        cmocka_unit_test(test_malformed_replies_kill_the_worker),
        cmocka_unit_test(test_multi_chunk_access_is_all_or_nothing),
        cmocka_unit_test(test_worker_dies_with_host),
        cmocka_unit_test(test_hostile_guest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
