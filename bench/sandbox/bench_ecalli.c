/* Host-call (ecalli) round trip, in process vs through the sandbox worker:
 * a guest runs `ecalli 1` n times, the host adds a1 to a0 each time.
 * Prints the median ns per round trip over runs.
 *   bench_ecalli [runs] [calls per run] */
#include <stdio.h>
#include "bench_time.h"
#include "guest_programs.h"
#include "vm/sandbox/sandbox.h"
#include "vm/util/clock.h"

#define RW_ADDR 0x30000u

static pvm_status add_a1(void *user, pvm_sandbox *sb, uint32_t id, uint64_t regs[PVM_REG_COUNT])
{
    regs[7] += regs[8];
    return PVM_OK;
}

static int in_process(const uint8_t *bytes, size_t len, int runs, uint64_t calls, pvm_backend be, const char *label)
{
    pvm_engine_config cfg = {be, PVM_GAS_SYNC, NULL};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_error err;
    if (pvm_engine_new(&cfg, &e, &err) || pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err) ||
        pvm_instance_new(m, &in, &err)) {
        fprintf(stderr, "%s: %s\n", label, err.msg);
        return 1;
    }
    uint64_t *t = calloc((size_t)runs, sizeof *t);
    for (int i = 0; i < runs; i++) {
        uint64_t args[2] = {0, calls};
        pvm_result r;
        uint64_t t0 = util_now_ns();
        pvm_instance_prepare_call(in, "echo_loop", 0, args, 2, NULL);
        pvm_instance_set_gas(in, INT64_MAX / 2);
        for (;;) {
            if (pvm_instance_run(in, &r, &err)) {
                fprintf(stderr, "%s: %s\n", label, err.msg);
                return 1;
            }
            if (r.kind != PVM_EXIT_ECALLI) break;
            pvm_instance_set_reg(in, 7, pvm_instance_reg(in, 7) + pvm_instance_reg(in, 8), NULL);
        }
        t[i] = util_now_ns() - t0;
        if (pvm_instance_reg(in, 7) != calls * (calls + 1) / 2) fprintf(stderr, "%s: wrong result\n", label);
    }
    printf("%-34s %10.0f ns/round trip\n", label, bench_median(t, (size_t)runs) / (double)calls);
    free(t);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return 0;
}

static int out_of_process(const uint8_t *bytes, size_t len, int runs, uint64_t calls, pvm_backend be, const char *label)
{
    pvm_sandbox_config cfg = {.backend = be, .gas_mode = PVM_GAS_SYNC};
    pvm_sandbox *sb;
    pvm_error err;
    if (pvm_sandbox_start(&cfg, &sb, &err) || pvm_sandbox_load(sb, bytes, len, &err)) {
        fprintf(stderr, "sandbox: %s\n", err.msg);
        return 1;
    }
    if (be == PVM_BACKEND_INTERP) printf("# sandbox: %s\n", pvm_sandbox_isolation(sb));
    uint64_t *t = calloc((size_t)runs, sizeof *t);
    for (int i = 0; i < runs; i++) {
        uint64_t args[2] = {0, calls};
        pvm_sandbox_outcome o;
        uint64_t t0 = util_now_ns();
        if (pvm_sandbox_call(sb, "echo_loop", args, 2, INT64_MAX / 2, add_a1, NULL, &o, &err)) {
            fprintf(stderr, "sandbox: %s\n", err.msg);
            return 1;
        }
        t[i] = util_now_ns() - t0;
        if (o.regs[7] != calls * (calls + 1) / 2) fprintf(stderr, "sandbox: wrong result\n");
    }
    printf("%-34s %10.0f ns/round trip\n", label, bench_median(t, (size_t)runs) / (double)calls);
    free(t);
    pvm_sandbox_stop(sb);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 11;
    uint64_t calls = argc > 2 ? strtoull(argv[2], NULL, 0) : 20000;
    if (runs < 1 || calls < 1) return 2;
    size_t len;
    uint8_t *bytes = guest_program_bytes(RW_ADDR, &len);
    if (!bytes) return 1;
    printf("# %llu ecalli per run, medians of %d runs\n", (unsigned long long)calls, runs);
    int rc = in_process(bytes, len, runs, calls, PVM_BACKEND_INTERP, "in process (interp)");
    if (pvm_backend_available(PVM_BACKEND_JIT)) rc |= in_process(bytes, len, runs, calls, PVM_BACKEND_JIT, "in process (jit)");
    rc |= out_of_process(bytes, len, runs, calls, PVM_BACKEND_INTERP, "out of process (sandbox, interp)");
    if (pvm_backend_available(PVM_BACKEND_JIT))
        rc |= out_of_process(bytes, len, runs, calls, PVM_BACKEND_JIT, "out of process (sandbox, jit)");
    free(bytes);
    return rc;
}
