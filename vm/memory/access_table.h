/* Storage of a window's access table (pvm_memory.perm: one byte per 4 KiB guest
 * page, 1 MiB): what readers see, the window's own writable copy made only when
 * something writes, and a process-wide cache of cleared copies.
 *
 * Readers go through perm, which is one of three tables:
 * - a process-wide read-only table of zeros (a window with nothing mapped);
 * - the table of a module's snapshot (image.h: mapped read-only once per snapshot and
 *   shared by every instance laid out from it), so instantiating writes no entry and
 *   makes no mapping for the table;
 * - own: the window's writable table, made at the first write (pvm_access_table_own):
 *   a private (copy-on-write) mapping of the snapshot's table when perm was that, else
 *   a zero table (a cleared one from the cache, else a fresh mapping).
 *
 * Why: instantiation from a snapshot is a handful of system calls, and mapping a table
 * per instance was one of them (4 of the 4 calls of an instance from the engine's pool
 * for another module, a fifth of a fresh one). Most instances never write their table:
 * only sbrk, a host mapping and lazy pages do. A page of a fresh own table is populated
 * before its first write (one MADV_POPULATE_WRITE instead of a fault per page: on a
 * paravirtualised host a first touch costs tens of microseconds). */
#ifndef PVM_ACCESS_TABLE_H
#define PVM_ACCESS_TABLE_H
#include <stdbool.h>
#include <stdint.h>
#include "image.h"

#define PVM_ACCESS_TABLE_BYTES (1u << 20) /* PVM_PAGES entries */
#define PVM_ACCESS_TABLE_PAGES (PVM_ACCESS_TABLE_BYTES / 4096u)

typedef struct {
    uint8_t *perm; /* what readers use: own, the zero table or image->table */
    uint8_t *own;  /* the writable table, NULL until needed */
    uint64_t written[PVM_ACCESS_TABLE_PAGES / 64]; /* pages of an anonymous own that may hold a non-zero byte */
    /* Non-zero: own is a private mapping of the table of snapshot own_file (image.h ids are
     * never reused, file descriptors are), holding exactly that table when own_clean. */
    uint64_t own_file;
    bool own_clean;
    const pvm_memory_image *image; /* the snapshot whose table perm shows (or own copies): the layout's */
} pvm_access_table;

/* An all-zero table (perm the shared zero table, no own yet). False when the zero table
 * cannot be mapped (once per process). */
bool pvm_access_table_new(pvm_access_table *t);
/* perm becomes img's table; t must read all zero (nothing mapped in its window). */
void pvm_access_table_share(pvm_access_table *t, const pvm_memory_image *img);
/* Make perm writable with its current entries: own (made or reused) holds them. False
 * when that needs a mapping that fails (t unchanged). */
bool pvm_access_table_own(pvm_access_table *t);
/* Set entries [first, first+n) to access (pvm_access_table_own first). False when the
 * table cannot be made writable. */
bool pvm_access_table_set(pvm_access_table *t, uint32_t first, uint32_t n, uint8_t access);
/* Every entry zero again, without a system call: perm the zero table; an anonymous own
 * has its written pages cleared, a copy of a snapshot's table is marked not clean. */
void pvm_access_table_zero(pvm_access_table *t);
/* The entries written since the snapshot's table was shared are back to the snapshot's
 * (the caller zeroed them): perm reads the snapshot's table again, and own, a clean copy
 * of it, serves the next write without a mapping. */
void pvm_access_table_rewound(pvm_access_table *t);
/* Let an own copy of snapshot id go (fresh zero pages over it) unless perm uses it: it
 * is a reference to the snapshot's file (pvm_memory_forget_snapshot). */
void pvm_access_table_forget(pvm_access_table *t, uint64_t id);
/* Keep own, zeroed, for the next window's pvm_access_table_own (or unmap it when the
 * cache is full). t is empty afterwards. */
void pvm_access_table_free(pvm_access_table *t);
/* Unmap every cached table (tests; a process need not call it). */
void pvm_access_table_cache_drop(void);
/* The process-wide read-only zero table (NULL if it cannot be mapped). */
const uint8_t *pvm_access_table_zero_table(void);
#endif
