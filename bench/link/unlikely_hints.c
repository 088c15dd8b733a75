/* Gas-aware `unlikely` hints (PolkaVM's linker does the same, with its own rules; this is
 * ours). Under the pipeline cost model a conditional branch costs a full misprediction
 * (branch.miss) unless the instruction after it or at its target is `trap` or `unlikely`
 * (then branch.hit). `unlikely` does nothing when run, but the model gives it 40 cycles of
 * latency that need no unit and depend on nothing, so in a block that already takes 40
 * cycles (a load feeding a mispredicted branch, a store, a division) it is hidden by the
 * rest and the block costs the same. Putting it at the start of such a block, where a
 * conditional branch enters, makes that branch cheap for free.
 *
 * Three translations of the same ELF (the translator is deterministic, so the instruction
 * streams differ only by the inserted `unlikely`s):
 *   1. no hints; records where each RISC-V instruction's translation starts in the PVM code;
 *   2. `unlikely` at every candidate: a block that a conditional branch jumps to or falls
 *      through to, that no jump table entry or export names (a dynamic entry pays nothing
 *      for a branch), that does not already start with trap/unlikely, and whose first PVM
 *      instruction starts a RISC-V instruction's translation (so it can be emitted there);
 *   3. `unlikely` only where block b's cost in pass 2 is not above its cost in pass 1, both
 *      under the reference L2-hit pipeline model with the program's own width. b's own
 *      terminating branch is taken as mispredicted in both unless it already was predicted
 *      in pass 1 (other blocks' hints may make it predicted; that only lowers the cost).
 * Then every block's cost in the result is checked against pass 1 (it can only fall: a
 * block changes by its own hint, chosen not to raise it, and by its branch becoming
 * predicted); a block that rose anyway loses its hint and pass 3 runs again.
 *
 * PolkaVM differs: its linker simulates every block as a 64-bit program (B64) with all
 * branches mispredicted, so it may raise a block whose branch was already predicted or
 * a 32-bit program's block; and it also marks, whatever the cost, blocks from which every
 * path ends in a trap and the non-looping side of a branch whose other side loops forever.
 * We keep to "never raises a block's cost". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "link_internal.h"
#include "vm/gas/gas.h"
#include "vm/gas/pipeline_sim.h"
#include "vm/program/program.h"

enum { MAX_REPAIR_ROUNDS = 8, UNLIKELY_CACHE_LEVEL = 2 /* PolkaVM's linker: L2 hit */ };

typedef struct {
    pvm_program prog;
    pvm_decoded d;
    uint32_t *cost;        /* per block, reference parameters */
    uint32_t *cost_forced; /* per block, every branch mispredicted (NULL unless asked) */
} decoded_link;

static void decoded_link_free(decoded_link *x)
{
    free(x->cost);
    free(x->cost_forced);
    pvm_decoded_free(&x->d);
    pvm_program_free(&x->prog);
}

/* Parses and decodes a program the linker produced, with its block costs. */
static bool decode_link(const pvm_pipeline_params *model, const uint8_t *bytes, size_t len, bool forced,
                        decoded_link *x, char *msg, size_t msg_size)
{
    memset(x, 0, sizeof *x);
    pvm_error err = {{0}};
    if (pvm_program_parse(bytes, len, PVM_FORMAT_POLKAVM, PVM_ISA_LATEST64, &x->prog, &err) != PVM_OK) {
        snprintf(msg, msg_size, "internal error: unlikely hints: the program does not parse: %s", err.msg);
        return false;
    }
    if (pvm_decode_program(x->prog.isa, x->prog.code, x->prog.code_len, x->prog.bitmask, x->prog.jump_table,
                           x->prog.jt_len, &x->d, &err) != PVM_OK) {
        pvm_program_free(&x->prog);
        snprintf(msg, msg_size, "internal error: unlikely hints: the program does not decode: %s", err.msg);
        return false;
    }
    pvm_pipeline_params ref, miss;
    if (model) ref = *model;
    else pvm_pipeline_reference(UNLIKELY_CACHE_LEVEL, &ref);
    miss = ref;
    miss.branch_hit = miss.branch_miss;
    size_t n = x->d.n_blocks ? x->d.n_blocks : 1;
    x->cost = malloc(n * sizeof *x->cost);
    x->cost_forced = forced ? malloc(n * sizeof *x->cost_forced) : NULL;
    if (!x->cost || (forced && !x->cost_forced) || !pvm_pipeline_block_costs(&ref, &x->d, x->cost) ||
        (forced && !pvm_pipeline_block_costs(&miss, &x->d, x->cost_forced))) {
        decoded_link_free(x);
        snprintf(msg, msg_size, "out of memory");
        return false;
    }
    return true;
}

static const pvm_instr *terminator_of(const pvm_decoded *d, uint32_t block)
{
    return &d->instrs[d->blocks[block].first + d->blocks[block].count - 1];
}

