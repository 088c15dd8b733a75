/* Guest address space: a reserved 4 GiB window (plus guard) in the host,
 * a per-4-KiB-page access table, and mprotect kept in step with the table
 * so that the recompiler can rely on hardware faults while the interpreter
 * checks the table. Pages below 64 KiB are never accessible. */
#ifndef PVM_MEMORY_H
#define PVM_MEMORY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include "pvm/pvm.h"
#include "access_table.h"
#include "image.h"

#define PVM_PAGE_SHIFT 12
#define PVM_PAGE 4096u
#define PVM_PAGES (1u << 20)
#define PVM_LOW_LIMIT 0x10000u /* accesses below this panic */
/* Inaccessible host space around the window: the recompiler folds a 32-bit
 * program's base register (zero-extended) and a sign-extended 32-bit offset
 * into one x86 address, so [base - 2 GiB, base + 4 GiB + 2 GiB + 64 KiB) must
 * never be anything else's (a sum that wraps in the guest lands here and
 * faults; vm/jit/signals.c). */
#define PVM_GUARD_BELOW (1ull << 31)
#define PVM_GUARD_SIZE ((1ull << 31) + (64u << 10))

typedef struct {
    uint32_t start, len; /* page-aligned */
    uint16_t from_image; /* 1: mapped from a snapshot file (memory/image.h), not anonymous */
    uint16_t access;     /* the pvm_access it was mapped with */
    uint32_t offset_page; /* from_image: where in the file it starts, in 4 KiB pages (0 otherwise) */
} pvm_range;
_Static_assert(sizeof(pvm_range) == 16, "no padding: range lists are compared with memcmp (tests/fuzz)");

struct pvm_lazy; /* lazy pages (memory/lazy.h); NULL when off */

#define PVM_MEMORY_PARKED_MAX 5 /* the layout's ranges: ro, rw, stack, args, aux */

typedef struct {
    uint8_t *base;  /* guest address 0 */
    size_t reserved; /* bytes from base (the window and the guard above it); PVM_GUARD_BELOW more lie below base */
    union { /* the access table, and its entries under the short name every reader uses */
        pvm_access_table access_table; /* storage: access_table.h */
        uint8_t *perm; /* PVM_PAGES entries of pvm_access (= access_table.perm, its first member) */
    };
    pvm_range *ranges; /* mapped ranges, for a cheap reset */
    size_t n_ranges, cap_ranges;
    /* A parked window (no ranges) keeps the ranges of its last layout mapped as a fresh
     * instance sees them (pvm_memory_park): the next layout with the same range of the
     * same snapshot maps nothing. */
    pvm_range parked[PVM_MEMORY_PARKED_MAX];
    unsigned n_parked;
    uint64_t layout_image; /* the snapshot (image.h id) the from_image ranges, mapped or parked, come from; 0 none */
    struct pvm_lazy *lazy;
    bool huge; /* MADV_HUGEPAGE is on for the window */
    bool readonly_store_panics; /* a guest store to a read-only page panics instead of faulting (per ISA variant) */
    bool host_wrote_readonly; /* pvm_memory_write lifted a protection since the last rewind or clear */
} pvm_memory;

/* A reserved window with nothing mapped; its access table reads zero (access_table.h). */
pvm_status pvm_memory_init(pvm_memory *m, pvm_error *err);
/* The mapping system calls (mmap, mprotect, madvise) this file's functions made in the
 * process so far (reserving, mapping, parking, rewinding, clearing a window; not the
 * access table's, access_table.h, nor a host write's mprotect): tests count an instance's. */
uint64_t pvm_memory_call_count(void);
/* Destroy, clear, read and write also see lazy pages: window.c. */
void pvm_memory_destroy(pvm_memory *m);
/* Map [addr, addr+len) with access (zero-filled unless already mapped). */
pvm_status pvm_memory_map(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, pvm_error *err);
/* A region of an instance's initial layout: mapped from the snapshot file at offset
 * (from_image) or anonymous and zero. */
