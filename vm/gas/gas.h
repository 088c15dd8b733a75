/* The metering pass: one gas cost per basic block, computed once when a
 * module is compiled, from a cost model. Both backends charge exactly these
 * numbers, so their gas agrees by construction. Integer arithmetic only. */
#ifndef PVM_GAS_H
#define PVM_GAS_H
#include <stdint.h>
#include "pvm/pvm.h"
#include "program/decode.h"

typedef enum {
    PVM_COST_UNIT,     /* 1 per instruction (GP 0.7.x; the conformance vectors) */
    PVM_COST_TABLE,    /* one integer per opcode (+ invalid) */
    PVM_COST_PIPELINE  /* static out-of-order pipeline simulation per block */
} pvm_cost_kind;

/* Parameters of the pipeline model (PolkaVM "Full" / GP 0.8.0 defaults). */
typedef struct pvm_pipeline_params pvm_pipeline_params;

struct pvm_cost_model {
    pvm_cost_kind kind;
    char name[128];
    uint32_t op_cost[PVM_OP_COUNT]; /* PVM_COST_TABLE; PVM_OP_INVALID = invalid/implicit trap */
    pvm_pipeline_params *pipeline;  /* PVM_COST_PIPELINE, owned */
};

/* Cost of one block (>= 1 for every model; saturates at UINT32_MAX). */
uint32_t pvm_gas_block_cost(const pvm_cost_model *m, const pvm_decoded *d, uint32_t block);
/* Fill costs[0..d->n_blocks). */
void pvm_gas_compute_block_costs(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs);
#endif
