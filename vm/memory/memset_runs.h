/* The guest's memset instruction (fill [a0, a0 + a2) with the low byte of a1, a0 and a2
 * moving as it goes, the model's memset gas per byte): the part that needs no exit. */
#ifndef PVM_MEMSET_RUNS_H
#define PVM_MEMSET_RUNS_H
#include <stdbool.h>
#include <stdint.h>
#include "memory.h"

/* Fills whole runs, each within one 4 KiB page that is writable now, with one host
 * memset per run, while gas pays for every byte (sync: a byte is written only if gas
 * holds its charge before it; async: charged, checked at the end by the caller; none:
 * not charged). a0, a2 and *gas end exactly where the byte-by-byte loop would have them
 * after the same bytes. Stops at the first byte that loop must take itself: out of gas,
 * a page not writable now (a lazy page to fill, a fault), or the end of the 32-bit
 * address space. Returns whether bytes are left (*a2 != 0): the byte loop's turn. */
bool pvm_memset_runs(const pvm_memory *m, uint64_t *a0, uint64_t *a2, uint8_t byte, bool is64, pvm_gas_mode mode,
                     int64_t per_byte, int64_t *gas);
#endif
