/* The guest's memset instruction (fill [a0, a0 + a2) with the low byte of a1, a0 and a2
 * moving as it goes, the model's memset gas per byte), for both backends: whole runs at
 * host speed, and the bytes the runs stop at one by one, up to the instruction's end or
 * its exit. The callers only turn the outcome into their exit. */
#ifndef PVM_MEMSET_RUNS_H
#define PVM_MEMSET_RUNS_H
#include <stdbool.h>
#include <stdint.h>
#include "memory.h"
#include "pvm/pvm.h"

/* Fills whole runs, each within one 4 KiB page that is writable now, with one host
 * memset per run, while gas pays for every byte (sync: a byte is written only if gas
 * holds its charge before it; async: charged, checked at the end by the caller; none:
 * not charged). a0, a2 and *gas end exactly where the byte-by-byte loop would have them
 * after the same bytes. Stops at the first byte that loop must take itself: out of gas,
 * a page not writable now (a lazy page to fill, a fault), or the end of the 32-bit
 * address space. Returns whether bytes are left (*a2 != 0): the byte loop's turn. */
bool pvm_memset_runs(const pvm_memory *m, uint64_t *a0, uint64_t *a2, uint8_t byte, bool is64, pvm_gas_mode mode,
                     int64_t per_byte, int64_t *gas);

typedef enum {
    PVM_MEMSET_DONE,       /* a2 is 0 (async gas may have gone below 0 on the way: the caller's exit) */
    PVM_MEMSET_OUT_OF_GAS, /* sync gas short of the next byte, or a lazy page's charge */
    PVM_MEMSET_PAGE_FAULT, /* at *fault_address (the faulting page's start, as the access check says) */
    PVM_MEMSET_PANIC       /* a read-only page, or the first 64 KiB */
} pvm_memset_end;

/* The whole instruction: runs (above) while no memory trace is set, then the byte they stop
 * at, one at a time: charge (sync: only if gas holds it), fill a lazy page (charging it),
 * check, store; then the runs again. With trace, every byte goes that way and is reported
 * before it is written (the interpreter's traced loop). a0, a2 and *gas end where the
 * instruction leaves them at its end or exit. Async gas below 0 at the end is
 * PVM_MEMSET_OUT_OF_GAS too. */
pvm_memset_end pvm_memset_fill(pvm_memory *m, uint64_t *a0, uint64_t *a2, uint8_t byte, bool is64, pvm_gas_mode mode,
                               int64_t per_byte, int64_t *gas, uint32_t *fault_address, pvm_memory_trace_fn trace,
                               void *trace_ctx);
#endif
