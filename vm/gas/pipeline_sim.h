/* The pipeline simulator: a static, cycle-level simulation of one basic
 * block on an out-of-order core (PolkaVM's Full model, GP 0.8.0 gas).
 * Integer-only and a pure function of (params, block, code bytes). */
#ifndef PVM_GAS_PIPELINE_SIM_H
#define PVM_GAS_PIPELINE_SIM_H
#include <stdbool.h>
#include <stdint.h>
#include "pipeline_params.h"
#include "vm/program/decode.h"

/* Timeline letters, one per (cycle, instruction) event. */
enum {
    PVM_EV_DECODE = 'D',
    PVM_EV_WAIT = '=',     /* decoded, waiting for operands or a unit */
    PVM_EV_EXECUTE = 'e',
    PVM_EV_EXECUTED = 'E', /* last cycle of execution: result visible */
    PVM_EV_RETIRE_WAIT = '-',
    PVM_EV_RETIRE = 'R'
};

/* Called for every event; line = instruction index inside the block (the
 * implicit end-of-block trap, if any, is line `count`). */
typedef void (*pvm_pipeline_event_fn)(void *ctx, uint64_t cycle, uint32_t line, char event);

typedef struct {
    bool fast_forward;             /* skip idle cycles in bulk (same result, fewer ticks) */
    pvm_pipeline_event_fn on_event; /* NULL = no tracing */
    void *ctx;
} pvm_pipeline_run_opts;

/* Simulate block `block` of d. Returns the total cycle count; *lines (if not
 * NULL) gets the number of timeline lines. p must pass
 * pvm_pipeline_params_check (NULL = the reference L2-hit parameters). */
uint64_t pvm_pipeline_run(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block,
                          const pvm_pipeline_run_opts *opts, uint32_t *lines);

/* The parameters as the simulator reads them per instruction, for one
 * program's width: per class the latency and decode slots (64-bit additions
 * applied; a branch's latency is its prediction's) and the units packed, and
 * the ISA's trap and unlikely opcodes. Made once for the many blocks of one
 * program (pvm_pipeline_run makes one per call). */
typedef struct {
    uint32_t latency, decode, decode_distinct;
    uint64_t need; /* units, one byte each */
} pvm_pipeline_class_prepared;
typedef struct {
    const pvm_pipeline_params *p; /* borrowed */
    int trap, unlikely;           /* encoded opcodes */
    pvm_pipeline_class_prepared cls[PVM_CLASS_COUNT];
} pvm_pipeline_prepared;

/* p must pass pvm_pipeline_params_check and outlive out; d gives the width and ISA. */
void pvm_pipeline_prepare(const pvm_pipeline_params *p, const pvm_decoded *d, pvm_pipeline_prepared *out);
/* pvm_pipeline_run with prepared parameters (the same result). */
uint64_t pvm_pipeline_run_prepared(const pvm_pipeline_prepared *pp, const pvm_decoded *d, uint32_t block,
                                   const pvm_pipeline_run_opts *opts, uint32_t *lines);

/* PolkaVM's rule (interpreter flavour): a branch is predicted if the byte after
 * it or at its target is trap/unlikely, or lies outside the code. */
bool pvm_pipeline_branch_predicted(const pvm_decoded *d, const pvm_instr *in);
/* The same with the opcodes from pp. */
bool pvm_pipeline_predicted(const pvm_pipeline_prepared *pp, const pvm_decoded *d, const pvm_instr *in);

/* Pipeline costs of all blocks of d into costs[0..n_blocks), each distinct
 * block shape simulated once (pipeline_block_costs.c): the same numbers as
 * pvm_pipeline_block_cost per block. false (nothing written) when out of memory. */
bool pvm_pipeline_block_costs(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t *costs);
/* The same for blocks [first_block, end_block) only (costs of the others
 * untouched): two ranges can run on two threads (block_costs_parallel.c). */
bool pvm_pipeline_block_costs_range(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t *costs,
                                    uint32_t first_block, uint32_t end_block);

/* The cost of one block with prepared parameters (pvm_pipeline_block_cost's). */
uint32_t pvm_pipeline_fresh_cost(const pvm_pipeline_prepared *pp, const pvm_decoded *d, uint32_t block);

/* Block cost from a cycle count: max(cycles - slack, 1), saturated to u32. */
uint32_t pvm_pipeline_cost_from_cycles(const pvm_pipeline_params *p, uint64_t cycles);
#endif
