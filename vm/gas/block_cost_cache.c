/* Process-wide block-cost cache (see block_cost_cache.h). */
#include "block_cost_cache.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "vm/util/large_alloc.h"

#define CACHE_ENTRIES 8

typedef struct {
    uint64_t hash;
    pvm_isa isa;
    pvm_cost_kind kind;
    uint32_t chase_hop;           /* the model's carried-load-chain charge, part of every cost */
    uint32_t recurrence_milligas; /* and its self-loops' floor (format 6) */
    uint32_t code_len, n_blocks;
    uint8_t *code_and_mask;  /* code, then (code_len + 7) / 8 bitmask bytes; NULL = empty entry */
    uint8_t *model;          /* the table or pipeline parameters */
    uint32_t *costs;
} entry;

static entry cache[CACHE_ENTRIES];
static unsigned next_victim;

/* A large program's costs are remembered the second time they are computed:
 * the first time only its key is noted here. A one-off compile (most of them)
 * then copies no code (728 KB for the large guest, a fresh huge page, about 4
 * Ir per instruction), and a program compiled again and again (bench and
 * calibration loops) is simulated twice instead of once. */
#define SECOND_SIGHT_FROM ((uint32_t)64 << 10) /* bytes of code */
#define SEEN_KEYS 16
static uint64_t seen[SEEN_KEYS];
static unsigned next_seen;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t mask_len(const pvm_decoded *d) { return d->bitmask ? (d->code_len + 7) / 8 : 0; }

/* The model's contents as bytes (all uint32_t fields: no padding). */
static const void *model_bytes(const pvm_cost_model *m, size_t *len)
{
    if (m->kind == PVM_COST_TABLE) {
        *len = sizeof m->op_cost;
        return m->op_cost;
    }
    *len = sizeof *m->pipeline;
    return m->pipeline;
}

static bool cacheable(const pvm_cost_model *m, const pvm_decoded *d)
{
    return m && m->kind != PVM_COST_UNIT && d->code && (m->kind != PVM_COST_PIPELINE || m->pipeline);
}

/* The key only finds a candidate (a hit compares code, bitmask and model byte for
 * byte), so it need not read all of the code: the lengths and counts, up to
 * KEY_WINDOW bytes at the start, middle and end of the code and of the bitmask,
 * and the whole model. Hashing all 728 KB of the large guest's code cost about
 * 4 Ir per instruction on every compile with a non-unit model. Two programs
 * that differ only outside the windows share a key and are told apart by the
 * comparison (a crafted program can make a lookup compare at most
 * CACHE_ENTRIES codes, no more than a hit does). */
#define KEY_WINDOW 1024u

static uint64_t hash_windows(const uint8_t *p, size_t len, uint64_t h)
{
    if (len <= 3 * KEY_WINDOW) return XXH3_64bits_withSeed(p, len, h);
    h = XXH3_64bits_withSeed(p, KEY_WINDOW, h);
    h = XXH3_64bits_withSeed(p + (len - KEY_WINDOW) / 2, KEY_WINDOW, h);
    return XXH3_64bits_withSeed(p + len - KEY_WINDOW, KEY_WINDOW, h);
}

static uint64_t key_hash(const pvm_cost_model *m, const pvm_decoded *d)
{
    size_t ml;
    const void *mb = model_bytes(m, &ml);
    const uint32_t counts[5] = {d->code_len, d->n_instrs, d->n_blocks, m->host.chase_hop, m->host.recurrence_milligas};
    uint64_t h = XXH3_64bits_withSeed(counts, sizeof counts, (uint64_t)d->isa * 0x9E3779B97F4A7C15ull ^ (uint64_t)m->kind);
    h = hash_windows(d->code, d->code_len, h);
    if (d->bitmask) h = hash_windows(d->bitmask, mask_len(d), h);
    return XXH3_64bits_withSeed(mb, ml, h);
}

