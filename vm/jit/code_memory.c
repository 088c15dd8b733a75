/* Memory for generated code.
 *
 * Small modules take a slot of a shared arena: one memfd mapped twice, a
 * writable view for the code generator and an executable view for running,
 * so compiling and freeing a module needs no system call (a fuzzer compiles
 * hundreds of thousands of small modules; mmap/mprotect/munmap each flush the
 * TLB). Code is position-independent, so it can be written at one address and
 * run at another. Large modules get their own mapping: reserved for the worst
 * case, trimmed to the bytes used (to whole huge pages), then switched from
 * writable to executable. A released one is cleared where code was written and
 * kept for the next large compile (parked, below).
 * A fork retires the slots in use (see arena_before_fork).
 *
 * Executable views are placed below 2 GiB where the kernel finds room
 * (MAP_32BIT), so that generated code can name its jump table by an absolute
 * 32-bit address (codegen.c: table_abs); elsewhere it still works, a little slower. */
#define _GNU_SOURCE
#include "code_memory.h"
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vm/util/error.h"

#ifdef MAP_32BIT
#define LOW_CODE MAP_32BIT
#else
#define LOW_CODE 0
#endif

#define SLOT_SIZE (64u * 1024u)
#define SLOTS 512u

static struct {
    pthread_once_t once;
    pthread_mutex_t lock;
    uint8_t *rw, *rx; /* NULL: no arena (memfd or the double mapping failed) */
    uint64_t used[SLOTS / 64];
    uint64_t retired[SLOTS / 64]; /* in use at a fork: never handed out again */
} arena = {PTHREAD_ONCE_INIT, PTHREAD_MUTEX_INITIALIZER, NULL, NULL, {0}, {0}};

/* fork: the arena's pages stay shared with the child, which may go on running
 * the code it inherited. So the parent never reuses a slot that was in use at
 * fork time (it is retired: kept taken), and the child never writes the arena
 * (it compiles into own mappings). The lock is held across fork so no slot
 * changes hands in between. */
static void arena_before_fork(void)
{
    pthread_mutex_lock(&arena.lock);
    for (unsigned w = 0; w < SLOTS / 64; w++) arena.retired[w] |= arena.used[w];
}

static void arena_after_fork_in_parent(void) { pthread_mutex_unlock(&arena.lock); }

static void arena_after_fork_in_child(void)
{
    arena.rw = NULL;
    pthread_mutex_unlock(&arena.lock);
}

static void arena_init(void)
{
    size_t size = (size_t)SLOT_SIZE * SLOTS;
    int fd = memfd_create("pvm-jit-code", MFD_CLOEXEC);
    if (fd < 0) return;
    if (ftruncate(fd, (off_t)size) == 0) {
        void *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        void *rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED | LOW_CODE, fd, 0);
        if (rx == MAP_FAILED) rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        if (rw != MAP_FAILED && rx != MAP_FAILED && pthread_atfork(arena_before_fork, arena_after_fork_in_parent, arena_after_fork_in_child) == 0) {
            arena.rw = rw;
            arena.rx = rx;
        } else {
            if (rw != MAP_FAILED) munmap(rw, size);
            if (rx != MAP_FAILED) munmap(rx, size);
        }
    }
    close(fd); /* the mappings keep the file alive */
}

#define HUGE ((size_t)2 << 20)
#define PAGE_ROUND(n) (((n) + 4095) & ~(size_t)4095)

/* The last released own mapping, writable and zero again, for the next large
 * compile: its pages are then in place. A fresh mapping costs a page fault and
 * the kernel's clearing of 2 MiB per huge page it touches (~60 us each here,
 * a few per chunk of a large module, on the compile's path every time).
 * Under arena.lock. */
static struct {
    uint8_t *p;
    size_t mapped;
} parked;

/* The parked mapping grown to at least bound bytes at the same address, or NULL
 * (none, or the room after it is taken: then it is unmapped). Only below 2 GiB,
 * where a fresh MAP_32BIT reservation would also lie (the code names its jump
 * table by address there: the same code either way). */
