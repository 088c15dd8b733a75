/* The rv32 builds against their rv64 builds, a block of `pvmlab compare`: per guest, the
 * instructions the rv32 build runs over the rv64 build's (the unit model's gas, which
 * charges one per instruction), then each rv32 configuration's median over the same
 * configuration's on the rv64 build; below the geomeans, time over instructions: what the
 * VM spends per instruction of the rv32 build against one of the rv64 build. It splits
 * the rv32 builds' gap to the rv64 builds into what the 32-bit ISA makes the program run
 * (more instructions: 64-bit arithmetic in halves) and what the VM adds per instruction,
 * without native-i386 (which this machine may not run). */
#ifndef PVMLAB_BENCH_RV32_AGAINST_RV64_H
#define PVMLAB_BENCH_RV32_AGAINST_RV64_H

#include <stdio.h>

#include "compare_data.h"
#include "held_out_list.h"

/* The rv64 configuration of an rv32 one: the label without "-rv32" (out_len bytes); false
 * when engine is not an rv32 configuration. */
bool rv32_against_rv64_counterpart(const char *engine, char *out, size_t out_len);

/* Prints the block for mode when set holds, in mode, an rv32 configuration and its rv64
 * counterpart on a common guest (nothing otherwise). held: the held-out guests, whose
 * geomeans are apart (NULL: one geomean over all, said so). */
void rv32_against_rv64_print(const compare_set *set, const char *mode, const bench_held_out *held, FILE *out);

#endif