static bool matches(const entry *e, uint64_t h, const pvm_cost_model *m, const pvm_decoded *d)
{
    size_t ml;
    const void *mb = model_bytes(m, &ml);
    return e->code_and_mask && e->hash == h && e->isa == d->isa && e->kind == m->kind && e->chase_hop == m->host.chase_hop &&
           e->recurrence_milligas == m->host.recurrence_milligas && e->code_len == d->code_len &&
           e->n_blocks == d->n_blocks && memcmp(e->code_and_mask, d->code, d->code_len) == 0 &&
           (!d->bitmask || memcmp(e->code_and_mask + d->code_len, d->bitmask, mask_len(d)) == 0) &&
           memcmp(e->model, mb, ml) == 0;
}

uint64_t pvm_block_cost_cache_key(const pvm_cost_model *m, const pvm_decoded *d)
{
    return cacheable(m, d) ? key_hash(m, d) : 0;
}

bool pvm_block_cost_cache_get(const pvm_cost_model *m, const pvm_decoded *d, uint32_t *costs)
{
    return pvm_block_cost_cache_get_keyed(m, d, pvm_block_cost_cache_key(m, d), costs);
}

void pvm_block_cost_cache_put(const pvm_cost_model *m, const pvm_decoded *d, const uint32_t *costs)
{
    pvm_block_cost_cache_put_keyed(m, d, pvm_block_cost_cache_key(m, d), costs);
}

bool pvm_block_cost_cache_get_keyed(const pvm_cost_model *m, const pvm_decoded *d, uint64_t h, uint32_t *costs)
{
    if (!cacheable(m, d)) return false;
    bool hit = false;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_ENTRIES && !hit; i++)
        if (matches(&cache[i], h, m, d)) {
            memcpy(costs, cache[i].costs, (size_t)d->n_blocks * sizeof *costs);
            hit = true;
        }
    pthread_mutex_unlock(&lock);
    return hit;
}

/* The code copy and the costs of a large program: util_alloc_large (a fresh page
 * costs more than copying it; large_alloc.h). */
static size_t code_and_mask_bytes(uint32_t code_len) { return (size_t)code_len + ((size_t)code_len + 7) / 8 + 1; }
static size_t costs_bytes(uint32_t n_blocks) { return ((size_t)n_blocks + 1) * sizeof(uint32_t); }

static void entry_free(entry *e)
{
    util_free_large(e->code_and_mask, code_and_mask_bytes(e->code_len));
    free(e->model);
    util_free_large(e->costs, costs_bytes(e->n_blocks));
    memset(e, 0, sizeof *e);
}

/* Whether h was noted (then true); else notes it. */
static bool seen_before(uint64_t h)
{
    bool was = false;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SEEN_KEYS && !was; i++) was = seen[i] == h;
    if (!was) {
        seen[next_seen] = h;
        next_seen = (next_seen + 1) % SEEN_KEYS;
    }
    pthread_mutex_unlock(&lock);
    return was;
}

void pvm_block_cost_cache_put_keyed(const pvm_cost_model *m, const pvm_decoded *d, uint64_t h, const uint32_t *costs)
{
    if (!cacheable(m, d)) return;
    if (d->code_len >= SECOND_SIGHT_FROM && !seen_before(h)) return;
    size_t ml;
    const void *mb = model_bytes(m, &ml);
    entry n = {h, d->isa, m->kind, m->host.chase_hop, m->host.recurrence_milligas, d->code_len, d->n_blocks,
               util_alloc_large(code_and_mask_bytes(d->code_len)), malloc(ml),
               util_alloc_large(costs_bytes(d->n_blocks))};
    if (!n.code_and_mask || !n.model || !n.costs) {
        entry_free(&n);
        return;
    }
    memcpy(n.code_and_mask, d->code, d->code_len);
    if (d->bitmask) memcpy(n.code_and_mask + d->code_len, d->bitmask, mask_len(d));
    memcpy(n.model, mb, ml);
    memcpy(n.costs, costs, (size_t)d->n_blocks * sizeof *costs);
    pthread_mutex_lock(&lock);
    int at = -1; /* an entry for the same program and model is replaced, not duplicated */
    for (int i = 0; i < CACHE_ENTRIES && at < 0; i++)
        if (matches(&cache[i], n.hash, m, d)) at = i;
    if (at < 0) {
        at = (int)next_victim;
        next_victim = (next_victim + 1) % CACHE_ENTRIES;
    }
    entry old = cache[at];
    cache[at] = n;
    pthread_mutex_unlock(&lock);
    entry_free(&old);
}
