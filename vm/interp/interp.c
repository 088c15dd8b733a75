/* Interpreter backend: computed-goto dispatch over the decoded program. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"
#include "interp.h"
#include "interp_guard.h"
#include "vm/isa/isa.h"
#include "vm/util/ticks.h"

static inline uint64_t rotr64(uint64_t x, unsigned n) { n &= 63; return n ? (x >> n) | (x << (64 - n)) : x; }
static inline uint64_t rotl64(uint64_t x, unsigned n) { n &= 63; return n ? (x << n) | (x >> (64 - n)) : x; }
static inline uint32_t rotr32(uint32_t x, unsigned n) { n &= 31; return n ? (x >> n) | (x << (32 - n)) : x; }
static inline uint32_t rotl32(uint32_t x, unsigned n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }

static inline uint64_t sx32(uint32_t x) { return (uint64_t)(int64_t)(int32_t)x; }

static inline uint64_t div_s32(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0) return UINT64_MAX;
    if (x == INT32_MIN && y == -1) return sx32((uint32_t)x);
    return sx32((uint32_t)(x / y));
}
static inline uint64_t rem_s32(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0) return sx32((uint32_t)x);
    if (x == INT32_MIN && y == -1) return 0;
    return sx32((uint32_t)(x % y));
}
static inline uint64_t div_s64(uint64_t a, uint64_t b)
{
    int64_t x = (int64_t)a, y = (int64_t)b;
    if (y == 0) return UINT64_MAX;
    if (x == INT64_MIN && y == -1) return a;
    return (uint64_t)(x / y);
}
static inline uint64_t rem_s64(uint64_t a, uint64_t b)
{
    int64_t x = (int64_t)a, y = (int64_t)b;
    if (y == 0) return a;
    if (x == INT64_MIN && y == -1) return 0;
    return (uint64_t)(x % y);
}
static inline uint64_t mulh_ss(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64);
}
static inline uint64_t mulh_uu(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
static inline uint64_t mulh_su(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64);
}

/* Slow-path helpers for accesses that wrap around the 4 GiB space. */
static uint32_t wrap_addr(const pvm_instr *ins, const uint64_t *r)
{
    switch (pvm_op_table[ins->op].kind) {
    case PVM_KIND_REG_IMM_IMM: return (uint32_t)(r[ins->a] + ins->imm);
    case PVM_KIND_REG_REG_IMM: return (uint32_t)(r[ins->b] + ins->imm);
    default: return (uint32_t)ins->imm;
    }
}
static unsigned access_size(uint8_t op) { return pvm_op_mem_access((pvm_op)op).width; }
static uint64_t extend_load(uint8_t op, uint64_t v)
{
    pvm_mem_access a = pvm_op_mem_access((pvm_op)op);
    if (!a.is_signed || a.width == 8) return v;
    unsigned sh = 64 - 8 * a.width;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}
static uint64_t store_value(const pvm_instr *ins, const uint64_t *r)
{
    pvm_kind k = pvm_op_table[ins->op].kind;
    return (k == PVM_KIND_IMM_IMM || k == PVM_KIND_REG_IMM_IMM) ? ins->imm2 : r[ins->a];
}

/* A loop runs inst from instruction `start`; called with inst NULL, a guarded loop
 * instead hands out its handler addresses in *handlers (direct threading). */
typedef void loop_fn(pvm_instance *, pvm_result *, uint32_t, bool, pvm_interp_guard *, pvm_interp_handlers *handlers);

/* GCC's register allocation of the loops is fragile: each is one function with hundreds of
 * labels, every one reachable from every dispatch, and small changes elsewhere (a jump
 * table read, a gas check written another way) made it keep the record pointer `ins` on
 * the stack in one gas mode's loop: a load and a store in every handler, +15-27 % Ir.
 * So `ins` and `acc` are GCC local register variables in callee-saved registers (a
 * placement only: they are ordinary variables otherwise), and LOOP_KEEP after `ins++`
 * keeps GCC from dispatching through a copy of the old value. Other compilers, and
 * builds without optimisation, leave the allocation to the compiler. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__OPTIMIZE__)
#define LOOP_REG(name) __asm__(name)
#define LOOP_KEEP(v) __asm__("" : "+r"(v))
/* ins += its record's next (interp.h), in place: written in C, GCC read the branches'
 * records through a copy of ins (`mov %rbx,%rax` in every branch handler). */
#define LOOP_ADVANCE_NEXT(ptr_) do { uint64_t t_; \
        __asm__("movzbl %c[o](%[p]), %k[t]\n\tadd %[t], %[p]" : [p] "+r"(ptr_), [t] "=&r"(t_) \
                : [o] "i"(offsetof(pvm_interp_op, next))); } while (0)
/* The guarded loops keep gas and the counts in r15, r14 and r13 too (no memory
 * read-modify-write chain at every block entry); the fault handler reads them from the
 * signal context, as it reads ins (interp_guard.h). */