typedef struct {
    uint32_t addr, len;
    pvm_access access;
    bool from_image;
    uint64_t offset;
} pvm_memory_region;
/* Lay out a window that has no ranges (fresh or cleared) from the snapshot img: the
 * regions in order, the anonymous ones as pvm_memory_map would, the others mapped
 * copy-on-write from the file (it never changes); the access table is the snapshot's,
 * shared read-only (it must hold exactly these regions' entries; access_table.h): one
 * system call per region and none for the table. On failure the window is cleared. */
pvm_status pvm_memory_map_snapshot(pvm_memory *m, const pvm_memory_region *regions, unsigned n,
                                   const pvm_memory_image *img, pvm_error *err);
/* Clear a window laid out by pvm_memory_map_snapshot (its first `layout` ranges) for
 * the engine's pool, as pvm_memory_clear does, except that the layout's ranges stay
 * mapped with their access, rewound as pvm_memory_rewind does (anonymous ones zero,
 * the snapshot's ones reading the snapshot: MADV_DONTNEED, a read-only one only if the
 * host wrote it), and are kept in parked. pvm_memory_map_snapshot reuses a parked range
 * that is exactly one of its regions (same place, access, and for a snapshot range the
 * same snapshot and offset: no call) and makes the others inaccessible first; any other
 * mapping, a rewind or a clear makes them all inaccessible first. The table reads zero:
 * a parked range is not accessible to anything until a layout takes it. False, having
 * changed nothing, when the window cannot be parked (lazy pages, a later range over the
 * layout): then clear. */
bool pvm_memory_park(pvm_memory *m, size_t layout);
/* A window with nothing mapped lets every reference to snapshot id's file go: its own
 * copy of the snapshot's table (fresh zero pages over it) and parked ranges of the
 * snapshot (inaccessible anonymous memory over them). Called before the snapshot is
 * freed: those mappings would be its file's last references, and replacing them later
 * would free the snapshot inside another module's instantiation. */
void pvm_memory_forget_snapshot(pvm_memory *m, uint64_t id);
/* Reset the contents of the first `keep` ranges (anonymous ones read zero again,
 * snapshot ones read the snapshot again: one MADV_DONTNEED each, pages never
 * touched cost nothing; read-only ones only when the host wrote a protected page,
 * as nothing else can change them) and unmap every later range, as clear does. Returns
 * false, having changed nothing, when a later range overlaps a kept one (its
 * access would be lost): then clear and map again. */
bool pvm_memory_rewind(pvm_memory *m, size_t keep);
/* Unmap everything (pages return to zero and inaccessible; lazy pages are forgotten). */
void pvm_memory_clear(pvm_memory *m);
/* Back the window with transparent huge pages (MADV_HUGEPAGE) or not: a
 * large region that the guest touches then faults in 2 MiB at a time and
 * resets in a few hundred microseconds instead of milliseconds; a guest that
 * touches a few scattered pages pays for zeroing 2 MiB each. */
pvm_status pvm_memory_set_huge_pages(pvm_memory *m, bool on, pvm_error *err);
/* Host copy in/out; fails on the first page without (at least read) access.
 * Writes to read-only pages are allowed for the host. */
pvm_status pvm_memory_read(const pvm_memory *m, uint32_t addr, void *dst, size_t len, pvm_error *err);
pvm_status pvm_memory_write(pvm_memory *m, uint32_t addr, const void *src, size_t len, pvm_error *err);

/* Result of a guest access check: 0 ok, 1 panic (below 64 KiB, or a store whose lowest
 * offending byte is on a read-only page when readonly_store_panics), 2 page fault (*fault = page base). */
int pvm_memory_check_slow(const pvm_memory *m, uint32_t addr, uint32_t n, bool write, uint32_t *fault);

/* The mprotect protection of a page access (a pvm_access value). */
static inline int pvm_memory_prot(uint8_t access)
{
    return access == PVM_ACCESS_WRITE ? PROT_READ | PROT_WRITE : access == PVM_ACCESS_READ ? PROT_READ : PROT_NONE;
}

static inline bool pvm_memory_can(const pvm_memory *m, uint32_t addr, uint32_t n, uint8_t need)
{
    uint32_t last = addr + n - 1;
    return last >= addr && (m->perm[addr >> PVM_PAGE_SHIFT] & need) == need &&
           (m->perm[last >> PVM_PAGE_SHIFT] & need) == need;
}
#endif
