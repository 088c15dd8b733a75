/* Running compiled code: charge the entry block as the interpreter does, call
 * the entry trampoline, and turn the exit code into a pvm_result and the
 * instance's next state. Also the C helpers that generated code calls. */
#include <string.h>
#include "jit.h"
#include "vm/memory/lazy.h"
#include "vm/util/error.h"

/* Out-of-gas before entering: the same rules as the interpreter's first charge. */
static bool charge_entry(pvm_instance *in, uint32_t index, pvm_result *res)
{
    const pvm_module *m = in->module;
    pvm_gas_mode mode = m->engine->cfg.gas_mode;
    uint32_t cost = m->block_cost[m->dec.instrs[index].block];
    if (mode == PVM_GAS_SYNC) {
        if (in->gas < (int64_t)cost) goto oog;
        in->gas -= cost;
    } else if (mode == PVM_GAS_ASYNC) {
        in->gas -= cost;
        if (in->gas < 0) goto oog;
    }
    return true;
oog:
    res->kind = PVM_EXIT_OUT_OF_GAS;
    res->pc = m->dec.instrs[index].pc;
    in->pc = res->pc;
    in->state = mode == PVM_GAS_SYNC ? PVM_RUN_ENTER : PVM_RUN_DONE;
    return false;
}

/* clang's -fsanitize=function reads a type signature just before an indirect
 * call's target; generated code has none (and may start on a page boundary). */
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
static uint32_t call_generated(const jit_module *jm, jit_ctx *c, uint32_t index)
{
    return jm->entry(c, jm->code + jm->instr_off[index]);
}

