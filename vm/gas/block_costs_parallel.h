/* Block costs of a large program on two threads. Every block's cost under
 * the pipeline model is a function of that block's shape alone: the blocks
 * are split in two halves by instruction count, each thread groups its half
 * by shape (block_shapes.c), then the second looks its shapes up in the
 * first's and the two threads share the simulation of the union, each
 * distinct shape once. The costs are the ones pvm_gas_compute_block_costs
 * gives (the same function of the same inputs). */
#ifndef PVM_GAS_BLOCK_COSTS_PARALLEL_H
#define PVM_GAS_BLOCK_COSTS_PARALLEL_H
#include <stdint.h>
#include "gas.h"
#include "vm/util/thread_usage.h"

/* Fill costs[0..d->n_blocks) for m, as pvm_gas_compute_block_costs (block-cost
 * cache included when cached), on two threads when that pays: the pipeline model and at
 * least 16384 instructions, unless PVMLAB_SERIAL_BLOCK_COSTS=1 (or no thread
 * could be started). Returns what the second thread used (CPU time and
 * preemptions), zeros when there was none. */
util_thread_usage pvm_gas_compute_block_costs_parallel(const pvm_cost_model *m, const pvm_decoded *d, bool cached,
                                                       uint32_t *costs);
#endif
