/* Gas exactness of the recompiler against the interpreter, with the gas
 * counter in a host register (r13, when the GS base is the guest window) and
 * in the frame slot (PVMLAB_JIT_NO_GS=1). A loop of short blocks with loads
 * and stores over four rw pages, a host call (ecalli) every eighth iteration
 * and a memset (a helper that charges per byte through the frame) is run from
 * each initial gas between 0 and what the whole run needs, sync and async,
 * 64-bit and 32-bit, with and without lazy pages (whose first touches are
 * charged by the fault handler while the guest is stopped). The host takes 2
 * gas at each ecalli; after a sync out-of-gas it adds some (every third time
 * only a few gas: the run resumes short of the recompiler's gas bias, see
 * vm/jit/gas_checks.c) and runs again.
 * Self-loops (unrolled by the recompiler) with faults and lazy pages in each copy and a
 * host call in the loop run the same way.
 * Every stop (exit, pc, gas, registers) and the final rw pages must agree.
 *
 * Runs in a forked child: cmocka's SIGSEGV handler must not sit in front of
 * the recompiler's when the lazy pages fault. */
#include <stdio.h>
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/jit/jit.h"
#include "vm/state/vm_state.h"

enum { RA = 0, SP = 1, T0 = 2, T1 = 3, T2 = 4, S0 = 5, S1 = 6, A0 = 7, A1 = 8, A2 = 9 };
enum { ITERATIONS = 9, PAGES = 4, MAX_STOPS = 400, REFILL = 37 }; /* s0 = 8: one host call and memset */

static void child_fail(const char *what, const char *msg)
{
    printf("%s: %s\n", what, msg);
    fflush(stdout);
    _exit(2);
}

static uint8_t *program(pvm_isa isa, size_t *len)
{
    bool w = isa == PVM_ISA_LATEST64;
    int add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32, add_imm = w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
    int shl_imm = w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32;
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b), odd = pvm_builder_label(b);
    pvm_label joined = pvm_builder_label(b), next = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, PAGES * 4096);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "run", entry);
    pvm_builder_import(b, "host"); /* ecalli 0 */
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, S0, A0); /* s0 = iterations, t0 = the rw pages */
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, T0, A1);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S1, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, T2, 0);
    pvm_emit_reg_reg(b, PVM_OP_SBRK, T2, T2); /* t2 = the heap top: a helper that cannot exit */
    pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* a jump target starts a block */
    pvm_builder_bind(b, loop);
    pvm_emit_reg3(b, add, S1, S1, S0);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, T1, S0, PAGES - 1); /* t1 = t0 + (s0 % 4) * 4096 */
    pvm_emit_reg_reg_imm(b, shl_imm, T1, T1, 12);
    pvm_emit_reg3(b, add, T1, T1, T0);
    pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U32, S1, T1, 8);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, T2, T1, 8 + 4 * 3);
    pvm_emit_reg3(b, add, S1, S1, T2);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, T2, S0, 1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, T2, 0, odd);
    pvm_emit_reg_reg_imm(b, PVM_OP_XOR_IMM, S1, S1, 0x55); /* a block of two */
    pvm_emit_jump(b, PVM_OP_JUMP, joined);
    pvm_builder_bind(b, odd);
    pvm_emit_reg_reg_imm(b, add_imm, S1, S1, 3); /* a block of one, falling through */
    pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* a jump target starts a block */
    pvm_builder_bind(b, joined);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, T2, S0, 7);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, T2, 0, next);
    pvm_emit_imm(b, PVM_OP_ECALLI, 0);
    pvm_emit_reg_reg_imm(b, add_imm, A0, T0, 100); /* memset(t0 + 100, s0, 5) */
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A1, S0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 5);
    pvm_emit_none(b, PVM_OP_MEMSET);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH); /* a jump target starts a block */
    pvm_builder_bind(b, next);
    pvm_emit_reg_reg_imm(b, add_imm, S0, S0, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, S0, 0, loop);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A0, S1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    uint8_t *bytes;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &bytes, len, &err) != PVM_OK) {
        child_fail("builder", err.msg);
    }
    pvm_builder_free(b);
    return bytes;
}

