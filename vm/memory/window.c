/* Operations on the whole guest window that see lazy pages (lazy.h): host
 * copies materialize them first, clear and destroy forget them. Above the page
 * layer (memory.c) and the lazy pages built on it (lazy.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "lazy.h"
#include "memory.h"
#include "vm/util/error.h"

void pvm_memory_destroy(pvm_memory *m)
{
    pvm_lazy_free(m);
    if (m->base) munmap(m->base - PVM_GUARD_BELOW, PVM_GUARD_BELOW + m->reserved);
    pvm_access_table_free(&m->access_table);
    free(m->ranges);
    memset(m, 0, sizeof *m);
}

void pvm_memory_clear(pvm_memory *m)
{
    pvm_memory_rewind(m, 0); /* keeping no range: unmaps every one */
    if (m->lazy) pvm_lazy_clear(m);
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
    if (ro) {
        m->host_wrote_readonly = true; /* a rewind must drop read-only ranges too */
        mprotect(m->base + first, end - first, PROT_READ | PROT_WRITE);
    }
    memcpy(m->base + addr, src, len);
    if (ro)
        for (uint64_t p = first; p < end; p += PVM_PAGE)
            mprotect(m->base + p, PVM_PAGE, pvm_memory_prot((pvm_access)m->perm[p >> PVM_PAGE_SHIFT]));
    return PVM_OK;
}
