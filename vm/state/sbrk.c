/* sbrk, the one instruction whose semantics need the instance's layout and
 * heap: shared by the interpreter and the recompiler's helper. */
#include "vm/memory/lazy.h"
#include "vm/state/vm_state.h"

/* Grow the heap by size bytes. GP 0.7 returns the previous top (the base of
 * the new region); PolkaVM's Latest variants return the new top. 0 = failure. */
static uint64_t page_up(uint64_t x) { return (x + PVM_PAGE - 1) & ~(uint64_t)(PVM_PAGE - 1); }

uint64_t pvm_instance_sbrk(pvm_instance *in, uint64_t size)
{
    const pvm_layout *L = &in->module->layout;
    uint64_t old = in->heap_top, top = old + size;
    bool gp = in->module->prog.isa == PVM_ISA_GP07;
    if (size > UINT32_MAX || top > L->heap_limit) return 0;
    /* Map the pages between the end of what is mapped already (the layout's rw
     * region, or the heap's last page) and the new top. */
    uint64_t mapped_end = L->rw_addr + L->rw_len, old_end = page_up(old), want = page_up(top);
    uint64_t from = old_end > mapped_end ? old_end : mapped_end;
    if (want > from && mapped_end >= PVM_LOW_LIMIT) {
        uint32_t n = (uint32_t)(want - from);
        if ((in->mem.lazy ? pvm_lazy_map(&in->mem, (uint32_t)from, n, PVM_ACCESS_WRITE, NULL, 0, NULL)
                          : pvm_memory_map(&in->mem, (uint32_t)from, n, PVM_ACCESS_WRITE, NULL)) != PVM_OK)
            return 0;
    }
    in->heap_top = (uint32_t)top;
    return gp ? old : top;
}
