/* Loop-carried load chains ("pointer chasing"): a static property of a block that the
 * per-block cost models cannot see, because it spans iterations. */
#ifndef PVM_GAS_CHASE_LOADS_H
#define PVM_GAS_CHASE_LOADS_H
#include <stdint.h>
#include "vm/program/decode.h"

/* The hops of a load chain that a short loop carries from one iteration to the next: the
 * most loads in a row, within one iteration, whose address depends on a value that a load
 * of the previous iteration produced (at = a[at]: 1; p = p->next->next: 2; a binary
 * search whose next probe's index comes from the last probe's compare: 1). A loop is a
 * cycle of at most four blocks along branches, jumps and fallthroughs (not calls or
 * computed jumps); its hops are counted at its lowest-numbered block (which runs once per
 * iteration), the most of any loop that block starts. 0 for a block that starts no such
 * loop, and for a loop whose loads take their addresses only from values no load of the
 * loop produced (a[i], stack reloads). Such a chain's loads cannot overlap: each waits for
 * the one before it, a whole memory round trip, which a model that prices a load by its
 * place in one pass through a block (the pipeline model's drain) or by its op (the table
 * model) does not charge. */
uint32_t pvm_gas_chase_hops(const pvm_decoded *d, uint32_t block);
#endif
