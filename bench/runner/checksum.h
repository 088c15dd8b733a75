/* Checking an engine's checksum against the native one. */
#ifndef PVMLAB_BENCH_CHECKSUM_H
#define PVMLAB_BENCH_CHECKSUM_H

#include <stdbool.h>
#include <stdint.h>

/* Whether got equals expected in the bits the engine can return: all 64, or (bits < 64,
 * e.g. 53 for an i64 that went through a JS number) expected rounded the same way, as a
 * signed 64-bit value to the nearest double and back, modulo 2^64. */
bool bench_checksum_matches(uint64_t expected, uint64_t got, unsigned bits);

#endif
