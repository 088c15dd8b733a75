/* Pointer chasing: a singly linked ring of 2^18 nodes (4 MiB with 8-byte pointers) laid
 * out in a random order over a static pool, walked for `size` steps. Every step is a
 * dependent load from an unpredictable line. Checksum: the values summed on the walk. */
#include "guest_common.h"

#define NODE_COUNT (1u << 18)

typedef struct node {
    struct node *next;
    uint32_t value;
    uint32_t pad[3]; /* 16 or 24 bytes a node: a few nodes a cache line, as in real lists */
} node_t;

static node_t pool[NODE_COUNT];
static uint32_t order[NODE_COUNT];

static void build_ring(void)
{
    uint64_t seed = 3;
    for (uint32_t i = 0; i < NODE_COUNT; i++)
        order[i] = i;
    for (uint32_t i = NODE_COUNT - 1; i > 0; i--) { /* Fisher-Yates shuffle */
        uint32_t j = rng_below(&seed, i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < NODE_COUNT; i++) {
        node_t *node = &pool[order[i]];
        node->next = &pool[order[(i + 1) & (NODE_COUNT - 1)]];
        node->value = i * 2654435761u;
    }
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    build_ring();
    const node_t *node = &pool[order[0]];
    uint64_t sum = 0;
    for (uint32_t step = 0; step < size; step++) {
        sum += node->value ^ step;
        node = node->next;
    }
    return checksum_mix(sum, (uint64_t)(node - pool));
}
