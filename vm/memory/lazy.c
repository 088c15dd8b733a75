/* Lazy pages: bookkeeping, the per-page charge and the fill (see lazy.h). */
#define _GNU_SOURCE
#include "lazy.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lazy_cost.h"
#include "lazy_internal.h"
#include "vm/util/error.h"
#include "vm/util/grow.h"

pvm_status pvm_lazy_enable(pvm_memory *m, pvm_lazy_backend backend, pvm_error *err)
{
    if (m->lazy) {
        if (m->lazy->backend == backend) return PVM_OK;
        return pvm_fail(err, PVM_ERR_STATE, "lazy pages: already on with another backend");
    }
    if (backend != PVM_LAZY_MPROTECT && backend != PVM_LAZY_USERFAULTFD)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "lazy pages: unknown backend %d", (int)backend);
    struct pvm_lazy *lz = calloc(1, sizeof *lz);
    uint8_t *want = calloc(PVM_PAGES, 1);
    if (!lz || !want) {
        free(lz);
        free(want);
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "lazy pages: out of memory");
    }
    lz->backend = backend;
    lz->want = want;
    lz->uffd = -1;
    lz->charges = pvm_lazy_charges_reference();
    if (backend == PVM_LAZY_USERFAULTFD && (lz->uffd = pvm_lazy_uffd_open(err)) < 0) {
        free(want);
        free(lz);
        return PVM_ERR_UNSUPPORTED;
    }
    m->lazy = lz;
    return PVM_OK;
}

void pvm_lazy_free(pvm_memory *m)
{
    struct pvm_lazy *lz = m->lazy;
    if (!lz) return;
    if (lz->uffd >= 0) close(lz->uffd);
    free(lz->ranges);
    free(lz->want);
    free(lz);
    m->lazy = NULL;
}

void pvm_lazy_clear(pvm_memory *m)
{
    struct pvm_lazy *lz = m->lazy;
    for (size_t i = 0; i < lz->n_ranges; i++)
        memset(lz->want + (lz->ranges[i].start >> PVM_PAGE_SHIFT), 0, lz->ranges[i].len >> PVM_PAGE_SHIFT);
    if (lz->uffd >= 0 && lz->n_ranges) pvm_lazy_uffd_unregister_all(lz->uffd, m->base, 1ull << 32);
    lz->n_ranges = 0;
    lz->n_regions = 0;
    memset(&lz->stats, 0, sizeof lz->stats);
}

static pvm_status lazy_map_run(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, const uint8_t *data,
                               uint32_t data_len, pvm_error *err);

/* Pages that are already accessible keep their contents and only change access,
 * exactly as pvm_memory_map does without lazy pages (sbrk over touched pages);
 * the runs of inaccessible pages become lazy. */
pvm_status pvm_lazy_map(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, const uint8_t *data,
                        uint32_t data_len, pvm_error *err)
{
    if (!m->lazy) return pvm_fail(err, PVM_ERR_STATE, "lazy map: lazy pages are off");
    if (addr % PVM_PAGE || len % PVM_PAGE)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "lazy map 0x%x+0x%x: not page aligned", addr, len);
    uint64_t end = (uint64_t)addr + len;
    for (uint64_t p = addr; p < end;) {
        bool present = m->perm[p >> PVM_PAGE_SHIFT] != PVM_ACCESS_NONE;
        uint64_t q = p + PVM_PAGE;
        while (q < end && (m->perm[q >> PVM_PAGE_SHIFT] != PVM_ACCESS_NONE) == present) q += PVM_PAGE;
        /* image bytes that fall in this run */
        uint64_t off = p - addr;
        const uint8_t *d = data && off < data_len ? data + off : NULL;
        uint32_t dl = d ? (uint32_t)(data_len - off < q - p ? data_len - off : q - p) : 0;
        pvm_status st = present ? pvm_memory_map(m, (uint32_t)p, (uint32_t)(q - p), access, err)
                                : lazy_map_run(m, (uint32_t)p, (uint32_t)(q - p), access, d, dl, err);
        if (st) return st;
        p = q;
    }
    return PVM_OK;
}

