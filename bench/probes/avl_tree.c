/* Probe (not a benchmark guest): an AVL tree in an array (insert with rotations, lookups,
 * in-order sum), keys from a generator. Comparisons that go either way, recursion, height
 * bookkeeping. size: keys inserted (up to 1 << 16), then twice as many lookups. */
#include "guest_common.h"

#define CAP (1u << 16)
static uint32_t key[CAP + 1], lo[CAP + 1], hi[CAP + 1];
static int8_t height[CAP + 1];
static uint32_t used;

static int h(uint32_t n) { return n ? height[n] : 0; }
static void fix(uint32_t n) { int a = h(lo[n]), b = h(hi[n]); height[n] = (int8_t)(1 + (a > b ? a : b)); }
static uint32_t rot_right(uint32_t n) { uint32_t l = lo[n]; lo[n] = hi[l]; hi[l] = n; fix(n); fix(l); return l; }
static uint32_t rot_left(uint32_t n) { uint32_t r = hi[n]; hi[n] = lo[r]; lo[r] = n; fix(n); fix(r); return r; }

static uint32_t insert(uint32_t n, uint32_t k)
{
    if (!n) { n = ++used; key[n] = k; lo[n] = hi[n] = 0; height[n] = 1; return n; }
    if (k < key[n]) lo[n] = insert(lo[n], k);
    else if (k > key[n]) hi[n] = insert(hi[n], k);
    else return n;
    fix(n);
    int bal = h(lo[n]) - h(hi[n]);
    if (bal > 1) {
        if (k > key[lo[n]]) lo[n] = rot_left(lo[n]);
        return rot_right(n);
    }
    if (bal < -1) {
        if (k < key[hi[n]]) hi[n] = rot_right(hi[n]);
        return rot_left(n);
    }
    return n;
}

static uint64_t walk(uint32_t n, uint64_t acc)
{
    while (n) { acc = walk(lo[n], acc); acc = checksum_mix(acc, key[n]); n = hi[n]; }
    return acc;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    if (size > CAP) size = CAP;
    uint64_t seed = 7, sum = 0;
    uint32_t root = 0;
    used = 0;
    for (uint32_t i = 0; i < size; i++) root = insert(root, rng_below(&seed, 4 * size));
    for (uint32_t i = 0; i < 2 * size; i++) {
        uint32_t k = rng_below(&seed, 4 * size), n = root, depth = 0;
        while (n && key[n] != k) { n = k < key[n] ? lo[n] : hi[n]; depth++; }
        sum += n ? depth : 1000 + depth;
    }
    return checksum_mix(walk(root, sum), used);
}
