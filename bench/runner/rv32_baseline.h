/* The 32-bit block of `pvmlab compare`: the guests' rv32 builds on libpvm against
 * native-i386 (the same C built with clang-19 -m32), beside native-i386 against native, so
 * that an rv32 ratio to x86-64 native splits into what the 32-bit ISA costs natively and
 * what the VM adds. The main table keeps native as the baseline of every column. */
#ifndef PVMLAB_BENCH_RV32_BASELINE_H
#define PVMLAB_BENCH_RV32_BASELINE_H

#include <stdio.h>

#include "compare_data.h"
#include "held_out_list.h"

/* Whether an engine label is a configuration on the guests' rv32 builds ("-rv32-"). */
bool rv32_baseline_is_rv32(const char *engine);

/* Whether set holds rv32 configurations or native-i386 in mode: the block has something to say. */
bool rv32_baseline_wanted(const compare_set *set, const char *mode);

/* Prints the block for mode when set holds rv32 configurations or native-i386 in that
 * mode (nothing otherwise): per guest native-i386/native and each rv32 configuration /
 * native-i386, then geomeans over the tuned and, apart, the held-out guests (held may be
 * NULL: one geomean over all, said so). */
void rv32_baseline_print(const compare_set *set, const char *mode, const bench_held_out *held, FILE *out);

#endif
