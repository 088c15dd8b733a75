/* Parameters of the pipeline cost model (PolkaVM's "Full" model, GP 0.8.0
 * gas): core geometry, memory latencies and one cost record per
 * instruction class. Every canonical op maps to exactly one class. */
#ifndef PVM_GAS_PIPELINE_PARAMS_H
#define PVM_GAS_PIPELINE_PARAMS_H
#include <stddef.h>
#include <stdint.h>
#include "vm/isa/isa.h"

/* The instruction classes (PVM_PIPELINE_CLASSES, pvm_op_class) are a column of
 * the ISA table: vm/isa/op_classes.h. */

/* Cost record of one class. A latency of 0 is required (and means "taken
 * from elsewhere") for LOAD, STORE, BRANCH and MOVE. */
typedef struct {
    uint32_t latency;
    uint32_t latency_b64;     /* added to latency for 64-bit programs */
    uint32_t decode;          /* decode slots */
    uint32_t decode_b64;      /* added for 64-bit programs */
    uint32_t decode_distinct; /* added when the destination is none of the (first) sources */
    uint32_t alu, load, store, mul, div; /* execution units held while executing */
} pvm_class_cost;

enum { PVM_UNIT_ALU, PVM_UNIT_LOAD, PVM_UNIT_STORE, PVM_UNIT_MUL, PVM_UNIT_DIV, PVM_UNIT_COUNT };

/* Hard limits that keep the simulator's bitmasks and arithmetic in range. */
#define PVM_PIPELINE_MAX_ROB 64
#define PVM_PIPELINE_MAX_WIDTH 64
#define PVM_PIPELINE_MAX_LATENCY 100000

struct pvm_pipeline_params {
    uint32_t decode_width;   /* decode slots per cycle */
    uint32_t rob_size;       /* reorder buffer entries */
    uint32_t max_starts;     /* instruction starts per cycle */
    uint32_t slack;          /* cycles refunded per block */
    uint32_t units[PVM_UNIT_COUNT];
    uint32_t cache_level;    /* 1, 2 or 3: which of cache_latency[] loads take */
    uint32_t cache_latency[3];
    uint32_t store_latency;
    uint32_t branch_hit;     /* branch whose successor is trap/unlikely */
    uint32_t branch_miss;
    pvm_class_cost cls[PVM_CLASS_COUNT];
};
typedef struct pvm_pipeline_params pvm_pipeline_params;

/* The parameters as named keys, in table-file order ("decode_width", ...,
 * "class.alu3.latency", ...). For i < pvm_pipeline_key_count() writes the
 * key's name into name and returns a pointer to its field in p; NULL if
 * i is out of range. */
size_t pvm_pipeline_key_count(void);
uint32_t *pvm_pipeline_key(pvm_pipeline_params *p, size_t i, char *name, size_t cap);

/* The class of a canonical op (PVM_OP_INVALID included), from the ISA
 * table's pipeline column; PVM_CLASS_COUNT for an out-of-range op. */
static inline pvm_op_class pvm_op_pipeline_class(pvm_op op)
{
    return (unsigned)op < PVM_OP_COUNT ? (pvm_op_class)pvm_op_table[op].pipeline_class : PVM_CLASS_COUNT;
}

/* The reference parameters (PolkaVM Full model) with loads hitting cache
 * level 1, 2 or 3. Fills *out; returns 0, or -1 for another level. */
int pvm_pipeline_reference(uint32_t cache_level, pvm_pipeline_params *out);

/* Check that a parameter set cannot stall the simulator forever: every
 * class fits the decode width and the unit pools, latencies are >= 1, the
 * ROB fits the bitmasks. Returns 0, or -1 with a one-line reason in why
 * that starts with the offending key's name and a colon. */
int pvm_pipeline_params_check(const pvm_pipeline_params *p, char *why, size_t why_cap);
#endif
