/* A window's access table: populate-before-write and a cache of cleared tables (see access_table.h). */
#define _GNU_SOURCE
#include "access_table.h"
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#define TABLE_PAGE 4096u
#define CACHED_MAX 16 /* 16 MiB of address space; resident: the few written pages of each */

static pvm_access_table cached[CACHED_MAX];
static unsigned n_cached;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static bool is_written(const pvm_access_table *t, uint32_t page) { return t->written[page / 64] >> (page % 64) & 1; }

/* A fresh zero mapping at `at` (MAP_FIXED over the table) or anywhere (at NULL). */
static uint8_t *map_zero(uint8_t *at)
{
    void *p = mmap(at, PVM_ACCESS_TABLE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0),
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static bool take_cached(pvm_access_table *t);

bool pvm_access_table_new(pvm_access_table *t)
{
    if (take_cached(t)) return true;
    memset(t, 0, sizeof *t);
    return (t->perm = map_zero(NULL)) != NULL;
}

static bool take_cached(pvm_access_table *t)
{
    pthread_mutex_lock(&cache_lock);
    bool hit = n_cached > 0;
    if (hit) *t = cached[--n_cached];
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

bool pvm_access_table_new_from_file(pvm_access_table *t, int fd, uint64_t offset, uint64_t id)
{
    if (take_cached(t)) {
        if (pvm_access_table_map_file(t, fd, offset, id)) return true;
        pvm_access_table_free(t);
        return false;
    }
    memset(t, 0, sizeof *t);
    void *p = mmap(NULL, PVM_ACCESS_TABLE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)offset);
    if (p == MAP_FAILED) return false;
    t->perm = p;
    t->from_file = true;
    t->file_id = id;
    return true;
}

bool pvm_access_table_map_file(pvm_access_table *t, int fd, uint64_t offset, uint64_t id)
{
    if (t->from_file && t->file_id == id) return true;
    if (mmap(t->perm, PVM_ACCESS_TABLE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, (off_t)offset) ==
        MAP_FAILED)
        return false;
    memset(t->written, 0, sizeof t->written); /* the zero pages populated before are gone */
    t->from_file = true;
    t->file_id = id;
    return true;
}

bool pvm_access_table_unmap_file(pvm_access_table *t)
{
    if (!t->from_file || !map_zero(t->perm)) return false;
    memset(t->written, 0, sizeof t->written);
    t->from_file = false;
    t->file_id = 0;
    return true;
}

void pvm_access_table_set(pvm_access_table *t, uint32_t first, uint32_t n, uint8_t access)
{
    if (n == 0) return;
    uint32_t from = first / TABLE_PAGE, to = (first + n - 1) / TABLE_PAGE; /* inclusive */
    for (uint32_t page = from; page <= to; page++) {
        if (is_written(t, page)) continue;
        uint32_t end = page;
        while (end < to && !is_written(t, end + 1)) end++;
#ifdef MADV_POPULATE_WRITE
        /* One call instead of a fault per page; where the kernel lacks it the memset faults them in. */
        madvise(t->perm + (size_t)page * TABLE_PAGE, (size_t)(end - page + 1) * TABLE_PAGE, MADV_POPULATE_WRITE);
#endif
        for (; page <= end; page++) t->written[page / 64] |= 1ull << (page % 64);
    }
    memset(t->perm + first, access, n);
}

void pvm_access_table_free(pvm_access_table *t)
{
    if (!t->perm) return;
    if (t->from_file && !pvm_access_table_unmap_file(t)) { /* cannot make it zero: not for the cache */
        munmap(t->perm, PVM_ACCESS_TABLE_BYTES);
        memset(t, 0, sizeof *t);
        return;
    }
    for (uint32_t page = 0; page < PVM_ACCESS_TABLE_PAGES; page++)
        if (is_written(t, page)) memset(t->perm + (size_t)page * TABLE_PAGE, 0, TABLE_PAGE);
    pthread_mutex_lock(&cache_lock);
    bool kept = n_cached < CACHED_MAX;
    if (kept) cached[n_cached++] = *t;
    pthread_mutex_unlock(&cache_lock);
    if (!kept) munmap(t->perm, PVM_ACCESS_TABLE_BYTES);
    memset(t, 0, sizeof *t);
}

void pvm_access_table_cache_drop(void)
{
    pthread_mutex_lock(&cache_lock);
    while (n_cached) munmap(cached[--n_cached].perm, PVM_ACCESS_TABLE_BYTES);
    pthread_mutex_unlock(&cache_lock);
}
