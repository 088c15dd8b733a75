/* Guest memory window with page permissions: reserving it, mapping ranges,
 * rewinding them, access checks. What also sees lazy pages (host copies,
 * clear, destroy) is in window.c, above this file and lazy.c. */
#include "memory.h"
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vm/util/error.h"
#include "vm/util/grow.h"

_Static_assert(PVM_ACCESS_TABLE_BYTES == PVM_PAGES, "one access-table byte per guest page");

static atomic_uint_fast64_t calls; /* pvm_memory_call_count */
#define CALL(x) (atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed), (x))

uint64_t pvm_memory_call_count(void) { return atomic_load(&calls); }

pvm_status pvm_memory_init(pvm_memory *m, pvm_error *err)
{
    memset(m, 0, sizeof *m);
    m->reserved = (1ull << 32) + PVM_GUARD_SIZE;
    if (!pvm_access_table_new(&m->access_table)) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the page table");
    void *p = CALL(mmap(NULL, PVM_GUARD_BELOW + m->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (p == MAP_FAILED) return pvm_fail(err, PVM_ERR_NO_MEMORY, "cannot reserve the 4 GiB guest window: %s", strerror(errno));
    m->base = (uint8_t *)p + PVM_GUARD_BELOW;
    return PVM_OK;
}

static pvm_status check_map(uint32_t addr, uint32_t len, pvm_access access, pvm_error *err)
{
    if (addr % PVM_PAGE || len % PVM_PAGE)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "map 0x%x+0x%x: not page aligned", addr, len);
    if (len == 0) return PVM_OK;
    if ((uint64_t)addr + len > (1ull << 32))
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "map 0x%x+0x%x: past the 4 GiB address space", addr, len);
    if (addr < PVM_LOW_LIMIT)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "map 0x%x: the first 64 KiB are never accessible", addr);
    if (access != PVM_ACCESS_NONE && access != PVM_ACCESS_READ && access != PVM_ACCESS_WRITE)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "map 0x%x: bad access %d", addr, (int)access);
    return PVM_OK;
}

static void unmap_range(pvm_memory *m, pvm_range r, bool keep_table);

/* Parked range i back to inaccessible (its pages were dropped when parked; a snapshot
 * range is replaced, as it references the file); the last parked range takes its place. */
static void close_parked(pvm_memory *m, unsigned i)
{
    pvm_range r = m->parked[i];
    if (r.from_image) unmap_range(m, r, true); /* the table reads zero for it already */
    else CALL(mprotect(m->base + r.start, r.len, PROT_NONE));
    m->parked[i] = m->parked[--m->n_parked];
}

static void unpark(pvm_memory *m)
{
    while (m->n_parked) close_parked(m, m->n_parked - 1);
}

static pvm_status reserve_range(pvm_memory *m, pvm_error *err)
{
    unpark(m);
    if (UTIL_GROW(m->ranges, m->cap_ranges, m->n_ranges + 1, 8) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory");
    return PVM_OK;
}

/* One checked, non-empty range into a window with room for it: from the file fd at offset
 * (fd >= 0) or anonymous, its table entries set unless set_table is false (the table
 * holds them already: pvm_memory_map_snapshot), and recorded. */
static pvm_status map_range(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, int fd, uint64_t offset,
                            bool set_table, pvm_error *err)
{
    int prot = pvm_memory_prot(access);
    if (set_table && !pvm_access_table_own(&m->access_table))
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "map 0x%x+0x%x: cannot write the page table: %s", addr, len,
                        strerror(errno));
    if (fd >= 0 ? CALL(mmap(m->base + addr, len, prot, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, fd, (off_t)offset)) == MAP_FAILED
                : CALL(mprotect(m->base + addr, len, prot)) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "map 0x%x+0x%x%s: %s", addr, len,
                        fd >= 0 ? " from the snapshot: mmap" : ": mprotect", strerror(errno));
    if (set_table) pvm_access_table_set(&m->access_table, addr >> PVM_PAGE_SHIFT, len >> PVM_PAGE_SHIFT, access);
    m->ranges[m->n_ranges++] = (pvm_range){addr, len, fd >= 0, access, fd >= 0 ? (uint32_t)(offset >> PVM_PAGE_SHIFT) : 0};
    return PVM_OK;
}

