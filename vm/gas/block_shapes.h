/* The blocks of a range grouped by shape (block_shapes.c): what the pipeline
 * simulator reads of a block, so that each distinct shape is simulated once. */
#ifndef PVM_GAS_BLOCK_SHAPES_H
#define PVM_GAS_BLOCK_SHAPES_H
#include <stdbool.h>
#include <stdint.h>
#include "pipeline_sim.h"

typedef struct {
    uint32_t first_block, end_block;
    uint32_t base;        /* the range's first instruction */
    uint32_t *shape;      /* per instruction of the range: its shape word */
    uint32_t n_shape;     /* instructions of the range (words allocated: at least 1) */
    uint32_t cap;         /* hash slots in use, a power of two (room for twice the blocks: block_shapes.c) */
    uint32_t *slot;       /* a representative block, or UINT32_MAX */
    uint64_t *slot_hash;  /* its key (bit 0: its branch is predicted) */
    uint32_t *rep;        /* per block of the range: the first block of the range with its shape */
    uint32_t *fresh;      /* the representatives in block order */
    uint64_t *fresh_hash; /* and their keys */
    uint32_t n_fresh;
    unsigned lane;        /* util_alloc_large_lane's lane of the arrays: the building thread's */
} pvm_block_shapes;

/* Group blocks [first_block, end_block) of d (first_block < end_block); pp
 * gives the ISA's trap and unlikely (branch prediction); lane: the calling thread's
 * (vm/util/large_alloc.h: 1 on a compile's second thread, else 0). false (nothing to
 * free) when out of memory. */
bool pvm_block_shapes_build(const pvm_pipeline_prepared *pp, const pvm_decoded *d, uint32_t first_block,
                            uint32_t end_block, unsigned lane, pvm_block_shapes *out);
/* The representative in t of the shape of u's representative u->fresh[i], or
 * UINT32_MAX when t has no block of that shape (t and u of the same program). */
uint32_t pvm_block_shapes_find(const pvm_block_shapes *t, const pvm_decoded *d, const pvm_block_shapes *u, uint32_t i);
void pvm_block_shapes_free(pvm_block_shapes *t);
#endif
