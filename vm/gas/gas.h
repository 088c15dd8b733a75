/* The metering pass: one gas cost per basic block, computed once when a
 * module is compiled, from a cost model. Both backends charge exactly these
 * numbers, so their gas agrees by construction. Integer arithmetic only. */
#ifndef PVM_GAS_H
#define PVM_GAS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pvm/pvm.h"
#include "vm/program/decode.h"
#include "pipeline_params.h"
#include "cost_table.h"

typedef enum {
    PVM_COST_UNIT,     /* 1 per instruction (GP 0.7.x; the conformance vectors) */
    PVM_COST_TABLE,    /* one integer per opcode (+ invalid) */
    PVM_COST_PIPELINE  /* static out-of-order pipeline simulation per block */
} pvm_cost_kind;

struct pvm_cost_model {
    pvm_cost_kind kind;
    char name[1024]; /* as given to pvm_cost_model_new (table paths included) */
    uint32_t op_cost[PVM_OP_COUNT]; /* PVM_COST_TABLE; PVM_OP_INVALID = invalid/implicit trap */
    pvm_pipeline_params *pipeline;  /* PVM_COST_PIPELINE, owned */
    pvm_host_costs host;            /* lazy-page and memset charges (every kind) */
};

/* The host charges of a model (m NULL = unit: the reference charges). */
pvm_host_costs pvm_gas_host_costs(const pvm_cost_model *m);

/* The op a cost model charges for `in`: its decoded op, except that a
 * conditional branch the decoder turned into PVM_OP_INVALID (its target or
 * fall-through is not a block start: GP 0.8 / PolkaVM) is charged as that
 * branch, which is what PolkaVM's gas visitor sees (it reads the raw
 * instruction; only execution is replaced by a trap). */
pvm_op pvm_gas_charged_op(const pvm_decoded *d, const pvm_instr *in);

/* Cost of one block (>= 1 for every model; saturates at UINT32_MAX), a
 * loop's carried load chain included (chase_loads.h: hops x the model's
 * host.chase_hop). m NULL = unit. */
uint32_t pvm_gas_block_cost(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block);
/* Add the carried-load-chain charges to costs computed without them (the
 * pipeline's batch paths); nothing when the model has none. */
void pvm_gas_add_chase_charges(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs);
/* Raises each self-looping block's pipeline cost in costs[] to its recurrence floor
 * (recurrence.h; the table's recurrence.milligas_per_cycle), before the chase charges; a
 * no-op for other models and for tables without one. */
void pvm_gas_apply_recurrence_floors(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs);
/* Fill costs[0..d->n_blocks); cached: read and keep the process-wide block-cost
 * cache (block_cost_cache.h), else compute afresh and leave it as it was. */
void pvm_gas_compute_block_costs(const pvm_cost_model *m, const pvm_decoded *d, bool cached, uint32_t *costs);

/* Pipeline model cost of one block: max(cycles - slack, 1). p must pass
 * pvm_pipeline_params_check; NULL = the reference L2-hit parameters. */
uint32_t pvm_pipeline_block_cost(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block);

/* Render the block's cycle-by-cycle timeline into buf (NUL-terminated,
 * truncated to cap-1 bytes): a line per instruction, a column per cycle,
 * letters D decode, = wait, e execute, E executed, - wait to retire,
 * R retire, '.' idle; then the mnemonic; last line "cycles N, cost M".
 * Returns the full length (excluding NUL) like snprintf, or 0 if the block
 * is too big to render (more than 2^26 cells) or memory ran out. */
size_t pvm_pipeline_timeline(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block, char *buf,
                             size_t cap);
/* The same, choosing whether the simulator skips idle cycles in bulk (the
 * rendering fills the skipped cells); the result must not depend on it. */
size_t pvm_pipeline_timeline_mode(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block,
                                  bool fast_forward, char *buf, size_t cap);
#endif
