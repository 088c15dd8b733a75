/* Loop-carried register chains ("recurrences") of self-looping blocks: a static property
 * that a per-block pipeline model cannot see, because it spans iterations. */
#ifndef PVM_GAS_RECURRENCE_H
#define PVM_GAS_RECURRENCE_H
#include <stdint.h>
#include "pipeline_params.h"
#include "vm/program/decode.h"

/* The longest register cycle through the back edge of a block that branches or jumps to its
 * own start, in model cycles of p: the most cycles from a register's value at the block's
 * entry to the next value of that same register at its end, along the block's pure ops and
 * cmovs, each taking its class latency (+ latency_b64 in a 64-bit program). A loop's next
 * iteration cannot start that chain before this one ends it, however wide the core: the
 * machine is bound by it where the model, which prices one pass through the block and lets
 * iterations overlap only through the refund, is not (edit_distance's row: add_imm_32 ->
 * min_u -> min_u). Loads end a chain (a carried load chain is chase.hop's, chase_loads.h),
 * stores and branches write nothing, a host call ends every chain. 0 for a block that does
 * not loop on itself. */
uint32_t pvm_gas_recurrence_cycles(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block);

/* The floor that recurrence puts under a self-loop's cost, in gas: ceil(cycles x
 * milligas_per_cycle / 1000) (integers only: the same on every machine), saturating. */
uint32_t pvm_gas_recurrence_floor(uint32_t cycles, uint32_t milligas_per_cycle);
#endif
