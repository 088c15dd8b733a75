/* The interpreter's instruction records (interp.h: pvm_interp_op), built once per
 * module from the decoder's records and the block costs. Which field `aux` holds
 * comes from the operand kind: a static target for the kinds with an offset, else
 * the second immediate. A target is the record a jump enters its block at
 * (pvm_interp_entry: past a leading unlikely), as a byte offset, so that a taken
 * branch adds it to the records' base with no multiply. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "interp.h"
#include "vm/isa/isa.h"
#include "vm/state/vm_state.h"
#include "vm/util/error.h"
#include "vm/util/large_alloc.h"

/* Where the records start within their 4 KiB page. Nearly every handler stores into the
 * register file, and a load whose address equals an in-flight store's modulo 4 KiB waits
 * for it on this hardware (AMD Zen 5: a microbenchmark's dependent load took 24.5 TSC
 * ticks instead of 14.7). Every instance's register file sits at PVM_INSTANCE_REGS_PAGE_OFFSET
 * in its page (vm/api/instance.c), and the records whose page offsets overlap it
 * pay that wait on every dispatch: with the file placed by the heap, bytecode_vm ran 1.21x
 * and edit_distance 1.13x slower at their worst placement than at their best (interp-38,
 * vm/interp/README.md). The records are shifted by a multiple of 64 bytes (two records to
 * a line) so that the overlapping slots hold the records least likely to be hot: each
 * record weighs the number of static back edges whose span [target block, branching block]
 * holds it (a pass over the blocks; per instruction only inside loops). */
enum { PAGE = 4096, SLOT = sizeof(pvm_interp_op), SLOTS = PAGE / sizeof(pvm_interp_op), SHIFT_STEP = 64 };

/* PVMLAB_INTERP_RECORDS_SHIFT=worst|N, the A/B switch of the choice below (a measurement
 * aid): the worst shift, or N bytes (decimal, a multiple of SHIFT_STEP below PAGE); unset or
 * empty, the best. Anything else fails the compile, so that an A/B is never run on a typo. */
typedef struct forced_shift {
    enum { SHIFT_BEST, SHIFT_WORST, SHIFT_FIXED } choice;
    size_t bytes; /* SHIFT_FIXED */
} forced_shift;

static pvm_status read_forced_shift(forced_shift *out, pvm_error *err)
{
    static const char NAME[] = "PVMLAB_INTERP_RECORDS_SHIFT";
    const char *value = getenv(NAME);
    *out = (forced_shift){SHIFT_BEST, 0};
    if (!value || !*value) return PVM_OK;
    if (strcmp(value, "worst") == 0) {
        out->choice = SHIFT_WORST;
        return PVM_OK;
    }
    size_t n = 0, len = strspn(value, "0123456789");
    for (size_t i = 0; i < len && n < PAGE; i++) n = n * 10 + (size_t)(value[i] - '0');
    if (len == 0 || value[len] != '\0' || n >= PAGE || n % SHIFT_STEP != 0)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "%s=%s: neither \"worst\" nor a multiple of %d from 0 to %d",
                        NAME, value, SHIFT_STEP, PAGE - SHIFT_STEP);
    *out = (forced_shift){SHIFT_FIXED, n};
    return PVM_OK;
}

static size_t records_shift(const pvm_decoded *d, forced_shift forced)
{
    if (forced.choice == SHIFT_FIXED) return forced.bytes;
    uint64_t weight[SLOTS] = {0}; /* by page slot at shift 0 */
    int32_t *span = calloc((size_t)d->n_blocks + 1, sizeof *span); /* by block: back edges opened, closed */
    if (!span) return 0;
    for (uint32_t k = 0; k < d->n_blocks; k++) { /* a back edge is a terminator's, to its block or before */
        uint32_t t = d->blocks[k].target_block;
        if (t != PVM_NO_INDEX && t <= k) span[t]++, span[k + 1]--;
    }
    int32_t depth = 0;
    for (uint32_t k = 0; k < d->n_blocks; k++) {
        depth += span[k];
        const pvm_block *b = &d->blocks[k];
        for (uint32_t i = b->first; depth > 0 && i < b->first + b->count; i++) weight[i % SLOTS] += (uint64_t)depth;
    }
    free(span);
    size_t file_from = PVM_INSTANCE_REGS_PAGE_OFFSET;
    size_t file_to = file_from + sizeof(((struct pvm_instance *)0)->regs);
    size_t best = 0, worst = 0;
    uint64_t best_cost = UINT64_MAX, worst_cost = 0;
    for (size_t shift = 0; shift < PAGE; shift += SHIFT_STEP) {
        uint64_t cost = 0;
        for (size_t slot = 0; slot < SLOTS; slot++) {
            size_t from = (shift + slot * SLOT) % PAGE; /* the slot's bytes, page offsets */
            if (from < file_to && from + SLOT > file_from) cost += weight[slot];
        }
        if (cost < best_cost) best_cost = cost, best = shift;
        if (cost > worst_cost) worst_cost = cost, worst = shift;
    }
    return forced.choice == SHIFT_WORST ? worst : best;
}