/* A self-loop summing a shifted counter into a two-register value (lo, hi) by a
 * carry: `add lo, lo, t; set_lt_u c, lo, t; add hi, hi, c`, c overwritten by the
 * loop's first op and by the exit's: c is dead across the loop's back edge into
 * its checked head, so the recompiler drops it (add + adc) under gas as well when
 * the head is covered (no block enters it with less than its cost: a failed
 * check there hands the run to the interpreter, never stops it; gas_checks.c).
 * An out-of-gas stop at the head would show the dropped carry. */
static uint8_t *carry_loop(pvm_isa isa, size_t *len)
{
    bool w = isa == PVM_ISA_LATEST64;
    int add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32, add_imm = w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
    int shl_imm = w ? PVM_OP_SHLO_L_IMM_64 : PVM_OP_SHLO_L_IMM_32;
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, PAGES * 4096);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "run", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_reg_imm(b, shl_imm, S0, A0, 2); /* 4 x ITERATIONS */
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S1, -16);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, A2, 0);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, loop);
    pvm_emit_reg_reg_imm(b, add_imm, T2, S0, 3); /* c overwritten first */
    pvm_emit_reg_reg_imm(b, shl_imm, T1, T2, w ? 59 : 27);
    pvm_emit_reg3(b, add, S1, S1, T1);
    pvm_emit_reg3(b, PVM_OP_SET_LT_U, T2, S1, T1);
    pvm_emit_reg3(b, add, A2, A2, T2);
    pvm_emit_reg_reg_imm(b, add_imm, S0, S0, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, S0, 0, loop);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, T2, S1); /* c overwritten first here too */
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A0, A2);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    uint8_t *bytes;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &bytes, len, &err) != PVM_OK) child_fail("builder", err.msg);
    pvm_builder_free(b);
    return bytes;
}

/* A self-loop (one block branching back to itself), which the recompiler unrolls under gas
 * (vm/jit/self_loops.c: one check for four iterations, each copy's exits refunding what it
 * charged ahead): a store and a load walking the four rw pages 1100 bytes an iteration from
 * variant * 1100, so that lazy pages are first touched in different copies and the walk
 * leaves the rw pages (a fault) at the iteration 15 - variant, in copy 3 - variant of a run
 * that entered the loop with enough gas. Variant 4 makes a host call (ecalli) in each
 * iteration and ends before the pages do; variants 5-7 end before them after 13-15
 * iterations, leaving the loop from copies 0-2. Variant 8 steps by what it loaded (a
 * chase): the recompiler keeps such a loop one copy (self_loops.c: chases_loads). */
enum { SELF_LOOP_VARIANTS = 9, CHASE_VARIANT = 8 };
static uint8_t *self_loop(pvm_isa isa, size_t *len, int variant)
{
    bool w = isa == PVM_ISA_LATEST64;
    int add = w ? PVM_OP_ADD_64 : PVM_OP_ADD_32, add_imm = w ? PVM_OP_ADD_IMM_64 : PVM_OP_ADD_IMM_32;
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label entry = pvm_builder_label(b), loop = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, PAGES * 4096);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "run", entry);
    pvm_builder_import(b, "host"); /* ecalli 0 */
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S0, variant < 4 ? 16 : variant == 4 || variant == CHASE_VARIANT ? ITERATIONS : 8 + variant);
    pvm_emit_reg_reg_imm(b, add_imm, T1, A1, variant < 4 ? variant * 1100 : 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, S1, 0);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, loop);
    pvm_emit_reg3(b, add, S1, S1, S0);
    pvm_emit_reg_reg_imm(b, PVM_OP_STORE_IND_U32, S1, T1, 8);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_I32, T2, T1, 12);
    pvm_emit_reg3(b, add, S1, S1, T2);
    if (variant == 4) pvm_emit_imm(b, PVM_OP_ECALLI, 0);
    if (variant == CHASE_VARIANT) pvm_emit_reg3(b, add, T1, T1, T2); /* the next address from the load (0 until stored) */
    pvm_emit_reg_reg_imm(b, add_imm, T1, T1, 1100);
    pvm_emit_reg_reg_imm(b, add_imm, S0, S0, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, S0, 0, loop);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, A0, S1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, RA, 0);
    uint8_t *bytes;
    pvm_error err = {{0}};
    if (pvm_builder_finish_polkavm(b, &bytes, len, &err) != PVM_OK) child_fail("builder", err.msg);
    pvm_builder_free(b);
    return bytes;
}

