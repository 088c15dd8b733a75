/* See memset_runs.h. */
#include <string.h>

#include "lazy.h"
#include "memset_runs.h"

bool pvm_memset_runs(const pvm_memory *m, uint64_t *a0, uint64_t *a2, uint8_t byte, bool is64, pvm_gas_mode mode,
                     int64_t per_byte, int64_t *gas)
{
    while (*a2) {
        uint32_t at = (uint32_t)*a0;
        uint64_t run = PVM_PAGE - (at & (PVM_PAGE - 1)); /* to the page's end; never past 2^32 */
        if (run > *a2) run = *a2;
        if (mode == PVM_GAS_SYNC && per_byte > 0) { /* bytes the gas pays for, each checked before it */
            uint64_t afford = *gas > 0 ? (uint64_t)*gas / (uint64_t)per_byte : 0;
            if (run > afford) run = afford;
            if (!run) break;
        }
        if (!pvm_memory_can(m, at, (uint32_t)run, PVM_ACCESS_WRITE)) break;
        memset(m->base + at, byte, run);
        if (mode != PVM_GAS_NONE) *gas = (int64_t)((uint64_t)*gas - run * (uint64_t)per_byte);
        /* run stays inside 2^32, so a 32-bit program's low word adds without a carry out */
        *a0 = is64 ? *a0 + run : (uint64_t)(int64_t)(int32_t)(uint32_t)(*a0 + run);
        *a2 -= run;
    }
    return *a2 != 0;
}

pvm_memset_end pvm_memset_fill(pvm_memory *m, uint64_t *a0, uint64_t *a2, uint8_t byte, bool is64, pvm_gas_mode mode,
                               int64_t per_byte, int64_t *gas, uint32_t *fault_address, pvm_memory_trace_fn trace,
                               void *trace_ctx)
{
    while (trace ? *a2 != 0 : pvm_memset_runs(m, a0, a2, byte, is64, mode, per_byte, gas)) {
        uint32_t at = (uint32_t)*a0;
        if (mode != PVM_GAS_NONE) {
            if (mode == PVM_GAS_SYNC && *gas < per_byte) return PVM_MEMSET_OUT_OF_GAS;
            *gas = (int64_t)((uint64_t)*gas - (uint64_t)per_byte);
        }
        if (!pvm_memory_can(m, at, 1, PVM_ACCESS_WRITE)) {
            if (m->lazy && pvm_memory_lazy_fault(m, at, 1, true, mode, gas) == PVM_LAZY_OUT_OF_GAS)
                return PVM_MEMSET_OUT_OF_GAS;
            if (!pvm_memory_can(m, at, 1, PVM_ACCESS_WRITE)) {
                uint32_t fault = 0;
                if (pvm_memory_check_slow(m, at, 1, true, &fault) == 1) return PVM_MEMSET_PANIC;
                *fault_address = fault;
                return PVM_MEMSET_PAGE_FAULT;
            }
        }
        if (trace) trace(trace_ctx, at, 1, true);
        m->base[at] = byte;
        *a0 = is64 ? *a0 + 1 : (uint64_t)(int64_t)(int32_t)(uint32_t)(*a0 + 1);
        *a2 -= 1;
    }
    return mode == PVM_GAS_ASYNC && *gas < 0 ? PVM_MEMSET_OUT_OF_GAS : PVM_MEMSET_DONE;
}
