/* Block costs of a large program on two threads. The pipeline model's
 * simulation of a large program costs about half of its code generation, and
 * every block's cost is a function of that block alone: the blocks are split
 * in two halves by instruction count, the second half simulated on another
 * thread while this one simulates the first. The costs are the ones
 * pvm_gas_compute_block_costs gives (the same function of the same inputs;
 * each half keeps its own memo of block shapes, which only saves simulations). */
#ifndef PVM_GAS_BLOCK_COSTS_PARALLEL_H
#define PVM_GAS_BLOCK_COSTS_PARALLEL_H
#include <stdint.h>
#include "gas.h"

/* Fill costs[0..d->n_blocks) for m, as pvm_gas_compute_block_costs (block-cost
 * cache included), on two threads when that pays: the pipeline model and at
 * least 16384 instructions, unless PVMLAB_SERIAL_BLOCK_COSTS=1 (or no thread
 * could be started). Returns the CPU time (ns) the second thread used, 0 when
 * there was none. */
uint64_t pvm_gas_compute_block_costs_parallel(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs);
#endif