pvm_status pvm_memory_map(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, pvm_error *err)
{
    pvm_status st = check_map(addr, len, access, err);
    if (st || len == 0) return st;
    if ((st = reserve_range(m, err))) return st;
    return map_range(m, addr, len, access, -1, 0, true, err);
}

/* Whether region r of a layout from snapshot img is exactly parked range p of window m
 * (same place and access; anonymous, or the same part of the same snapshot). */
static bool same_range(const pvm_memory *m, const pvm_memory_region *r, pvm_range p, const pvm_memory_image *img)
{
    if (r->addr != p.start || r->len != p.len || r->access != p.access || r->from_image != (p.from_image != 0)) return false;
    return !r->from_image || (m->layout_image == img->id && r->offset == (uint64_t)p.offset_page << PVM_PAGE_SHIFT);
}

pvm_status pvm_memory_map_snapshot(pvm_memory *m, const pvm_memory_region *regions, unsigned n,
                                   const pvm_memory_image *img, pvm_error *err)
{
    pvm_status st = PVM_OK;
    if (m->n_ranges) return pvm_fail(err, PVM_ERR_STATE, "map the snapshot: the window has ranges mapped");
    if (UTIL_GROW(m->ranges, m->cap_ranges, n, 8) != 0) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory");
    /* Parked ranges that are not regions of this layout become inaccessible before anything is mapped. */
    for (unsigned i = 0; i < m->n_parked;) {
        bool used = false;
        for (unsigned k = 0; k < n && !used; k++) used = same_range(m, &regions[k], m->parked[i], img);
        if (used) i++;
        else close_parked(m, i);
    }
    m->layout_image = img->id;
    for (unsigned i = 0; i < n && st == PVM_OK; i++) {
        const pvm_memory_region *r = &regions[i];
        if ((st = check_map(r->addr, r->len, r->access, err)) || !r->len) continue;
        unsigned p = 0;
        while (p < m->n_parked && !same_range(m, r, m->parked[p], img)) p++;
        if (p < m->n_parked) { /* mapped already, as a fresh instance sees it */
            m->ranges[m->n_ranges++] = m->parked[p];
            m->parked[p] = m->parked[--m->n_parked];
            continue;
        }
        st = map_range(m, r->addr, r->len, r->access, r->from_image ? img->fd : -1, r->offset, false, err);
    }
    if (st == PVM_OK) pvm_access_table_share(&m->access_table, img);
    else pvm_memory_rewind(m, 0); /* the ranges mapped so far, and the parked ones left */
    return st;
}

/* Make one range inaccessible and zero: anonymous memory drops its pages;
 * a snapshot mapping is replaced by fresh anonymous memory (one mmap). Its
 * table entries are zeroed unless keep_table (the whole table is about to be). */
static void unmap_range(pvm_memory *m, pvm_range r, bool keep_table)
{
    if (r.from_image) {
        CALL(mmap(m->base + r.start, r.len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0));
        if (m->huge) CALL(madvise(m->base + r.start, r.len, MADV_HUGEPAGE)); /* the new mapping does not inherit it */
    } else {
        CALL(madvise(m->base + r.start, r.len, MADV_DONTNEED));
        CALL(mprotect(m->base + r.start, r.len, PROT_NONE));
    }
    if (!keep_table) memset(m->perm + (r.start >> PVM_PAGE_SHIFT), 0, r.len >> PVM_PAGE_SHIFT);
}

