/* Guest memory window with page permissions. */
#include "memory.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "lazy.h"
#include "vm/util/error.h"

pvm_status pvm_memory_init(pvm_memory *m, pvm_error *err)
{
    memset(m, 0, sizeof *m);
    m->reserved = (1ull << 32) + PVM_GUARD_SIZE;
    void *p = mmap(NULL, m->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return pvm_fail(err, PVM_ERR_NO_MEMORY, "cannot reserve the 4 GiB guest window: %s", strerror(errno));
    m->base = p;
    m->perm = calloc(PVM_PAGES, 1);
    if (!m->perm) {
        munmap(p, m->reserved);
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the page table");
    }
    return PVM_OK;
}

void pvm_memory_destroy(pvm_memory *m)
{
    pvm_lazy_free(m);
    if (m->base) munmap(m->base, m->reserved);
    free(m->perm);
    free(m->ranges);
    memset(m, 0, sizeof *m);
}

static int prot_of(pvm_access a)
{
    return a == PVM_ACCESS_WRITE ? PROT_READ | PROT_WRITE : a == PVM_ACCESS_READ ? PROT_READ : PROT_NONE;
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

static pvm_status reserve_range(pvm_memory *m, pvm_error *err)
{
    if (m->n_ranges < m->cap_ranges) return PVM_OK;
    size_t nc = m->cap_ranges ? m->cap_ranges * 2 : 8;
    pvm_range *r = realloc(m->ranges, nc * sizeof *r);
    if (!r) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory");
    m->ranges = r;
    m->cap_ranges = nc;
    return PVM_OK;
}

pvm_status pvm_memory_map(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, pvm_error *err)
{
    pvm_status st = check_map(addr, len, access, err);
    if (st || len == 0) return st;
    if ((st = reserve_range(m, err))) return st;
    if (mprotect(m->base + addr, len, prot_of(access)) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "map 0x%x+0x%x: mprotect: %s", addr, len, strerror(errno));
    memset(m->perm + (addr >> PVM_PAGE_SHIFT), access, len >> PVM_PAGE_SHIFT);
    m->ranges[m->n_ranges++] = (pvm_range){addr, len, 0};
    return PVM_OK;
}

pvm_status pvm_memory_map_image(pvm_memory *m, uint32_t addr, uint32_t len, pvm_access access, int fd, uint64_t offset,
                                pvm_error *err)
{
    pvm_status st = check_map(addr, len, access, err);
    if (st || len == 0) return st;
    if ((st = reserve_range(m, err))) return st;
    if (mmap(m->base + addr, len, prot_of(access), MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, fd, (off_t)offset) == MAP_FAILED)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "map 0x%x+0x%x from the image: mmap: %s", addr, len, strerror(errno));
    memset(m->perm + (addr >> PVM_PAGE_SHIFT), access, len >> PVM_PAGE_SHIFT);
    m->ranges[m->n_ranges++] = (pvm_range){addr, len, 1};
    return PVM_OK;
}

/* Make one range inaccessible and zero: anonymous memory drops its pages;
 * a snapshot mapping is replaced by fresh anonymous memory (one mmap). */
static void unmap_range(pvm_memory *m, pvm_range r)
{
    if (r.from_image) {
        mmap(m->base + r.start, r.len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
        if (m->huge) madvise(m->base + r.start, r.len, MADV_HUGEPAGE); /* the new mapping does not inherit it */
    } else {
        madvise(m->base + r.start, r.len, MADV_DONTNEED);
        mprotect(m->base + r.start, r.len, PROT_NONE);
    }
    memset(m->perm + (r.start >> PVM_PAGE_SHIFT), 0, r.len >> PVM_PAGE_SHIFT);
}

bool pvm_memory_rewind(pvm_memory *m, size_t keep)
{
    if (keep > m->n_ranges) return false;
    for (size_t i = keep; i < m->n_ranges; i++)
        for (size_t k = 0; k < keep; k++) {
            pvm_range a = m->ranges[i], b = m->ranges[k];
            if (a.start < b.start + b.len && b.start < a.start + a.len) return false;
        }
    for (size_t i = m->n_ranges; i-- > keep;) unmap_range(m, m->ranges[i]);
    for (size_t k = 0; k < keep; k++) madvise(m->base + m->ranges[k].start, m->ranges[k].len, MADV_DONTNEED);
    m->n_ranges = keep;
    return true;
}

void pvm_memory_clear(pvm_memory *m)
{
    for (size_t i = 0; i < m->n_ranges; i++) unmap_range(m, m->ranges[i]);
    m->n_ranges = 0;
    if (m->lazy) pvm_lazy_clear(m);
}

pvm_status pvm_memory_set_huge_pages(pvm_memory *m, bool on, pvm_error *err)
{
    if (madvise(m->base, m->reserved, on ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0)
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

static pvm_status host_check(const pvm_memory *m, uint32_t addr, size_t len, pvm_error *err)
{
    if ((uint64_t)addr + len > (1ull << 32))
        return pvm_fail(err, PVM_ERR_OUT_OF_BOUNDS, "access 0x%x+%zu: past the 4 GiB address space", addr, len);
    for (uint64_t p = addr & ~(uint64_t)(PVM_PAGE - 1); p < (uint64_t)addr + len; p += PVM_PAGE)
        if (!m->perm[p >> PVM_PAGE_SHIFT] && !(m->lazy && pvm_lazy_materialize((pvm_memory *)m, (uint32_t)p)))
            return pvm_fail(err, PVM_ERR_OUT_OF_BOUNDS, "access 0x%x+%zu: page 0x%llx is not mapped", addr, len,
                            (unsigned long long)p);
    return PVM_OK;
}

pvm_status pvm_memory_read(const pvm_memory *m, uint32_t addr, void *dst, size_t len, pvm_error *err)
{
    pvm_status st = host_check(m, addr, len, err);
    if (st == PVM_OK && len) memcpy(dst, m->base + addr, len);
    return st;
}

pvm_status pvm_memory_write(pvm_memory *m, uint32_t addr, const void *src, size_t len, pvm_error *err)
{
    pvm_status st = host_check(m, addr, len, err);
    if (st != PVM_OK || !len) return st;
    /* Read-only pages are writable for the host: lift the protection around the copy. */
    uint32_t first = addr & ~(PVM_PAGE - 1);
    uint64_t end = ((uint64_t)addr + len + PVM_PAGE - 1) & ~(uint64_t)(PVM_PAGE - 1);
    bool ro = false;
    for (uint64_t p = first; p < end; p += PVM_PAGE) ro |= m->perm[p >> PVM_PAGE_SHIFT] != PVM_ACCESS_WRITE;
    if (ro) mprotect(m->base + first, end - first, PROT_READ | PROT_WRITE);
    memcpy(m->base + addr, src, len);
    if (ro)
        for (uint64_t p = first; p < end; p += PVM_PAGE)
            mprotect(m->base + p, PVM_PAGE, prot_of((pvm_access)m->perm[p >> PVM_PAGE_SHIFT]));
    return PVM_OK;
}
