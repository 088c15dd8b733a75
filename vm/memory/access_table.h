/* Storage of a window's access table (pvm_memory.perm: one byte per 4 KiB guest
 * page, 1 MiB): allocation, writes that populate a table page before its first
 * use, and a process-wide cache of cleared tables for the next window.
 *
 * Why: an instance writes a few table pages (its data low, its stack near the
 * top), and the first write to a fresh page is a page fault. On a paravirtualized
 * host a first touch costs tens of microseconds (guest fault plus the host's
 * shadow page table), several times a whole instantiation from the engine's pool;
 * a table page written once is reused by every later window from the cache.
 *
 * A window laid out from a module's snapshot (image.h) takes its whole table from
 * the snapshot instead: a private (copy-on-write) mapping of the table stored in the
 * snapshot file, one mmap and no page written. A table page is then read from the
 * snapshot when something first reads it (often never: the recompiler and the
 * guarded interpreter read the table only on a fault) and copied when first written
 * (sbrk, a host mapping). Clearing such a table maps fresh zero pages over it. */
#ifndef PVM_ACCESS_TABLE_H
#define PVM_ACCESS_TABLE_H
#include <stdbool.h>
#include <stdint.h>

#define PVM_ACCESS_TABLE_BYTES (1u << 20) /* PVM_PAGES entries */
#define PVM_ACCESS_TABLE_PAGES (PVM_ACCESS_TABLE_BYTES / 4096u)

typedef struct {
    uint8_t *perm; /* PVM_ACCESS_TABLE_BYTES, mmap'ed */
    uint64_t written[PVM_ACCESS_TABLE_PAGES / 64]; /* table pages that may hold a non-zero byte (were populated) */
    /* The table is a private mapping of the table of snapshot file_id (image.h; ids are
     * never reused, file descriptors are): any page may be non-zero, whatever written says. */
    bool from_file;
    uint64_t file_id;
} pvm_access_table;

/* An all-zero table: a cached one, else a fresh mapping. Returns false when out of memory. */
bool pvm_access_table_new(pvm_access_table *t);
/* A private copy of the table stored at offset in the file fd (PVM_ACCESS_TABLE_BYTES
 * bytes) of snapshot id: a cached table with the file mapped over it, else one mapping
 * of the file. Returns false when the mapping fails. */
bool pvm_access_table_new_from_file(pvm_access_table *t, int fd, uint64_t offset, uint64_t id);
/* Make t the private copy of that table: nothing when it is a copy of snapshot id
 * already, else one mmap over it. False when that fails (t unchanged). */
bool pvm_access_table_map_file(pvm_access_table *t, int fd, uint64_t offset, uint64_t id);
/* Make a table that came from a file all zero again (fresh zero pages mapped over it; the
 * file's pages are dropped). False, t unchanged, when the mapping fails or t is not from a file. */
bool pvm_access_table_unmap_file(pvm_access_table *t);
/* Set entries [first, first+n) to access, populating table pages not written before. */
void pvm_access_table_set(pvm_access_table *t, uint32_t first, uint32_t n, uint8_t access);
/* Zero the written pages and keep the table for the next pvm_access_table_new, or unmap
 * it when the cache is full. t is empty afterwards. */
void pvm_access_table_free(pvm_access_table *t);
/* Unmap every cached table (tests; a process need not call it). */
void pvm_access_table_cache_drop(void);
#endif