typedef struct {
    pvm_exit_kind kind;
    uint32_t pc;
    int64_t gas;
    uint64_t regs[PVM_REG_COUNT];
} stop;

typedef struct {
    stop stops[MAX_STOPS];
    size_t n;
    uint8_t pages[PAGES * 4096];
} trajectory;

/* One run from gas: every stop until halt, panic, an async out-of-gas or MAX_STOPS. */
static void run(pvm_module *m, bool lazy, int64_t gas, pvm_gas_mode mode, trajectory *t)
{
    pvm_instance *in;
    pvm_error err = {{0}};
    if (pvm_instance_new(m, &in, &err)) child_fail("instance", err.msg);
    if (lazy && pvm_instance_set_lazy_pages(in, "mprotect", &err)) child_fail("lazy pages", err.msg);
    uint64_t args[2] = {ITERATIONS, m->layout.rw_addr};
    if (pvm_instance_prepare_call(in, "run", 0, args, 2, &err)) child_fail("prepare", err.msg);
    pvm_instance_set_gas(in, gas);
    for (t->n = 0; t->n < MAX_STOPS;) {
        pvm_result r;
        if (pvm_instance_run(in, &r, &err)) child_fail("run", err.msg);
        stop *s = &t->stops[t->n++];
        s->kind = r.kind;
        s->pc = r.pc;
        s->gas = pvm_instance_gas(in);
        for (unsigned k = 0; k < PVM_REG_COUNT; k++) s->regs[k] = pvm_instance_reg(in, k);
        if (r.kind == PVM_EXIT_ECALLI) pvm_instance_set_gas(in, s->gas - 2);
        else if (r.kind == PVM_EXIT_OUT_OF_GAS && mode == PVM_GAS_SYNC) /* now and then just enough for a block or two */
            pvm_instance_set_gas(in, s->gas + (t->n % 3 ? REFILL : 1 + (int64_t)(t->n % 5) * 3));
        else break;
    }
    if (pvm_instance_read(in, m->layout.rw_addr, t->pages, sizeof t->pages, &err)) child_fail("read", err.msg);
    pvm_instance_free(in);
}

static pvm_module *compile(pvm_engine *e, const uint8_t *bytes, size_t len)
{
    pvm_module *m;
    pvm_error err = {{0}};
    if (pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err)) child_fail("compile", err.msg);
    return m;
}

static bool same_stop(const stop *a, const stop *b)
{
    return a->kind == b->kind && a->pc == b->pc && a->gas == b->gas && !memcmp(a->regs, b->regs, sizeof a->regs);
}

