/* Memory-hierarchy latencies from the chase sweep: the sizes are split by the known cache
 * sizes (up to L1: L1; up to L2: L2; up to the last level: L3; beyond the last level:
 * DRAM, never L3) and each level's latency is the first plateau of load latency among its
 * sizes, on 4 KiB pages and on huge pages; their difference per level is the TLB's share. */
#ifndef PVMLAB_CAL_MEMORY_LEVELS_H
#define PVMLAB_CAL_MEMORY_LEVELS_H

#include "costmodel/counters/cache_geometry.h"
#include "calibration_fit.h"

/* Reads the chase.BYTES and chase_huge.BYTES values of r and adds mem.l1 mem.l2 mem.l3
 * mem.dram, mem.huge.LEVEL and tlb.LEVEL (4 KiB minus huge pages) for the levels found;
 * the plateaus, their labels and the geometry go into r->fit. Returns 0, or -1 on out of
 * memory. */
int memory_levels_fit(cal_result *r, const cache_geometry *g);

/* The level a working set of `bytes` belongs to: "l1", "l2", "l3" or "dram". */
const char *memory_level_of(const cache_geometry *g, double first_bytes);

/* Whether transparent huge pages can back guest memory (the kernel's THP mode is
 * "always" or "madvise"); why receives the mode or why not. */
bool memory_thp_available(char *why, size_t len);

#endif
