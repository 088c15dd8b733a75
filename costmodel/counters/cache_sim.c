/* LRU by age stamps: each way holds a line tag (line address + 1, 0 = empty) and the
 * stamp of its last use; a miss replaces the empty or least recently used way. */
#include "cache_sim.h"

#include <stdlib.h>
#include <string.h>

typedef struct sim_level {
    uint64_t *tag, *stamp; /* sets * ways each */
    uint64_t sets, set_mask; /* set_mask: sets - 1 when a power of two (no division), else 0 */
    uint32_t ways, line_shift;
} sim_level;

struct cache_sim {
    cache_geometry geometry;
    sim_level level[CACHE_MAX_LEVELS];
    uint64_t clock;
    cache_sim_counts counts;
    /* The first level's most recent line and its stamp: the most recently used line of its
     * set, so still there; touching it again only renews the stamp (a short cut of touch()). */
    uint64_t last_line;
    uint64_t *last_stamp; /* NULL until the first access */
};

static uint32_t log2_of(uint32_t x)
{
    uint32_t s = 0;
    while ((1u << s) < x) s++;
    return s;
}

cache_sim *cache_sim_new(const cache_geometry *g)
{
    if (g->levels == 0 || g->levels > CACHE_MAX_LEVELS) return NULL;
    cache_sim *sim = calloc(1, sizeof *sim);
    if (!sim) return NULL;
    sim->geometry = *g;
    for (size_t k = 0; k < g->levels; k++) {
        const cache_level *l = &g->level[k];
        sim_level *s = &sim->level[k];
        s->ways = l->ways ? l->ways : 1;
        s->line_shift = log2_of(l->line ? l->line : 64);
        s->sets = l->size >> s->line_shift;
        s->sets = s->sets / s->ways ? s->sets / s->ways : 1;
        s->set_mask = (s->sets & (s->sets - 1)) == 0 ? s->sets - 1 : 0;
        s->tag = calloc(s->sets * s->ways, sizeof *s->tag);
        s->stamp = calloc(s->sets * s->ways, sizeof *s->stamp);
        if (!s->tag || !s->stamp) {
            cache_sim_free(sim);
            return NULL;
        }
    }
    return sim;
}

void cache_sim_free(cache_sim *sim)
{
    if (!sim) return;
    for (size_t k = 0; k < CACHE_MAX_LEVELS; k++) {
        free(sim->level[k].tag);
        free(sim->level[k].stamp);
    }
    free(sim);
}

const cache_geometry *cache_sim_geometry(const cache_sim *sim)
{
    return &sim->geometry;
}

void cache_sim_flush(cache_sim *sim)
{
    for (size_t k = 0; k < sim->geometry.levels; k++) {
        sim_level *s = &sim->level[k];
        memset(s->tag, 0, s->sets * s->ways * sizeof *s->tag);
        memset(s->stamp, 0, s->sets * s->ways * sizeof *s->stamp);
    }
    sim->last_stamp = NULL;
}

/* Looks the line up in one level; on a miss installs it. Returns the line's stamp slot and
 * whether it hit. */
static uint64_t *touch(sim_level *s, uint64_t line, uint64_t now, bool *hit)
{
    uint64_t set = s->set_mask ? line & s->set_mask : line % s->sets, tag = line + 1;
    uint64_t *tags = s->tag + set * s->ways, *stamps = s->stamp + set * s->ways;
    uint32_t victim = 0;
    for (uint32_t w = 0; w < s->ways; w++) {
        if (tags[w] == tag) {
            stamps[w] = now;
            *hit = true;
            return &stamps[w];
        }
        if (stamps[w] < stamps[victim]) victim = w; /* empty ways have stamp 0: taken first */
    }
    tags[victim] = tag;
    stamps[victim] = now;
    *hit = false;
    return &stamps[victim];
}

static void access_line(cache_sim *sim, uint64_t address)
{
    uint64_t now = ++sim->clock;
    sim->counts.accesses++;
    uint64_t first_line = address >> sim->level[0].line_shift;
    if (sim->last_stamp && first_line == sim->last_line) {
        *sim->last_stamp = now;
        return;
    }
    for (size_t k = 0; k < sim->geometry.levels; k++) {
        sim_level *s = &sim->level[k];
        bool hit;
        uint64_t *stamp = touch(s, address >> s->line_shift, now, &hit);
        if (k == 0) {
            sim->last_line = first_line;
            sim->last_stamp = stamp;
        }
        if (hit) return;
        sim->counts.misses[k]++;
    }
}

void cache_sim_access(cache_sim *sim, uint64_t address, uint32_t size, bool is_write)
{
    (void)is_write; /* write-allocate: a store fills the line like a load */
    uint32_t shift = sim->level[0].line_shift;
    uint64_t first = address >> shift, last = (address + (size ? size : 1) - 1) >> shift;
    for (uint64_t line = first; line <= last; line++) access_line(sim, line << shift);
}

void cache_sim_trace(void *ctx, uint32_t address, uint32_t size, bool is_write)
{
    cache_sim_access(ctx, address, size, is_write);
}

cache_sim_counts cache_sim_read(const cache_sim *sim)
{
    return sim->counts;
}