static uint8_t *take_parked(size_t bound, size_t *mapped)
{
    pthread_mutex_lock(&arena.lock);
    uint8_t *p = parked.p;
    size_t have = parked.mapped;
    parked.p = NULL;
    pthread_mutex_unlock(&arena.lock);
    if (!p) return NULL;
    bool low = (uintptr_t)p + bound <= (uintptr_t)INT32_MAX;
    bool fits = low && have >= bound;
#ifdef MAP_FIXED_NOREPLACE
    if (low && !fits) {
        uint8_t *more = mmap(p + have, bound - have, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (more == p + have) {
#ifdef MADV_HUGEPAGE
            madvise(more, bound - have, MADV_HUGEPAGE);
#endif
            have = bound;
            fits = true;
        } else if (more != MAP_FAILED) {
            munmap(more, bound - have); /* an old kernel took the flag for a hint */
        }
    }
#endif
    if (!fits) {
        munmap(p, have);
        return NULL;
    }
    *mapped = have;
    return p;
}

/* Keep c's mapping for the next large compile (true), cleared where code was
 * written, or let it go (false: not a sealed large one, or not writable again). */
static bool park(jit_code *c)
{
    bool any = false;
    for (int k = 0; k < 2; k++) any |= c->written[k][1] > c->written[k][0];
    if (!any || c->mapped < HUGE || mprotect(c->rw, c->mapped, PROT_READ | PROT_WRITE) != 0) return false;
    for (int k = 0; k < 2; k++) { /* and the few bytes a word store may write past the end */
        size_t from = c->written[k][0], to = c->written[k][1] + 64;
        if (to > c->mapped) to = c->mapped;
        if (to > from) memset(c->rw + from, 0, to - from);
    }
    pthread_mutex_lock(&arena.lock);
    uint8_t *old = parked.p;
    size_t old_mapped = parked.mapped;
    parked.p = c->rw;
    parked.mapped = c->mapped;
    pthread_mutex_unlock(&arena.lock);
    if (old) munmap(old, old_mapped);
    return true;
}

static int take_slot(void)
{
    int slot = -1;
    pthread_mutex_lock(&arena.lock);
    for (unsigned w = 0; w < SLOTS / 64 && slot < 0; w++)
        if (~arena.used[w]) {
            unsigned bit = (unsigned)__builtin_ctzll(~arena.used[w]);
            arena.used[w] |= 1ull << bit;
            slot = (int)(w * 64 + bit);
        }
    pthread_mutex_unlock(&arena.lock);
    return slot;
}

pvm_status jit_code_reserve(size_t bound, jit_code *c, pvm_error *err)
{
    memset(c, 0, sizeof *c);
    c->slot = -1;
    if (bound <= SLOT_SIZE) {
        pthread_once(&arena.once, arena_init);
        int slot = arena.rw ? take_slot() : -1;
        if (slot >= 0) {
            c->slot = slot;
            c->rw = arena.rw + (size_t)slot * SLOT_SIZE;
            c->rx = arena.rx + (size_t)slot * SLOT_SIZE;
            c->size = SLOT_SIZE;
            return PVM_OK;
        }
    }
    /* Aligned to 2 MiB and on transparent huge pages where offered: a large
     * module's code then costs a few page faults (and iTLB entries), not one per 4 KiB. */
    const size_t huge = HUGE;
    bound = PAGE_ROUND(bound);
    size_t mapped;
    uint8_t *reused = bound >= huge ? take_parked(bound, &mapped) : NULL;
    if (reused) {
        c->rw = c->rx = reused;
        c->size = bound;
        c->mapped = mapped;
        return PVM_OK;
    }
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    uint8_t *p = mmap(NULL, bound + huge, PROT_READ | PROT_WRITE, flags | LOW_CODE, -1, 0);
    if (p == MAP_FAILED) p = mmap(NULL, bound + huge, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED) return pvm_fail(err, PVM_ERR_NO_MEMORY, "recompiler: cannot reserve %zu bytes for code", bound);
    uint8_t *aligned = (uint8_t *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
    if (aligned > p) munmap(p, (size_t)(aligned - p));
    if (aligned + bound < p + bound + huge) munmap(aligned + bound, (size_t)(p + bound + huge - (aligned + bound)));
#ifdef MADV_HUGEPAGE
    if (bound >= huge) madvise(aligned, bound, MADV_HUGEPAGE);
#endif
    c->rw = c->rx = aligned;
    c->size = c->mapped = bound;
    return PVM_OK;
}

pvm_status jit_code_seal(jit_code *c, size_t used, pvm_error *err)
{
    if (c->slot >= 0) return PVM_OK;
    used = PAGE_ROUND(used);
    /* to whole huge pages: a part of one unmapped or made executable splits it */
    size_t keep = c->mapped >= HUGE ? (used + HUGE - 1) & ~(HUGE - 1) : used;
    if (keep > c->mapped) keep = c->mapped;
    if (keep < c->mapped) munmap(c->rw + keep, c->mapped - keep);
    c->size = used;
    c->mapped = keep;
    if (mprotect(c->rw, keep, PROT_READ | PROT_EXEC) != 0)
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "recompiler: cannot make the code executable");
    return PVM_OK;
}

void jit_code_release(jit_code *c)
{
    if (c->slot >= 0) {
        uint64_t bit = 1ull << (c->slot % 64);
        pthread_mutex_lock(&arena.lock);
        if (!(arena.retired[c->slot / 64] & bit)) arena.used[c->slot / 64] &= ~bit;
        pthread_mutex_unlock(&arena.lock);
    } else if (c->rw && !park(c)) {
        munmap(c->rw, c->mapped);
    }
    memset(c, 0, sizeof *c);
    c->slot = -1;
}
