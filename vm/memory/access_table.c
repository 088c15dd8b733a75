/* A window's access table: the read-only tables readers share, the own copy made at
 * the first write, a cache of cleared copies (see access_table.h). */
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

static uint8_t *zero_table;
static pthread_once_t zero_once = PTHREAD_ONCE_INIT;

/* Reading it maps the kernel's shared zero page: no memory per window. */
static void map_zero_table(void)
{
    void *p = mmap(NULL, PVM_ACCESS_TABLE_BYTES, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    zero_table = p == MAP_FAILED ? NULL : p;
}

const uint8_t *pvm_access_table_zero_table(void)
{
    pthread_once(&zero_once, map_zero_table);
    return zero_table;
}

static bool is_written(const pvm_access_table *t, uint32_t page) { return t->written[page / 64] >> (page % 64) & 1; }

/* A fresh writable zero mapping at `at` (MAP_FIXED over a table) or anywhere (at NULL). */
static uint8_t *map_zero(uint8_t *at)
{
    void *p = mmap(at, PVM_ACCESS_TABLE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0),
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

bool pvm_access_table_new(pvm_access_table *t)
{
    memset(t, 0, sizeof *t);
    return (t->perm = (uint8_t *)pvm_access_table_zero_table()) != NULL;
}

void pvm_access_table_share(pvm_access_table *t, const pvm_memory_image *img)
{
    t->perm = (uint8_t *)img->table;
    t->image = img;
}

/* A cached table into t->own, with the pages it has populated (zero again). */
static bool take_cached(pvm_access_table *t)
{
    pthread_mutex_lock(&cache_lock);
    bool hit = n_cached > 0;
    if (hit) t->own = cached[--n_cached].own, memcpy(t->written, cached[n_cached].written, sizeof t->written);
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

/* An anonymous own table that reads zero: itself when it is one (one not in use reads
 * zero), fresh pages over a snapshot copy, a cached one, or a new mapping. */
static bool own_zero(pvm_access_table *t)
{
    if (t->own && !t->own_file) return true;
    if (!t->own && take_cached(t)) return true;
    uint8_t *p = map_zero(t->own);
    if (!p) return false;
    t->own = p;
    memset(t->written, 0, sizeof t->written);
    t->own_file = 0;
    t->own_clean = false;
    return true;
}

/* own as a private copy of img's table: reused when it is a clean one already. */
static bool own_copy(pvm_access_table *t, const pvm_memory_image *img)
{
    if (t->own && t->own_file == img->id && t->own_clean) return true;
    void *p = mmap(t->own, PVM_ACCESS_TABLE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | (t->own ? MAP_FIXED : 0),
                   img->fd, (off_t)img->table_offset);
    if (p == MAP_FAILED) return false;
    t->own = p;
    t->own_file = img->id;
    memset(t->written, 0, sizeof t->written); /* any zero pages populated before are gone */
    return true;
}

bool pvm_access_table_own(pvm_access_table *t)
{
    if (t->own && t->perm == t->own) return true;
    if (!(t->image && t->perm == t->image->table ? own_copy(t, t->image) : own_zero(t))) return false;
    t->own_clean = false; /* written from now on */
    t->perm = t->own;
    return true;
}

bool pvm_access_table_set(pvm_access_table *t, uint32_t first, uint32_t n, uint8_t access)
{
    if (n == 0) return true;
    if (!pvm_access_table_own(t)) return false;
    uint32_t from = first / TABLE_PAGE, to = (first + n - 1) / TABLE_PAGE; /* inclusive */
    for (uint32_t page = from; !t->own_file && page <= to; page++) {
        if (is_written(t, page)) continue;
        uint32_t end = page;
        while (end < to && !is_written(t, end + 1)) end++;
#ifdef MADV_POPULATE_WRITE
        /* One call instead of a fault per page; where the kernel lacks it the memset faults them in. */
        madvise(t->own + (size_t)page * TABLE_PAGE, (size_t)(end - page + 1) * TABLE_PAGE, MADV_POPULATE_WRITE);
#endif
        for (; page <= end; page++) t->written[page / 64] |= 1ull << (page % 64);
    }
    memset(t->own + first, access, n);
    return true;
}

/* An anonymous own table reads zero again: its written pages are cleared (and stay
 * populated: written still names them, so the next write populates nothing). */
static void clear_written(pvm_access_table *t)
{
    for (uint32_t page = 0; page < PVM_ACCESS_TABLE_PAGES; page++)
        if (is_written(t, page)) memset(t->own + (size_t)page * TABLE_PAGE, 0, TABLE_PAGE);
}

void pvm_access_table_zero(pvm_access_table *t)
{
    if (t->own && t->perm == t->own) {
        if (t->own_file) t->own_clean = false;
        else clear_written(t);
    }
    t->perm = (uint8_t *)pvm_access_table_zero_table();
    t->image = NULL;
}

void pvm_access_table_rewound(pvm_access_table *t)
{
    if (!t->image || t->perm != t->own || t->own_file != t->image->id) return;
    t->own_clean = true;
    t->perm = (uint8_t *)t->image->table;
}

void pvm_access_table_forget(pvm_access_table *t, uint64_t id)
{
    if (t->own && t->own_file == id && t->perm != t->own && !own_zero(t)) {
        munmap(t->own, PVM_ACCESS_TABLE_BYTES); /* cannot make it zero: let it go */
        t->own = NULL;
        t->own_file = 0;
    }
}

void pvm_access_table_free(pvm_access_table *t)
{
    if (t->own && (t->own_file ? own_zero(t) : (clear_written(t), true))) {
        pthread_mutex_lock(&cache_lock);
        bool kept = n_cached < CACHED_MAX;
        if (kept) cached[n_cached++] = *t;
        pthread_mutex_unlock(&cache_lock);
        if (!kept) munmap(t->own, PVM_ACCESS_TABLE_BYTES);
    } else if (t->own) {
        munmap(t->own, PVM_ACCESS_TABLE_BYTES);
    }
    memset(t, 0, sizeof *t);
}

void pvm_access_table_cache_drop(void)
{
    pthread_mutex_lock(&cache_lock);
    while (n_cached) munmap(cached[--n_cached].own, PVM_ACCESS_TABLE_BYTES);
    pthread_mutex_unlock(&cache_lock);
}
