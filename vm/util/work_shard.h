/* --shard K/N: splitting a verb's work items over N independent processes or machines.
 *
 * An item belongs to shard K when the FNV-1a hash of its key (a stable text such as a
 * guest's name and size, or a microbenchmark's name) is K-1 modulo N. The owner of an item
 * depends only on its key and N, never on which other items a machine found (engines on
 * PATH differ between machines), on the order they were found in, or on the machine: the
 * N shards together cover every item exactly once. */
#ifndef PVMLAB_WORK_SHARD_H
#define PVMLAB_WORK_SHARD_H

#include <stdbool.h>

typedef struct work_shard {
    unsigned index; /* K, 1-based; 0 together with count 0 = not sharded */
    unsigned count; /* N */
} work_shard;

/* Parses "K/N" (1 <= K <= N <= 65536); false when text is not one. */
bool work_shard_parse(const char *text, work_shard *out);

/* Whether the item with this key is this shard's (always true when not sharded). */
bool work_shard_owns(const work_shard *shard, const char *key);

#endif
