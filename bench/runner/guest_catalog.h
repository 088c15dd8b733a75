/* The benchmark guests of bench/guests/guests.def, compiled in. */
#ifndef PVMLAB_BENCH_GUEST_CATALOG_H
#define PVMLAB_BENCH_GUEST_CATALOG_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_guest_entry {
    const char *name;
    uint32_t quick_size, full_size;
    uint64_t quick_checksum, full_checksum;
} bench_guest_entry;

/* All guests in manifest order; *count receives how many. */
const bench_guest_entry *bench_guest_catalog(size_t *count);
/* The entry named name, or NULL. */
const bench_guest_entry *bench_guest_find(const char *name);

#endif
