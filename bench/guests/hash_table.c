/* Open-addressing hash table (linear probing) of 2^20 slots x 16 bytes = 16 MiB, larger
 * than L2 and most L3 slices: `size` operations mixing inserts (until 3/4 full) and
 * lookups of random keys, each landing on an unpredictable cache line.
 * Checksum: the values found and the number of hits. */
#include "guest_common.h"

#define SLOT_BITS 20
#define SLOT_COUNT (1u << SLOT_BITS)
#define MAX_FILL (SLOT_COUNT / 4 * 3)

typedef struct {
    uint64_t key; /* 0 = empty; keys are made odd so they are never 0 */
    uint64_t value;
} slot_t;

static slot_t slots[SLOT_COUNT];

static inline uint32_t slot_of(uint64_t key)
{
    return (uint32_t)((key * 0x9e3779b97f4a7c15u) >> (64 - SLOT_BITS));
}

/* Returns the slot holding `key`, or the empty slot where it would go. */
static slot_t *probe(uint64_t key)
{
    for (uint32_t i = slot_of(key);; i = (i + 1) & (SLOT_COUNT - 1)) {
        if (slots[i].key == key || slots[i].key == 0)
            return &slots[i];
    }
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    memset(slots, 0, sizeof slots);
    /* Keys come from a small key space so that lookups hit about half of the time. */
    uint64_t seed = 99, sum = 0, hits = 0;
    uint32_t filled = 0, key_space = SLOT_COUNT;
    for (uint32_t i = 0; i < size; i++) {
        uint64_t key = (uint64_t)rng_below(&seed, key_space) * 2 + 1;
        slot_t *slot = probe(key);
        if (slot->key == key) {
            hits++;
            sum += slot->value;
            slot->value += i;
        } else if (filled < MAX_FILL && (i & 1)) {
            slot->key = key;
            slot->value = i;
            filled++;
        }
    }
    return checksum_mix(sum, hits * SLOT_COUNT + filled);
}
