/* A deterministic set-associative LRU cache hierarchy fed with a memory trace, for cache
 * misses without a PMU. Each level is looked up in turn; a miss fills the line in every
 * level that missed (write-allocate, non-inclusive: no back-invalidation); an access that
 * spans lines touches each of them. Nothing here prints or aborts. */
#ifndef PVMLAB_CACHE_SIM_H
#define PVMLAB_CACHE_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "cache_geometry.h"

typedef struct cache_sim cache_sim;

typedef struct cache_sim_counts {
    uint64_t accesses;                   /* line accesses (an access spanning two lines is two) */
    uint64_t misses[CACHE_MAX_LEVELS];   /* per level, in level order */
} cache_sim_counts;

/* A model of g's levels, all empty. Returns NULL when out of memory or g has no level. */
cache_sim *cache_sim_new(const cache_geometry *g);
void cache_sim_free(cache_sim *sim);
/* The geometry modelled (owned by sim). */
const cache_geometry *cache_sim_geometry(const cache_sim *sim);
/* Empties every level; the counts are kept. */
void cache_sim_flush(cache_sim *sim);
/* One access of size bytes (>= 1) at address. */
void cache_sim_access(cache_sim *sim, uint64_t address, uint32_t size, bool is_write);
/* The same, shaped as the VM's memory trace hook (pvm_memory_trace_fn); ctx is the sim. */
void cache_sim_trace(void *ctx, uint32_t address, uint32_t size, bool is_write);
/* Counts since creation; the caller differences two reads for an interval. */
cache_sim_counts cache_sim_read(const cache_sim *sim);

#endif