#define LOOP_COUNTS_IN_REGS PVM_INTERP_GUARD_RBX
/* rbp only where it is not the frame pointer: the sanitizer build keeps frame pointers
 * (-fno-omit-frame-pointer, CMakeLists.txt), and GCC then refuses rbp to a register variable. */
#if defined(PVMLAB_SANITIZE)
#define LOOP_REG_FRAME(name)
#else
#define LOOP_REG_FRAME(name) __asm__(name)
#endif
#else
#define LOOP_REG_FRAME(name)
#define LOOP_REG(name)
#define LOOP_KEEP(v) ((void)0)
#define LOOP_ADVANCE_NEXT(p) ((p) = (const pvm_interp_op *)((const char *)(p) + (p)->next))
#define LOOP_COUNTS_IN_REGS 0
#endif

/* Async gas (and the guarded sync charge) may start negative, down to INT64_MIN, as a host
 * set it: subtracted in two's complement, as the recompiler's `sub` does, not as a signed
 * overflow (undefined). The same instructions as `gas -= cost`. */
static inline int64_t gas_minus(int64_t gas, uint64_t cost) { return (int64_t)((uint64_t)gas - cost); }

#define TRACE 0
#define PROFILE 0
#define GUARDED 1
#define LOOP_GAS_REG 0 /* (the guarded loops with gas keep it in a register: interp_loop.inc) */
#define GAS_MODE PVM_GAS_NONE
#define LOOP_NAME run_nogas
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#undef LOOP_GAS_REG
#define LOOP_GAS_REG 1
#define GAS_MODE PVM_GAS_SYNC
#define LOOP_NAME run_sync
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#define GAS_MODE PVM_GAS_ASYNC
#define LOOP_NAME run_async
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#undef LOOP_GAS_REG
#undef GUARDED
/* Checked loops: every access against the page table (lazy pages, or no fault handler). */
#define GUARDED 0
#define GAS_MODE PVM_GAS_NONE
#define LOOP_NAME run_nogas_checked
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#define GAS_MODE PVM_GAS_SYNC
#define LOOP_NAME run_sync_checked
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#define GAS_MODE PVM_GAS_ASYNC
#define LOOP_NAME run_async_checked
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#undef PROFILE
/* The profiling loop reads the gas mode at run time; it is not the fast path. */
#define PROFILE 1
#define GAS_MODE gas_mode_rt
#define LOOP_NAME run_profiled
static pvm_gas_mode gas_mode_of(const pvm_instance *in) { return in->module->engine->cfg.gas_mode; }
#define gas_mode_rt gas_mode_of(inst)
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#undef PROFILE
#undef GUARDED
#undef TRACE
/* The trace loop: every load and store calls the instance's memory trace hook, every
 * conditional branch its branch trace hook, every block entry its block trace hook, whichever is set (checked accesses, gas mode
 * read at run time: a measuring aid, not the fast path). */
#define TRACE 1
#define PROFILE 0
#define GUARDED 0
#define GAS_MODE gas_mode_rt
#define LOOP_NAME run_traced
#include "interp_loop.inc"
#undef gas_mode_rt
#undef GAS_MODE
#undef LOOP_NAME
#undef PROFILE
#undef GUARDED
#undef TRACE

/* A guarded loop faulted at guard->ins: finish the run as the checked loop would
 * (panic or page fault at that instruction, with the gas and counts of its block).
 * An access the page table allows after all (none should fault) is done byte-wise
 * here and the loop continues after it. Returns true when the run is over. */
static bool finish_fault(pvm_instance *in, pvm_result *res, const pvm_interp_guard *g, uint32_t *resume_at)
{
    const pvm_decoded *d = &in->module->dec;
    /* (the record comes from the fault's rbx with PVM_INTERP_GUARD_RBX: a record of this
     * module at a memory instruction, or the loop broke its contract) */
    const pvm_interp_op *rec = g->ins + g->pair_second;
    if (rec < g->code_lo || rec >= g->code_hi) {
        fprintf(stderr, "pvm interp: internal error: guest memory fault outside a memory instruction\n");
        abort();
    }
    uint32_t index = (uint32_t)(rec - in->module->interp_code);
    const pvm_instr *ins = &d->instrs[index];
    pvm_mem_access acc = pvm_op_mem_access((pvm_op)ins->op);
    if (acc.width == 0) {
        fprintf(stderr, "pvm interp: internal error: guest memory fault at a non-memory instruction\n");
        abort();
    }
    uint32_t addr = wrap_addr(ins, in->regs), fault = 0;
    int chk = pvm_memory_check_slow(&in->mem, addr, acc.width, acc.is_store, &fault);
    in->gas = g->gas;
    in->stats.blocks += g->bcount;
    if (chk == 0) {
        if (acc.is_store) {
            uint64_t v = store_value(ins, in->regs);
            for (unsigned i = 0; i < acc.width; i++) in->mem.base[(uint32_t)(addr + i)] = (uint8_t)(v >> (8 * i));
        } else {
            uint64_t v = 0;
            for (unsigned i = 0; i < acc.width; i++) v |= (uint64_t)in->mem.base[(uint32_t)(addr + i)] << (8 * i);
            in->regs[ins->a] = extend_load(ins->op, v);
        }
        /* the loop counts the rest of this block again when it resumes after the access */
        const pvm_block *blk = &d->blocks[ins->block];
        in->stats.instructions += pvm_interp_guard_icount(g) - (blk->first + blk->count - index - 1);
        *resume_at = index + 1;
        return false;
    }
    const pvm_block *blk = &d->blocks[ins->block];
    in->stats.instructions += pvm_interp_guard_icount(g) - (blk->first + blk->count - index - 1);
    res->kind = chk == 1 ? PVM_EXIT_PANIC : PVM_EXIT_PAGE_FAULT;
    res->pc = ins->pc;
    in->pc = res->pc;
    in->state = PVM_RUN_DONE;
    if (chk == 2) { /* the host may map the page and run again: the block is paid (as the loop's exit) */
        res->fault_address = fault;
        in->resume_index = index;
        in->state = PVM_RUN_RESUME;
    }
    return true;
}