/* Child: 0 if every run agrees, 1 if one differs (printed). */
static int compare_all(void)
{
    static trajectory ti, tj;
    static const pvm_gas_mode modes[2] = {PVM_GAS_SYNC, PVM_GAS_ASYNC};
    static const pvm_isa isas[2] = {PVM_ISA_LATEST64, PVM_ISA_LATEST32};
    unsigned register_paths = 0, checked = 0, unrolled = 0;
    for (int no_gs = 0; no_gs < 2; no_gs++)
    for (int prog = 0; prog < 2 + SELF_LOOP_VARIANTS; prog++) {
        setenv("PVMLAB_JIT_NO_GS", no_gs ? "1" : "0", 1); /* read when a module is compiled */
        for (int x = 0; x < 2; x++)
            for (int g = 0; g < 2; g++) {
                size_t len;
                uint8_t *bytes = prog >= 2 ? self_loop(isas[x], &len, prog - 2) : prog ? carry_loop(isas[x], &len) : program(isas[x], &len);
                pvm_engine *ei, *ej;
                pvm_engine_config ci = {PVM_BACKEND_INTERP, modes[g], NULL}, cj = {PVM_BACKEND_JIT, modes[g], NULL};
                pvm_error err = {{0}};
                if (pvm_engine_new(&ci, &ei, &err) || pvm_engine_new(&cj, &ej, &err)) child_fail("engine", err.msg);
                pvm_module *mi = compile(ei, bytes, len), *mj = compile(ej, bytes, len);
                free(bytes);
                const jit_module *jm = mj->jit;
                /* r13 holds the gas exactly when the memory operands use GS (then nothing else needs r13) */
                if (jm->gas_in_r13 != jm->gs_mem || (no_gs && jm->gas_in_r13)) {
                    printf("gas_in_r13 %d with gs_mem %d (PVMLAB_JIT_NO_GS=%d)\n", jm->gas_in_r13, jm->gs_mem, no_gs);
                    return 1;
                }
                register_paths += jm->gas_in_r13;
                if (prog >= 2 && jm->gas_in_r13 && !jm->n_copies != (prog - 2 == CHASE_VARIANT)) {
                    printf("self-loop variant %d %s with the gas in r13\n", prog - 2, jm->n_copies ? "unrolled" : "not unrolled");
                    return 1;
                }
                unrolled += jm->n_copies != 0;
                for (int lazy = 0; lazy < 2; lazy++) {
                    run(mi, lazy, INT64_MAX / 2, modes[g], &ti); /* what the whole run needs */
                    int64_t need = INT64_MAX / 2 - ti.stops[ti.n - 1].gas;
                    pvm_exit_kind end = ti.stops[ti.n - 1].kind; /* the self-loops' walk may leave the pages */
                    bool ended = end == PVM_EXIT_HALT || (prog >= 2 && (end == PVM_EXIT_PAGE_FAULT || end == PVM_EXIT_PANIC));
                    if (!ended || need < ITERATIONS * 7) {
                        printf("the reference run did not halt (%s at pc %u, %lld gas)\n", pvm_exit_name(ti.stops[ti.n - 1].kind), ti.stops[ti.n - 1].pc,
                               (long long)need);
                        return 1;
                    }
                    /* every initial gas without lazy pages (each block start); with them, whose
                     * charges dwarf the blocks', every 13th (still many inside each charge)
                     * (up to well past the need: an unrolled self-loop's copies run only with gas for
                     * all four iterations, the loop's last ones too) */
                    for (int64_t gas = 0; gas <= need + 67; gas += lazy ? 13 : 1) {
                        run(mi, lazy, gas, modes[g], &ti);
                        run(mj, lazy, gas, modes[g], &tj);
                        checked++;
                        size_t k = 0;
                        while (k < ti.n && k < tj.n && same_stop(&ti.stops[k], &tj.stops[k])) k++;
                        if (k == ti.n && k == tj.n && !memcmp(ti.pages, tj.pages, sizeof ti.pages)) continue;
                        const stop *a = &ti.stops[k < ti.n ? k : ti.n - 1], *b = &tj.stops[k < tj.n ? k : tj.n - 1];
                        printf("DIFF prog=%d no_gs=%d isa=%d mode=%d lazy=%d gas=%lld stop %zu: interp %s pc=%u gas=%lld | jit %s "
                               "pc=%u gas=%lld\n",
                               prog, no_gs, x, g, lazy, (long long)gas, k, pvm_exit_name(a->kind), a->pc, (long long)a->gas,
                               pvm_exit_name(b->kind), b->pc, (long long)b->gas);
                        for (size_t q = 0; q < ti.n || q < tj.n; q++)
                            printf("  %zu: interp %s pc=%u gas=%lld | jit %s pc=%u gas=%lld\n", q, q < ti.n ? pvm_exit_name(ti.stops[q].kind) : "-",
                                   q < ti.n ? ti.stops[q].pc : 0, q < ti.n ? (long long)ti.stops[q].gas : 0, q < tj.n ? pvm_exit_name(tj.stops[q].kind) : "-",
                                   q < tj.n ? tj.stops[q].pc : 0, q < tj.n ? (long long)tj.stops[q].gas : 0);
                        return 1;
                    }
                }
                pvm_module_release(mi);
                pvm_module_release(mj);
                pvm_engine_free(ei);
                pvm_engine_free(ej);
            }
    }
    if (!jit_gs_usable()) printf("# the GS base cannot be set here: only the frame-slot gas path was run\n");
    else if (!register_paths) return printf("GS usable but no module kept the gas in r13\n"), 1;
    printf("# %u runs agree (%u modules with the gas in r13, %u with unrolled self-loops)\n", checked, register_paths, unrolled);
    return 0;
}

static void gas_agrees_with_the_interpreter_at_every_stop(void **s)
{
    (void)s;
    if (!pvm_backend_available(PVM_BACKEND_JIT)) {
        printf("# recompiler not built: nothing to compare\n");
        return;
    }
    test_assert_child_passes(compare_all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(gas_agrees_with_the_interpreter_at_every_stop)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