static bool is_conditional_branch(const pvm_decoded *d, const pvm_instr *in)
{
    return pvm_op_pipeline_class(pvm_gas_charged_op(d, in)) == PVM_CLASS_BRANCH;
}

/* The implicit trap past the end of the code is not a block one can put anything into. */
static bool is_real_block(const pvm_decoded *d, uint32_t block)
{
    return d->instrs[d->blocks[block].first].pc < d->code_len;
}

/* want[insn] = 1 for the candidates of pass 2, their blocks (of x) in block_of_insn[insn];
 * returns how many, SIZE_MAX when out of memory. */
static size_t find_candidates(const decoded_link *x, const link_hint_plan *rec, uint8_t *want, uint32_t *block_of_insn)
{
    const pvm_decoded *d = &x->d;
    uint8_t *entered = calloc(d->n_blocks ? d->n_blocks : 1, 1);   /* by a conditional branch */
    uint8_t *dynamic = calloc(d->n_blocks ? d->n_blocks : 1, 1);   /* jump table entry or export */
    uint32_t *insn_at = malloc((d->n_instrs ? d->n_instrs : 1) * sizeof *insn_at); /* PVM index -> insn */
    size_t n = SIZE_MAX;
    if (!entered || !dynamic || !insn_at) goto done;
    n = 0;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        const pvm_instr *t = terminator_of(d, b);
        if (!is_conditional_branch(d, t)) continue;
        if (t->target != PVM_NO_INDEX) entered[d->instrs[t->target].block] = 1;
        uint32_t next = d->blocks[b].first + d->blocks[b].count;
        if (next < d->n_instrs) entered[d->instrs[next].block] = 1;
    }
    for (uint32_t k = 0; k < d->jt_len; k++)
        if (d->jump_table_index[k] != PVM_NO_INDEX) dynamic[d->instrs[d->jump_table_index[k]].block] = 1;
    for (uint32_t k = 0; k < x->prog.n_exports; k++) {
        uint32_t i = pvm_decoded_index(d, x->prog.exports[k].pc);
        if (i != PVM_NO_INDEX) dynamic[d->instrs[i].block] = 1;
    }
    /* The last insn whose translation starts at PVM instruction i emits it: earlier ones
     * with the same start emitted nothing, and their labels bind there too. */
    memset(insn_at, 0xFF, d->n_instrs * sizeof *insn_at);
    for (size_t k = 0; k < rec->n_insns; k++)
        if (rec->pvm_index[k] < d->n_instrs) insn_at[rec->pvm_index[k]] = (uint32_t)k;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        uint32_t first = d->blocks[b].first;
        pvm_op op = (pvm_op)d->instrs[first].op;
        if (!entered[b] || dynamic[b] || !is_real_block(d, b) || op == PVM_OP_TRAP || op == PVM_OP_UNLIKELY) continue;
        uint32_t k = insn_at[first];
        if (k == UINT32_MAX) continue; /* starts inside one RISC-V instruction's translation */
        want[k] = 1;
        block_of_insn[k] = b;
        n++;
    }
done:
    free(entered), free(dynamic), free(insn_at);
    return n;
}

/* Pass 2 against pass 1: keeps want[k] where the hint does not raise block_of_insn[k]'s cost.
 * False when the two programs do not line up block for block (an internal error). */
static bool choose(const decoded_link *plain, const decoded_link *all, uint8_t *want, const uint32_t *block_of_insn,
                   size_t n_insns)
{
    const pvm_decoded *d0 = &plain->d, *d1 = &all->d;
    if (d0->n_blocks != d1->n_blocks) return false;
    uint8_t *hinted = calloc(d0->n_blocks ? d0->n_blocks : 1, 1);
    if (!hinted) return false;
    for (size_t k = 0; k < n_insns; k++)
        if (want[k]) hinted[block_of_insn[k]] = 1;
    bool ok = true;
    for (uint32_t b = 0; b < d0->n_blocks && ok; b++)
        ok = d1->blocks[b].count == d0->blocks[b].count + hinted[b] &&
             (!hinted[b] || d1->instrs[d1->blocks[b].first].op == PVM_OP_UNLIKELY);
    for (size_t k = 0; k < n_insns && ok; k++) {
        if (!want[k]) continue;
        uint32_t b = block_of_insn[k];
        const pvm_instr *t = terminator_of(d0, b);
        bool was_mispredicted = is_conditional_branch(d0, t) && !pvm_pipeline_branch_predicted(d0, t);
        uint32_t with_hint = was_mispredicted ? all->cost_forced[b] : all->cost[b];
        want[k] = with_hint <= plain->cost[b];
    }
    free(hinted);
    return ok;
}

static void count_branches(const pvm_decoded *d, size_t *conditional, size_t *predicted)
{
    *conditional = *predicted = 0;
    for (uint32_t b = 0; b < d->n_blocks; b++) {
        const pvm_instr *t = terminator_of(d, b);
        if (!is_conditional_branch(d, t)) continue;
        (*conditional)++;
        *predicted += pvm_pipeline_branch_predicted(d, t);
    }
}