/* One guarded attempt: true when the loop returned, false when it faulted. */
static bool run_under_guard(pvm_instance *in, pvm_result *res, uint32_t start, bool charge, loop_fn *loop,
                            pvm_interp_guard *g)
{
    pvm_interp_guard *prev = pvm_interp_guard_enter(g);
    if (sigsetjmp(g->jump, 0) == 0) {
        loop(in, res, start, charge, g, NULL);
        pvm_interp_guard_leave(prev);
        return true;
    }
    pvm_interp_guard_leave(prev);
    return false;
}

/* Runs a guarded loop; a fault comes back by siglongjmp and is finished here. */
static void run_guarded(pvm_instance *in, pvm_result *res, uint32_t start, bool charge, loop_fn *loop)
{
    pvm_interp_guard g;
    g.lo = in->mem.base;
    g.hi = in->mem.base + in->mem.reserved;
    g.code_lo = in->module->interp_code;
    g.code_hi = in->module->interp_code + in->module->dec.n_instrs;
    g.counts_in_regs = g.gas_in_reg = g.icount_has_gas = false; /* (the loop sets them) */
    g.pair_second = false; /* (the fault handler sets it) */
    while (!run_under_guard(in, res, start, charge, loop, &g)) {
        uint32_t resume_at;
        if (finish_fault(in, res, &g, &resume_at)) return;
        start = resume_at;
        charge = false;
    }
}

static loop_fn *guarded_loop(pvm_gas_mode mode)
{
    return mode == PVM_GAS_SYNC ? run_sync : mode == PVM_GAS_ASYNC ? run_async : run_nogas;
}

pvm_interp_handlers pvm_interp_handlers_of(pvm_gas_mode mode)
{
    pvm_interp_handlers h;
    guarded_loop(mode)(NULL, NULL, 0, false, NULL, &h);
    return h;
}

void pvm_interp_run(pvm_instance *in, pvm_result *res)
{
    const pvm_decoded *d = &in->module->dec;
    uint32_t start;
    bool charge;
    memset(res, 0, sizeof *res);
    if (in->state == PVM_RUN_RESUME) {
        start = in->resume_index;
        charge = false;
    } else {
        start = pvm_decoded_index(d, in->pc);
        charge = true;
    }
    if (in->trace_fn || in->branch_trace_fn || in->block_trace_fn) {
        run_traced(in, res, start, charge, NULL, NULL);
        return;
    }
    if (in->profile_count) {
        run_profiled(in, res, start, charge, NULL, NULL);
        return;
    }
    pvm_gas_mode mode = in->module->engine->cfg.gas_mode;
    /* A fresh run takes the front place for the fault handler again (a host may have
     * installed its own since); a resume after a host call does not (two system calls). */
    /* The guarded loops dispatch through the handlers of their own mode only, and charge
     * sync gas by a subtraction that must not wrap: sync gas a host set negative (the run
     * stops at the next block entry) goes to the checked loop. */
    bool guarded = !in->mem.lazy && !in->module->engine->interp_bounds_checks && d->interp_threaded == 1 + mode &&
                   (in->state == PVM_RUN_RESUME ? in->guard_ready : (in->guard_ready = pvm_interp_guard_install())) &&
                   !(mode == PVM_GAS_SYNC && in->gas < 0);
    if (guarded) {
        run_guarded(in, res, start, charge, guarded_loop(mode));
        return;
    }
    switch (mode) {
    case PVM_GAS_SYNC: run_sync_checked(in, res, start, charge, NULL, NULL); break;
    case PVM_GAS_ASYNC: run_async_checked(in, res, start, charge, NULL, NULL); break;
    default: run_nogas_checked(in, res, start, charge, NULL, NULL); break;
    }
}
