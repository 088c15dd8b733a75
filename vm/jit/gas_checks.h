/* Out-of-gas checks at block entries only where they are needed (gas_checks.c). */
#ifndef PVM_JIT_GAS_CHECKS_H
#define PVM_JIT_GAS_CHECKS_H
#include <stdbool.h>
#include <stdint.h>
#include "vm/program/decode.h"

/* Blocks, and chains of unchecked blocks, dearer than this keep a check: the
 * bias (and so the stretch the interpreter runs at the end of the gas) stays small. */
#define JIT_GAS_UNCHECKED_MAX_COST 1024u
/* unchecked[b] of a block whose entry charges without a check. */
#define JIT_GAS_UNCHECKED 1
/* A checked block that no block of generated code enters with less gas than its
 * cost (the bias covers it): its check fails only short of the bias, which hands
 * the run to the interpreter at its entry, never out of gas there. */
#define JIT_GAS_COVERED 2

/* Chooses the blocks whose entry charges without a check (unchecked[b] = JIT_GAS_UNCHECKED,
 * one byte per block; JIT_GAS_COVERED for some checked ones) and returns the gas bias K: the largest cost of a chain
 * of them (0: every block is checked). */
uint32_t jit_gas_checks_plan(const pvm_decoded *d, const uint32_t *block_cost, uint8_t *unchecked);
/* Whether a plan keeps metering exact with bias K: no cycle of unchecked
 * blocks (nor one looping on itself), no unchecked dynamic jump while a
 * jump-table entry is unchecked, no path of unchecked blocks costing more
 * than K, and no covered block entered with less than its cost left. */
bool jit_gas_checks_valid(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, uint32_t bias);
/* Deferred charges (gas_checks.c): per block the amount its entry charges (charge[b], may
 * be 0 or negative) and what the counter owes inside it (owed[b]: generated code holds gas
 * - bias + owed[b] there); falling through from b - 1 into b pays owed[b - 1] - owed_in(b)
 * first (pay[b], jit_gas_pay_into). Uses the check plan (unchecked); a checked block owes 0. */
#define JIT_GAS_OWED_MAX 4096u
void jit_gas_owed_plan(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, int64_t *charge,
                       int32_t *pay, uint16_t *owed);
/* What every entry into b by a jump owes (charge[b] = cost + owed_in - owed[b]). */
static inline int64_t jit_gas_owed_in(uint32_t cost, int64_t charge, uint16_t owed) { return (int64_t)owed - cost + charge; }
/* Whether the charges keep the counter exact: a checked block owes 0, every jump into a
 * block owes what its entry expects (the jump table's entries 0), amounts within limits. */
bool jit_gas_owed_valid(const pvm_decoded *d, const uint32_t *block_cost, const uint8_t *unchecked, const int64_t *charge,
                        const uint16_t *owed);
/* What falling through from b - 1 into b pays before b's entry (0: b - 1 does not fall through). */
int64_t jit_gas_pay_into(const pvm_decoded *d, const uint32_t *block_cost, const int64_t *charge, const uint16_t *owed, uint32_t b);
#endif