static uint64_t cost_sum(const decoded_link *x)
{
    uint64_t s = 0;
    for (uint32_t b = 0; b < x->d.n_blocks; b++) s += x->cost[b];
    return s;
}

bool link_with_unlikely_hints(const elf_file *elf, const link_options *opt, uint8_t **out, size_t *out_len,
                              link_stats *stats, char *msg, size_t msg_size)
{
    link_hint_plan plan = {.record = true};
    uint8_t *plain_bytes = NULL, *bytes = NULL, *want = NULL;
    uint32_t *block_of_insn = NULL;
    size_t plain_len = 0, len = 0, candidates = 0;
    decoded_link plain = {0}, all = {0}, result = {0};
    bool have_plain = false, have_result = false, ok = false;
    link_stats plain_stats, scratch;

    /* 1. No hints: the program as it would be, and where each insn starts. */
    if (!link_pass(elf, opt, &plan, &plain_bytes, &plain_len, &plain_stats, msg, msg_size)) goto done;
    if (!(have_plain = decode_link(opt->unlikely_model, plain_bytes, plain_len, false, &plain, msg, msg_size))) goto done;
    plan.record = false;
    want = calloc(plan.n_insns ? plan.n_insns : 1, 1);
    block_of_insn = malloc((plan.n_insns ? plan.n_insns : 1) * sizeof *block_of_insn);
    if (!want || !block_of_insn) {
        snprintf(msg, msg_size, "out of memory");
        goto done;
    }
    candidates = find_candidates(&plain, &plan, want, block_of_insn);
    if (candidates == SIZE_MAX) {
        snprintf(msg, msg_size, "out of memory");
        goto done;
    }
    plan.unlikely_before = want;
    if (candidates) {
        /* 2. A hint at every candidate, priced block by block. */
        if (!link_pass(elf, opt, &plan, &bytes, &len, &scratch, msg, msg_size)) goto done;
        bool decoded = decode_link(opt->unlikely_model, bytes, len, true, &all, msg, msg_size);
        free(bytes), bytes = NULL;
        if (!decoded) goto done;
        bool lined_up = choose(&plain, &all, want, block_of_insn, plan.n_insns);
        decoded_link_free(&all);
        if (!lined_up) {
            snprintf(msg, msg_size, "internal error: unlikely hints: the hinted translation has other blocks");
            goto done;
        }
    }
    /* 3. The chosen hints; a block that came out dearer than without hints loses its own. */
    for (int round = 0; round < MAX_REPAIR_ROUNDS; round++) {
        size_t inserted = 0;
        for (size_t k = 0; k < plan.n_insns; k++) inserted += want[k];
        if (!inserted) break;
        if (!link_pass(elf, opt, &plan, &bytes, &len, stats, msg, msg_size)) goto done;
        if (!(have_result = decode_link(opt->unlikely_model, bytes, len, false, &result, msg, msg_size))) goto done;
        if (result.d.n_blocks != plain.d.n_blocks) {
            snprintf(msg, msg_size, "internal error: unlikely hints: the hinted translation has other blocks");
            goto done;
        }
        bool dearer = false;
        for (size_t k = 0; k < plan.n_insns; k++)
            if (want[k] && result.cost[block_of_insn[k]] > plain.cost[block_of_insn[k]]) want[k] = 0, dearer = true;
        /* A block without a hint can only have become cheaper (its branch predicted); if
         * the model ever says otherwise, trust it and keep no hint at all. */
        for (uint32_t b = 0; b < plain.d.n_blocks; b++)
            if (result.cost[b] > plain.cost[b] && !dearer) memset(want, 0, plan.n_insns), dearer = true;
        if (!dearer) {
            *out = bytes, *out_len = len, bytes = NULL;
            stats->unlikely_inserted = inserted;
            break;
        }
        decoded_link_free(&result), have_result = false;
        free(bytes), bytes = NULL;
    }
    if (!have_result) { /* no hint kept: the plain program */
        *out = plain_bytes, *out_len = plain_len, plain_bytes = NULL;
        *stats = plain_stats;
    }
    const decoded_link *final = have_result ? &result : &plain;
    stats->unlikely_candidates = candidates;
    stats->block_cost_sum_before = cost_sum(&plain);
    stats->block_cost_sum_after = cost_sum(final);
    size_t conditional;
    count_branches(&plain.d, &conditional, &stats->predicted_branches_before);
    count_branches(&final->d, &stats->conditional_branches, &stats->predicted_branches_after);
    ok = true;
done:
    if (have_plain) decoded_link_free(&plain);
    if (have_result) decoded_link_free(&result);
    free(plain_bytes), free(bytes), free(want), free(block_of_insn), free(plan.pvm_index);
    return ok;
}
