/* memset on an instance, shared by the interpreter's handler and the recompiler's helper:
 * the instruction's operands from the registers given (a0 the address, a1 the byte, a2 the
 * count; a0 and a2 move as it goes), the program's width, the engine's gas mode and its cost
 * model's gas per byte, and the memory trace when the caller is the traced loop. The callers
 * only turn the outcome into their exit (vm/memory/memset_runs.h). */
#include "vm/state/vm_state.h"

pvm_memset_end pvm_instance_memset(pvm_instance *in, uint64_t *regs, int64_t *gas, uint32_t *fault_address,
                                   bool traced)
{
    const pvm_module *m = in->module;
    return pvm_memset_fill(&in->mem, &regs[PVM_REG_A0], &regs[PVM_REG_A2], (uint8_t)regs[PVM_REG_A1],
                           m->dec.is_64bit, m->engine->cfg.gas_mode,
                           pvm_gas_host_costs(m->engine->cfg.cost_model).memset_byte, gas, fault_address,
                           traced ? in->trace_fn : NULL, in->trace_ctx);
}