static pvm_status lazy_map_run(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, const uint8_t *data,
                               uint32_t data_len, pvm_error *err)
{
    struct pvm_lazy *lz = m->lazy;
    if (!len) return PVM_OK;
    if (access == PVM_ACCESS_NONE) return pvm_memory_map(m, addr, len, access, err);
    bool has_data = data && data_len;
    if (has_data && lz->n_regions == PVM_LAZY_MAX_REGIONS)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "lazy map: more than %d lazy regions with image bytes",
                        PVM_LAZY_MAX_REGIONS);
    if (UTIL_GROW(lz->ranges, lz->cap_ranges, lz->n_ranges + 1, 8) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "lazy map: out of memory");
    /* Recorded as an inaccessible range so that clear() resets it like any other. */
    pvm_status st = pvm_memory_map(m, addr, len, PVM_ACCESS_NONE, err);
    if (st) return st;
    if (lz->backend == PVM_LAZY_USERFAULTFD) {
        /* The final protection now; presence is what userfaultfd tracks. */
        if (mprotect(m->base + addr, len, pvm_memory_prot(access)) != 0)
            return pvm_fail(err, PVM_ERR_NO_MEMORY, "lazy map 0x%x: mprotect: %s", addr, strerror(errno));
        if (!pvm_lazy_uffd_register(lz->uffd, m->base + addr, len))
            return pvm_fail(err, PVM_ERR_UNSUPPORTED, "lazy map 0x%x: UFFDIO_REGISTER: %s", addr, strerror(errno));
    }
    memset(lz->want + (addr >> PVM_PAGE_SHIFT), access, len >> PVM_PAGE_SHIFT);
    lz->ranges[lz->n_ranges++] = (pvm_range){addr, len, 0, access, 0};
    if (has_data) lz->regions[lz->n_regions++] = (pvm_lazy_region){addr, len, data, data_len < len ? data_len : len};
    return PVM_OK;
}

/* Image bytes for the page at page_addr: *n bytes at the returned pointer (NULL/0 = all zero). */
static const uint8_t *page_source(const struct pvm_lazy *lz, uint32_t page_addr, uint32_t *n)
{
    *n = 0;
    for (unsigned i = 0; i < lz->n_regions; i++) {
        const pvm_lazy_region *r = &lz->regions[i];
        if (page_addr - r->start >= r->len) continue;
        uint32_t off = page_addr - r->start;
        if (off >= r->data_len) return NULL;
        *n = r->data_len - off < PVM_PAGE ? r->data_len - off : PVM_PAGE;
        return r->data + off;
    }
    return NULL;
}

/* The charge for raising page p: filled now (fresh) or made writable (not fresh), by a store or a load. */
static uint32_t page_charge(const struct pvm_lazy *lz, uint32_t p, bool fresh, bool write)
{
    if (!fresh) return lz->charges.write;
    if (write) return lz->charges.write_first;
    uint32_t n;
    return page_source(lz, p << PVM_PAGE_SHIFT, &n) ? lz->charges.read_image : lz->charges.read;
}

/* Raise page p from its current access to `to` (READ or WRITE, never above its final access). */
static bool fill_page(pvm_memory *m, uint32_t p, uint8_t to)
{
    struct pvm_lazy *lz = m->lazy;
    uint8_t cur = m->perm[p], want = lz->want[p];
    uint32_t page_addr = p << PVM_PAGE_SHIFT;
    uint8_t *host = m->base + page_addr;
    if (!pvm_access_table_own(&m->access_table)) return false; /* before the page changes: the set below cannot fail */
    if (cur == 0) {
        uint32_t n;
        const uint8_t *src = page_source(lz, page_addr, &n);
        if (lz->backend == PVM_LAZY_USERFAULTFD) {
            uint8_t buf[PVM_PAGE];
            if (src && n < PVM_PAGE) {
                memcpy(buf, src, n);
                memset(buf + n, 0, PVM_PAGE - n);
                src = buf;
            }
            if (!pvm_lazy_uffd_fill(lz->uffd, host, src, want == PVM_ACCESS_WRITE && to != PVM_ACCESS_WRITE)) return false;
        } else if (src) {
            /* The page is zero (never touched since the last reset): copy the image in. */
            if (mprotect(host, PVM_PAGE, PROT_READ | PROT_WRITE) != 0) return false;
            memcpy(host, src, n);
            if (to != PVM_ACCESS_WRITE && mprotect(host, PVM_PAGE, pvm_memory_prot(to)) != 0) return false;
        } else if (mprotect(host, PVM_PAGE, pvm_memory_prot(to)) != 0) {
            return false;
        }
    } else if (lz->backend == PVM_LAZY_USERFAULTFD) {
        if (!pvm_lazy_uffd_allow_write(lz->uffd, host)) return false;
    } else if (mprotect(host, PVM_PAGE, pvm_memory_prot(to)) != 0) {
        return false;
    }
    pvm_access_table_set(&m->access_table, p, 1, to);
    return true;
}

