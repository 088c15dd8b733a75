/* A process-wide cache of block costs per (program, cost model): the pipeline
 * simulator costs more per instruction than decoding and code generation
 * together, and the same program is compiled again and again with the same
 * model (one engine per gas mode, bench and calibration loops, a module
 * released and compiled anew). An entry keeps a copy of the code, bitmask and
 * model it was computed from and a hit compares them byte for byte (the hash
 * only finds the candidate), so a crafted program cannot borrow another's
 * costs. Unit costs are not cached (cheaper than the lookup). Bounded (a few
 * programs), thread-safe. A module compiled with pvm_module_config.fresh_block_costs
 * neither reads nor adds to it (the benchmark's cold compiles). */
#ifndef PVM_GAS_BLOCK_COST_CACHE_H
#define PVM_GAS_BLOCK_COST_CACHE_H
#include <stdbool.h>
#include <stdint.h>
#include "gas.h"

/* Copy d's cached costs under m (d->n_blocks of them) into costs: true on a hit. */
bool pvm_block_cost_cache_get(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs);
/* Remember d's costs under m (skipped for unit costs, or when out of memory).
 * A program of 64 KiB of code or more is remembered at its second put (the
 * first only notes its key): a one-off compile copies none of its code. */
void pvm_block_cost_cache_put(const pvm_cost_model *m, const pvm_decoded *d, const uint32_t *costs);

/* The same with the hash of (d, m) computed once for a get and the put after a
 * miss (hashing the code of a large program costs about as much as a tenth of
 * its simulation): key = pvm_block_cost_cache_key(m, d), for this d and m only. */
uint64_t pvm_block_cost_cache_key(const pvm_cost_model *m, const pvm_decoded *d);
bool pvm_block_cost_cache_get_keyed(const pvm_cost_model *m, const pvm_decoded *d, uint64_t key, uint32_t *costs);
void pvm_block_cost_cache_put_keyed(const pvm_cost_model *m, const pvm_decoded *d, uint64_t key, const uint32_t *costs);
#endif
