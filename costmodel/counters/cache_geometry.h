/* The data-cache geometry of this machine: size, ways and line of L1d, L2 and L3, as the
 * kernel (sysfs) or the CPU (CPUID) reports them, checked for plausibility, with fixed
 * defaults for what is hidden or misreported. The chase sweep takes its level boundaries
 * from it, and the simulated cache backend models it. Nothing here prints or aborts. */
#ifndef PVMLAB_CACHE_GEOMETRY_H
#define PVMLAB_CACHE_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CACHE_MAX_LEVELS = 3 };

typedef struct cache_level {
    uint64_t size;  /* bytes */
    uint32_t ways;  /* associativity; size / (ways * line) sets */
    uint32_t line;  /* bytes */
    bool assumed;   /* the documented default stands in for what the machine hid */
} cache_level;

typedef struct cache_geometry {
    size_t levels;                      /* data or unified levels, 1..CACHE_MAX_LEVELS */
    cache_level level[CACHE_MAX_LEVELS];
    char source[96];                    /* "sysfs", "CPUID 0x8000001D", ..., "defaults" */
    char notice[320];                   /* what was hidden or misreported; empty if nothing */
} cache_geometry;

/* The defaults used where the machine says nothing believable: 32 KiB 8-way L1d, 1 MiB
 * 8-way L2, 32 MiB 16-way L3, 64-byte lines (a current x86-64 server core's slice). */
void cache_geometry_defaults(cache_geometry *out);

/* Reads sysfs (/sys/devices/system/cpu/cpu0/cache), else CPUID leaf 4 (Intel) or
 * 0x8000001D (AMD with topology extensions), else AMD's legacy leaves 0x80000005/6; keeps
 * each level that is plausible (sizes increase, power-of-two lines, an L3 of at most
 * 256 MiB: larger is a socket total, not what one core's slice holds) and fills the rest
 * from the defaults, saying which in notice. sysfs_root NULL means the real one (tests
 * pass a directory laid out like it; CPUID is then not consulted). */
void cache_geometry_detect(cache_geometry *out, const char *sysfs_root);

/* Parses "L1,L2,L3" where each level is SIZE[/WAYS[/LINE]] with an optional K or M
 * suffix, e.g. "32K/8,1M/8,32M/16" (ways default 8, line 64). Returns 0, or -1 with a
 * one-line reason in err (the sizes must be whole sets and increase). */
int cache_geometry_parse(const char *text, cache_geometry *out, char *err, size_t err_len);

/* Writes "L1d 48 KiB 12-way, L2 1 MiB 8-way, L3 32 MiB 16-way (default), 64 B lines". */
void cache_geometry_describe(const cache_geometry *g, char *buf, size_t len);

#endif