static bool sign_extended(uint64_t v) { return v == (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* A narrow module's code assumes registers sign-extended from bit 31. Only a
 * helper's result (sbrk, memset's count) can break that; such runs go to the
 * interpreter, which keeps every bit. */
static bool narrow_can_enter(const pvm_instance *in)
{
    for (int r = 0; r < PVM_REG_COUNT; r++)
        if (!sign_extended(in->regs[r])) return false;
    return true;
}

/* Whether gas is too low for generated code (gas_checks.c): entering at a
 * block start charges its cost and must leave at least the bias, and so must
 * resuming inside a block (after a host call, which may have taken gas, or a
 * page fault). The interpreter runs such a stretch exactly. */
static bool below_gas_bias(const pvm_instance *in, const jit_module *jm, uint32_t index, bool resume)
{
    if (!jm->gas_bias || in->module->engine->cfg.gas_mode == PVM_GAS_NONE) return false;
    int64_t cost = resume ? 0 : (int64_t)in->module->block_cost[in->module->dec.instrs[index].block];
    return in->gas < cost + jm->gas_bias;
}

/* A block entry's check failed with a gas bias (c->gas the real count, as
 * the stub left it): out of gas exactly where the interpreter stops, or else
 * (gas short of the bias only) JIT_EXIT_GAS_CHECK again, the charge undone:
 * the interpreter runs from that entry. */
static uint32_t gas_check_failed(const pvm_module *m, jit_ctx *c, uint32_t index)
{
    int64_t cost = m->block_cost[m->dec.instrs[index].block];
    if (m->engine->cfg.gas_mode == PVM_GAS_SYNC ? c->gas < cost : c->gas < 0) return JIT_EXIT_CODE(PVM_EXIT_OUT_OF_GAS, index);
    if (m->engine->cfg.gas_mode == PVM_GAS_ASYNC) c->gas += cost;
    return JIT_EXIT_CODE(JIT_EXIT_GAS_CHECK, index);
}

pvm_status pvm_jit_run(pvm_instance *in, pvm_result *res, pvm_error *err)
{
    const pvm_module *m = in->module;
    const jit_module *jm = m->jit;
    pvm_status st; /* of the interpreter's records, built at the first hand-over */
    memset(res, 0, sizeof *res);
    if (!jm) return pvm_fail(err, PVM_ERR_STATE, "run: the module was not compiled by the recompiler");
    if ((jm->narrow && !narrow_can_enter(in)) || (jm->gs_mem && !jit_gs_enter(in->mem.base))) {
        if ((st = pvm_module_interp_ready(in->module, err))) return st;
        pvm_interp_run(in, res);
        return PVM_OK;
    }
    bool resume = in->state == PVM_RUN_RESUME;
    uint32_t index = resume ? in->resume_index : pvm_decoded_index(&m->dec, in->pc);
    if ((index != PVM_NO_INDEX && jm->inner && jm->inner[index]) || /* inside a fused sequence (the host set pc there) */
        (index != PVM_NO_INDEX && below_gas_bias(in, jm, index, resume))) {
        if ((st = pvm_module_interp_ready(in->module, err))) return st;
        pvm_interp_run(in, res);
        return PVM_OK;
    }
    if (!resume) {
        if (index == PVM_NO_INDEX) { /* no instruction starts at pc: a trap there */
            res->kind = PVM_EXIT_PANIC;
            res->pc = in->pc;
            in->state = PVM_RUN_DONE;
            return PVM_OK;
        }
        if (!charge_entry(in, index, res)) return PVM_OK;
    }
    jit_ctx c;
    memcpy(c.regs, in->regs, sizeof c.regs);
    c.gas = in->gas - jit_gas_bias_at(jm, m, index); /* no wrap: gas >= the bias (below_gas_bias) */
    c.mem_base = in->mem.base;
    c.inst = in;
    c.fault_address = 0;
    pvm_engine *e = in->module->engine;
    bool take_front = in->state != PVM_RUN_RESUME && pvm_engine_fault_front_due(e, e->jit_handler_taken);
    e->jit_handler_taken |= take_front;
    jit_ctx *prev = jit_signals_enter(&c, take_front);
    uint32_t code = call_generated(jm, &c, index);
    jit_signals_leave(prev);

    uint32_t at = JIT_EXIT_INDEX(code);
    c.gas += jit_gas_bias_at(jm, m, at);
    if (JIT_EXIT_KIND(code) == JIT_EXIT_GAS_CHECK) code = gas_check_failed(m, &c, at);
    if (JIT_EXIT_KIND(code) == JIT_EXIT_TO_INTERP || JIT_EXIT_KIND(code) == JIT_EXIT_GAS_CHECK) {
        memcpy(in->regs, c.regs, sizeof c.regs);
        in->gas = c.gas;
        in->resume_index = at;
        in->state = PVM_RUN_RESUME;
        if (JIT_EXIT_KIND(code) == JIT_EXIT_GAS_CHECK) { /* from the block's entry, charging it */
            in->pc = m->dec.instrs[at].pc;
            in->state = PVM_RUN_ENTER;
        }
        if ((st = pvm_module_interp_ready(in->module, err))) return st;
        pvm_interp_run(in, res);
        return PVM_OK;
    }
    const pvm_instr *ins = &m->dec.instrs[at];
    res->kind = JIT_EXIT_KIND(code);
    res->pc = ins->pc;
    switch (res->kind) {
    case PVM_EXIT_ECALLI:
        res->ecalli = (uint32_t)ins->imm;
        in->resume_index = at + 1;
        in->state = PVM_RUN_RESUME;
        break;
    case PVM_EXIT_PAGE_FAULT: /* resumable at the faulting instruction; its block is paid (as the interpreter) */
        res->fault_address = c.fault_address;
        in->resume_index = at;
        in->state = PVM_RUN_RESUME;
        break;
    case PVM_EXIT_OUT_OF_GAS:
        in->state = m->engine->cfg.gas_mode == PVM_GAS_SYNC ? PVM_RUN_ENTER : PVM_RUN_DONE;
        break;
    default: in->state = PVM_RUN_DONE; break;
    }
    in->pc = res->pc;
    memcpy(in->regs, c.regs, sizeof c.regs);
    in->gas = c.gas;
    return PVM_OK;
}

void pvm_jit_instance_free(pvm_instance *in) { in->jit_state = NULL; }

uint32_t pvm_jit_helper_sbrk(jit_ctx *c, uint32_t index, int64_t *gas)
{
    const pvm_module *m = c->inst->module;
    const jit_module *jm = m->jit;
    const pvm_instr *ins = &m->dec.instrs[index];
    memcpy(c->inst->regs, c->regs, sizeof c->regs);
    c->regs[ins->d] = pvm_instance_sbrk(c->inst, c->regs[ins->a]);
    if (!jm->narrow || sign_extended(c->regs[ins->d])) return 0;
    /* the next instruction may start a block that owes another amount (gas_checks.c) */
    *gas += jit_gas_bias_at(jm, m, index) - jit_gas_bias_at(jm, m, index + 1);
    return JIT_EXIT_CODE(JIT_EXIT_TO_INTERP, index + 1);
}

/* memset: fill [a0, a0+a2) with the byte a1, the model's memset gas per byte; the exits
 * (out-of-gas, page fault, panic) leave a0/a2 as the interpreter does. */
static uint32_t memset_fill(jit_ctx *c, uint32_t index, int64_t *gas);

/* *gas holds gas less the bias (and plus what the block owes); the fill charges the real
 * count. Left below the bias, the run continues on the interpreter (gas_checks.c). The
 * count goes back as the exit's instruction expects it (its block may owe another amount). */
uint32_t pvm_jit_helper_memset(jit_ctx *c, uint32_t index, int64_t *gas)
{
    const pvm_module *m = c->inst->module;
    const jit_module *jm = m->jit;
    int64_t bias = jm->gas_bias;
    int64_t left = *gas + jit_gas_bias_at(jm, m, index);
    uint32_t code = memset_fill(c, index, &left);
    if (!code && bias && m->engine->cfg.gas_mode != PVM_GAS_NONE && left < bias)
        code = JIT_EXIT_CODE(JIT_EXIT_TO_INTERP, index + 1);
    *gas = left - jit_gas_bias_at(jm, m, code ? JIT_EXIT_INDEX(code) : index);
    return code;
}

static uint32_t memset_fill(jit_ctx *c, uint32_t index, int64_t *gas)
{
    switch (pvm_instance_memset(c->inst, c->regs, gas, &c->fault_address, false)) {
    case PVM_MEMSET_DONE: return 0;
    case PVM_MEMSET_OUT_OF_GAS: return JIT_EXIT_CODE(PVM_EXIT_OUT_OF_GAS, index);
    case PVM_MEMSET_PANIC: return JIT_EXIT_CODE(PVM_EXIT_PANIC, index);
    case PVM_MEMSET_PAGE_FAULT: break;
    }
    return JIT_EXIT_CODE(PVM_EXIT_PAGE_FAULT, index);
}
