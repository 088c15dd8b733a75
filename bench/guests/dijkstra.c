/* Single-source shortest paths (Dijkstra) on a 96 x 96 grid graph with 4-neighbour edges of
 * generated weights 1..9, a binary min-heap of (distance, node) with lazy deletion (a node is
 * pushed again when its distance improves; stale entries are skipped when popped), as route
 * planners and network simulators write it. `size` sources, one search each. Checksum: the
 * distance sum and the farthest distance of every search. */
#include "guest_common.h"

#define SIDE 96u
#define NODES (SIDE * SIDE)
#define HEAP_MAX (4u * NODES + 1u)
static uint8_t weight[NODES][4]; /* right, down, left, up; 0: no edge (the border) */
static uint32_t dist[NODES];
static uint64_t heap[HEAP_MAX]; /* distance << 32 | node */
static uint32_t heap_size;

static void push(uint64_t v)
{
    uint32_t i = heap_size++;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (heap[parent] <= v)
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = v;
}

static uint64_t pop(void)
{
    uint64_t top = heap[0], last = heap[--heap_size];
    uint32_t i = 0;
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= heap_size)
            break;
        if (child + 1 < heap_size && heap[child + 1] < heap[child])
            child++;
        if (last <= heap[child])
            break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = last;
    return top;
}

static void build_graph(void)
{
    uint64_t seed = 96;
    for (uint32_t n = 0; n < NODES; n++) {
        uint32_t x = n % SIDE, y = n / SIDE;
        weight[n][0] = x + 1 < SIDE ? (uint8_t)(1 + rng_below(&seed, 9)) : 0;
        weight[n][1] = y + 1 < SIDE ? (uint8_t)(1 + rng_below(&seed, 9)) : 0;
    }
    for (uint32_t n = 0; n < NODES; n++) { /* the reverse edges carry the same weights */
        uint32_t x = n % SIDE, y = n / SIDE;
        weight[n][2] = x > 0 ? weight[n - 1][0] : 0;
        weight[n][3] = y > 0 ? weight[n - SIDE][1] : 0;
    }
}

static uint64_t search(uint32_t source)
{
    for (uint32_t n = 0; n < NODES; n++)
        dist[n] = UINT32_MAX;
    heap_size = 0;
    dist[source] = 0;
    push(source);
    const int32_t step[4] = {1, (int32_t)SIDE, -1, -(int32_t)SIDE};
    while (heap_size) {
        uint64_t top = pop();
        uint32_t d = (uint32_t)(top >> 32), n = (uint32_t)top;
        if (d != dist[n])
            continue; /* stale */
        for (int e = 0; e < 4; e++) {
            uint32_t w = weight[n][e];
            if (!w)
                continue;
            uint32_t m = (uint32_t)((int32_t)n + step[e]), nd = d + w;
            if (nd < dist[m]) {
                dist[m] = nd;
                push((uint64_t)nd << 32 | m);
            }
        }
    }
    uint64_t sum = 0;
    uint32_t far = 0;
    for (uint32_t n = 0; n < NODES; n++) {
        sum += dist[n];
        far = dist[n] > far ? dist[n] : far;
    }
    return sum << 16 ^ far;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    build_graph();
    uint64_t sum = 0;
    for (uint32_t s = 0; s < size; s++)
        sum = checksum_mix(sum, search((s * 2897u) % NODES));
    return sum;
}