pvm_lazy_outcome pvm_memory_lazy_fault(pvm_memory *m, uint32_t addr, uint32_t n, bool write, pvm_gas_mode mode,
                                       int64_t *gas)
{
    struct pvm_lazy *lz = m->lazy;
    if (!lz || n == 0 || n > PVM_PAGE) return PVM_LAZY_NOT_LAZY;
    uint32_t last = addr + n - 1; /* wraps at 2^32 like the access itself */
    if (addr < PVM_LOW_LIMIT || last < PVM_LOW_LIMIT || last < addr) return PVM_LAZY_NOT_LAZY; /* it panics */
    uint32_t pages[2] = {addr >> PVM_PAGE_SHIFT, last >> PVM_PAGE_SHIFT};
    unsigned n_pages = pages[0] == pages[1] ? 1 : 2;
    uint8_t need = write ? PVM_ACCESS_WRITE : PVM_ACCESS_READ;
    unsigned reads = 0, writes = 0;
    bool fill[2] = {false, false};
    int64_t charge = 0;
    for (unsigned i = 0; i < n_pages; i++) {
        uint8_t want = lz->want[pages[i]], cur = m->perm[pages[i]];
        if ((want & need) != need || (cur & need) == need) continue;
        fill[i] = true;
        reads += cur == 0;
        writes += write;
        charge += page_charge(lz, pages[i], cur == 0, write);
    }
    if (!fill[0] && !fill[1]) return PVM_LAZY_NOT_LAZY;
    if (mode == PVM_GAS_SYNC) {
        if (*gas < charge) return PVM_LAZY_OUT_OF_GAS;
        *gas -= charge;
    } else if (mode == PVM_GAS_ASYNC) {
        *gas -= charge;
        if (*gas < 0) return PVM_LAZY_OUT_OF_GAS;
    }
    for (unsigned i = 0; i < n_pages; i++)
        if (fill[i] && !fill_page(m, pages[i], need)) return PVM_LAZY_NOT_LAZY; /* then it faults as unmapped */
    lz->stats.read_fills += reads;
    lz->stats.write_fills += writes;
    return PVM_LAZY_FILLED;
}

bool pvm_lazy_materialize(pvm_memory *m, uint32_t page_addr)
{
    struct pvm_lazy *lz = m->lazy;
    uint32_t p = page_addr >> PVM_PAGE_SHIFT;
    if (!lz || !lz->want[p]) return false;
    if (m->perm[p] == lz->want[p]) return true;
    return fill_page(m, p, lz->want[p]);
}

pvm_access pvm_lazy_final_access(const pvm_memory *m, uint32_t addr)
{
    uint32_t p = addr >> PVM_PAGE_SHIFT;
    if (m->lazy && m->lazy->want[p]) return (pvm_access)m->lazy->want[p];
    return (pvm_access)m->perm[p];
}

pvm_lazy_stats pvm_lazy_get_stats(const pvm_memory *m)
{
    pvm_lazy_stats s = {0, 0};
    return m->lazy ? m->lazy->stats : s;
}

pvm_lazy_charges pvm_lazy_charges_reference(void)
{
    return (pvm_lazy_charges){.read = PVM_LAZY_GAS_READ, .read_image = PVM_LAZY_GAS_READ,
                              .write_first = PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE, .write = PVM_LAZY_GAS_WRITE};
}

void pvm_lazy_set_charges(pvm_memory *m, pvm_lazy_charges charges)
{
    if (m->lazy) m->lazy->charges = charges;
}
