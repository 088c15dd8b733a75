/* Interpreter backend: runs a loop (loop_*.c, one configuration of interp_loop.inc each)
 * and finishes the guarded loops' faults. */
#include "interp_loop_env.h"

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

/* The fault handler in front for a fresh run: every time, or once per engine
 * (pvm_engine_set_fault_handler_once). */
static bool guard_take(pvm_engine *e)
{
    if (!pvm_engine_fault_front_due(e, e->interp_handler_taken)) return true;
    return e->interp_handler_taken = pvm_interp_guard_install();
}

static loop_fn *guarded_loop(pvm_gas_mode mode)
{
    return mode == PVM_GAS_SYNC    ? pvm_interp_loop_sync
           : mode == PVM_GAS_ASYNC ? pvm_interp_loop_async
                                   : pvm_interp_loop_nogas;
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
        pvm_interp_loop_traced(in, res, start, charge, NULL, NULL);
        return;
    }
    if (in->profile_count) {
        pvm_interp_loop_profiled(in, res, start, charge, NULL, NULL);
        return;
    }
    pvm_gas_mode mode = in->module->engine->cfg.gas_mode;
    /* A fresh run takes the front place for the fault handler again (a host may have
     * installed its own since); a resume after a host call does not (two system calls). */
    /* The guarded loops dispatch through the handlers of their own mode only, and charge
     * sync gas by a subtraction that must not wrap: sync gas a host set negative (the run
     * stops at the next block entry) goes to the checked loop. */
    bool guarded = !in->mem.lazy && !in->module->engine->interp_bounds_checks && d->interp_threaded == 1 + mode &&
                   (in->state == PVM_RUN_RESUME ? in->guard_ready : (in->guard_ready = guard_take(in->module->engine))) &&
                   !(mode == PVM_GAS_SYNC && in->gas < 0);
    if (guarded) {
        run_guarded(in, res, start, charge, guarded_loop(mode));
        return;
    }
    switch (mode) {
    case PVM_GAS_SYNC: pvm_interp_loop_sync_checked(in, res, start, charge, NULL, NULL); break;
    case PVM_GAS_ASYNC: pvm_interp_loop_async_checked(in, res, start, charge, NULL, NULL); break;
    default: pvm_interp_loop_nogas_checked(in, res, start, charge, NULL, NULL); break;
    }
}
