/* Loop-carried load chains ("pointer chasing"): a static property of a block that the
 * per-block cost models cannot see, because it spans iterations. */
#ifndef PVM_GAS_CHASE_LOADS_H
#define PVM_GAS_CHASE_LOADS_H
#include <stdint.h>
#include "vm/program/decode.h"

/* The hops of a load chain that a self-loop block carries from one iteration to the next:
 * the most loads in a row, within one iteration, whose address depends on a value that a
 * load of the previous iteration produced (at = a[at]: 1; p = p->next->next: 2). 0 for a
 * block that does not branch or jump to its own start, and for one whose loads take their
 * addresses only from values no load of the block produced (a[i], stack reloads). Such a
 * chain's loads cannot overlap: each waits for the one before it, a whole memory round
 * trip, which a model that prices a load by its place in one pass through the block
 * (the pipeline model's drain) or by its op (the table model) does not charge. */
uint32_t pvm_gas_chase_hops(const pvm_decoded *d, uint32_t block);
#endif