/* Whether a range after the first keep overlaps one of them (a rewind would lose its access). */
static bool later_overlaps(const pvm_memory *m, size_t keep)
{
    for (size_t i = keep; i < m->n_ranges; i++)
        for (size_t k = 0; k < keep; k++) {
            pvm_range a = m->ranges[i], b = m->ranges[k];
            if (a.start < b.start + b.len && b.start < a.start + a.len) return true;
        }
    return false;
}

bool pvm_memory_rewind(pvm_memory *m, size_t keep)
{
    if (keep > m->n_ranges || later_overlaps(m, keep)) return false;
    unpark(m);
    /* Keeping nothing: the whole table reads zero at once (no entry written). */
    if (keep == 0) pvm_access_table_zero(&m->access_table);
    for (size_t i = m->n_ranges; i-- > keep;) unmap_range(m, m->ranges[i], keep == 0);
    if (keep) pvm_access_table_rewound(&m->access_table); /* a layout's own copy is the snapshot's again */
    /* A read-only range changes only by a host write (the guest cannot store there, and
     * a lazy fill is into a range mapped inaccessible); pages it shares with another
     * range are dropped by that range's own madvise. */
    for (size_t k = 0; k < keep; k++)
        if (m->ranges[k].access != PVM_ACCESS_READ || m->host_wrote_readonly)
            CALL(madvise(m->base + m->ranges[k].start, m->ranges[k].len, MADV_DONTNEED));
    m->host_wrote_readonly = false;
    m->n_ranges = keep;
    return true;
}

bool pvm_memory_park(pvm_memory *m, size_t layout)
{
    if (m->lazy || m->n_parked || layout > m->n_ranges || later_overlaps(m, layout)) return false;
    pvm_access_table_zero(&m->access_table);
    for (size_t i = m->n_ranges; i-- > 0;) {
        pvm_range r = m->ranges[i];
        if (i < layout && m->n_parked < PVM_MEMORY_PARKED_MAX) {
            /* As a rewind leaves it: the guest cannot store to a read-only range. */
            if (r.access != PVM_ACCESS_READ || m->host_wrote_readonly || !r.from_image)
                CALL(madvise(m->base + r.start, r.len, MADV_DONTNEED));
            m->parked[m->n_parked++] = r;
        } else {
            unmap_range(m, r, true);
        }
    }
    m->n_ranges = 0;
    m->host_wrote_readonly = false;
    return true;
}

void pvm_memory_forget_snapshot(pvm_memory *m, uint64_t id)
{
    if (m->n_ranges) return;
    pvm_access_table_forget(&m->access_table, id);
    if (m->layout_image != id) return;
    for (unsigned i = m->n_parked; i-- > 0;)
        if (m->parked[i].from_image) close_parked(m, i);
    m->layout_image = 0;
}

pvm_status pvm_memory_set_huge_pages(pvm_memory *m, bool on, pvm_error *err)
{
    if (CALL(madvise(m->base, m->reserved, on ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) != 0)
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "huge pages: madvise: %s", strerror(errno));
    m->huge = on;
    return PVM_OK;
}

int pvm_memory_check_slow(const pvm_memory *m, uint32_t addr, uint32_t n, bool write, uint32_t *fault)
{
    uint8_t need = write ? PVM_ACCESS_WRITE : PVM_ACCESS_READ;
    bool bad = false;
    uint32_t lowest = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = addr + i;
        if (a < PVM_LOW_LIMIT || (m->perm[a >> PVM_PAGE_SHIFT] & need) != need) {
            if (!bad || a < lowest) lowest = a;
            bad = true;
        }
    }
    if (!bad) return 0;
    if (lowest < PVM_LOW_LIMIT) return 1;
    if (write && m->readonly_store_panics && m->perm[lowest >> PVM_PAGE_SHIFT] == PVM_ACCESS_READ) return 1;
    *fault = lowest & ~(PVM_PAGE - 1);
    return 2;
}

