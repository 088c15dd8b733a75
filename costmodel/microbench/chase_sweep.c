/* The working-set sizes of the pointer-chase sweep. From the cache geometry: points
 * spread geometrically inside each level, from just above the level below (4 KiB for L1)
 * to 85% of the level (the last lines of a level are shared with code, stack and the
 * neighbouring sets' conflicts), then points past the last level up to 4x its size, where
 * the walk is served by DRAM. Without a geometry: powers of two (and their 1.41x
 * midpoints) between the configured bounds. */
#include <math.h>

#include "microbench.h"

static size_t push_size(uint64_t *sizes, size_t count, size_t capacity, double bytes)
{
    uint64_t size = (uint64_t)bytes / 64 * 64;
    if (size < 4096) size = 4096;
    if (count && size <= sizes[count - 1]) return count; /* rounding collapsed two points */
    if (count < capacity) sizes[count] = size;
    return count + 1;
}

/* n points geometrically from lo to hi inclusive. */
static size_t spread(uint64_t *sizes, size_t count, size_t capacity, double lo, double hi, uint32_t n)
{
    if (n == 1) return push_size(sizes, count, capacity, sqrt(lo * hi));
    for (uint32_t i = 0; i < n; i++) count = push_size(sizes, count, capacity, lo * pow(hi / lo, (double)i / (n - 1)));
    return count;
}

size_t mb_chase_sweep_sizes(const mb_suite_config *c, uint64_t *sizes, size_t capacity)
{
    size_t count = 0;
    if (!c->cache_bytes[0] || !c->chase_points_per_level) {
        for (uint64_t base = c->chase_min_bytes; base && base <= c->chase_max_bytes; base *= 2)
            for (uint32_t step = 0; step < c->chase_steps_per_octave; step++) {
                uint64_t size = step == 0 ? base : (uint64_t)((double)base * 1.4142135623730951) / 64 * 64;
                if (size > c->chase_max_bytes || (step > 0 && size <= base)) break;
                count = push_size(sizes, count, capacity, (double)size);
            }
        return count < capacity ? count : capacity;
    }
    double below = 0;
    for (int k = 0; k < 3 && c->cache_bytes[k]; k++) {
        double level = (double)c->cache_bytes[k];
        double lo = k == 0 ? 4096 : 1.15 * below;
        count = spread(sizes, count, capacity, lo, 0.85 * level, c->chase_points_per_level);
        below = level;
    }
    if (c->chase_dram_points) count = spread(sizes, count, capacity, 1.5 * below, 4 * below, c->chase_dram_points);
    return count < capacity ? count : capacity;
}