static size_t records_bytes(uint32_t n) { return (size_t)n * SLOT + PAGE; }

pvm_status pvm_interp_code_alloc(const pvm_decoded *d, pvm_interp_op **out, pvm_error *err)
{
    forced_shift forced;
    pvm_status st = read_forced_shift(&forced, err);
    if (st) return st;
    /* A program past the limit is refused as too large (its records' byte offsets would not fit
     * a jump's 32-bit aux), not reported as out of memory. */
    if (d->n_instrs > PVM_INTERP_MAX_INSTRS)
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "%u instructions is more than the interpreter's %u", d->n_instrs,
                        (unsigned)PVM_INTERP_MAX_INSTRS);
    uint8_t *page = util_alloc_large_paged(records_bytes(d->n_instrs));
    if (!page) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the interpreter's records");
    *out = (pvm_interp_op *)(page + records_shift(d, forced)); /* pvm_interp_code_free finds page */
    return PVM_OK;
}

void pvm_interp_code_fill(const pvm_decoded *d, const uint32_t *cost, const pvm_interp_handlers *h,
                          pvm_interp_op *code, uint32_t first_block, uint32_t end_block)
{
    for (uint32_t k = first_block; k < end_block; k++) {
        const pvm_block *b = &d->blocks[k];
        for (uint32_t i = b->first; i < b->first + b->count; i++) {
            const pvm_instr *in = &d->instrs[i];
            uint32_t aux = (uint32_t)in->imm2;
            if (pvm_kind_has_target(pvm_op_table[in->op].kind))
                aux = in->target == PVM_NO_INDEX ? PVM_NO_INDEX
                                                 : pvm_interp_entry(d, in->target) * (uint32_t)sizeof *code;
            const void *handler = !h ? NULL : pvm_interp_bad_target(in) ? h->bad_target[in->op] : h->by_xop[in->xop];
            code[i] = (pvm_interp_op){
                .handler = handler,
                .imm = in->imm,
                .aux = aux,
                .cost = i == b->first && cost ? cost[k] : 0,
                .left = b->first + b->count - i,
                .a = in->a,
                .b = in->b,
                .d = in->d,
            };
            if (pvm_interp_has_next((pvm_op)in->op)) code[i].next = pvm_interp_next_step(d, i);
        }
        /* The block's entry record past an unlikely pays the block and counts the unlikely. */
        uint32_t entry = pvm_interp_entry(d, b->first);
        if (entry != b->first) {
            code[entry].cost = cost ? cost[k] : 0;
            code[entry].left++;
            code[entry].skip = 1;
        }
    }
}

uint32_t *pvm_interp_jump_table_build(const pvm_decoded *d)
{
    uint32_t *jt = malloc((d->jt_len ? d->jt_len : 1) * sizeof *jt);
    if (!jt) return NULL;
    for (uint32_t k = 0; k < d->jt_len; k++) {
        uint32_t t = d->jump_table_index[k];
        jt[k] = t == PVM_NO_INDEX ? PVM_NO_INDEX : pvm_interp_entry(d, t) * (uint32_t)sizeof(pvm_interp_op);
    }
    return jt;
}

void pvm_interp_code_free(pvm_interp_op *code, uint32_t n)
{
    if (code) util_free_large((void *)((uintptr_t)code & ~(uintptr_t)(PAGE - 1)), records_bytes(n));
}
