/* Storage of a window's access table (pvm_memory.perm: one byte per 4 KiB guest
 * page, 1 MiB): allocation, writes that populate a table page before its first
 * use, and a process-wide cache of cleared tables for the next window.
 *
 * Why: an instance writes a few table pages (its data low, its stack near the
 * top), and the first write to a fresh page is a page fault. On a paravirtualized
 * host a first touch costs tens of microseconds (guest fault plus the host's
 * shadow page table), several times a whole instantiation from the engine's pool;
 * a table page written once is reused by every later window from the cache. */
#ifndef PVM_ACCESS_TABLE_H
#define PVM_ACCESS_TABLE_H
#include <stdbool.h>
#include <stdint.h>

#define PVM_ACCESS_TABLE_BYTES (1u << 20) /* PVM_PAGES entries */
#define PVM_ACCESS_TABLE_PAGES (PVM_ACCESS_TABLE_BYTES / 4096u)

typedef struct {
    uint8_t *perm; /* PVM_ACCESS_TABLE_BYTES, mmap'ed */
    uint64_t written[PVM_ACCESS_TABLE_PAGES / 64]; /* table pages that may hold a non-zero byte (were populated) */
} pvm_access_table;

/* An all-zero table: a cached one, else a fresh mapping. Returns false when out of memory. */
bool pvm_access_table_new(pvm_access_table *t);
/* Set entries [first, first+n) to access, populating table pages not written before. */
void pvm_access_table_set(pvm_access_table *t, uint32_t first, uint32_t n, uint8_t access);
/* Zero the written pages and keep the table for the next pvm_access_table_new, or unmap
 * it when the cache is full. t is empty afterwards. */
void pvm_access_table_free(pvm_access_table *t);
/* Unmap every cached table (tests; a process need not call it). */
void pvm_access_table_cache_drop(void);
#endif
