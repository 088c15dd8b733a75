/* Probe (not a benchmark guest): top-down merge sort of 24-byte records under a three-key
 * comparator called through a function pointer (indirect calls, compares that go either
 * way), then a scan that counts runs. size: sorts of 2048 records. */
#include "guest_common.h"

typedef struct { uint32_t group; int32_t score; uint64_t id; uint32_t tag, pad; } rec;
static rec a[2048], tmp[2048];

static int by_group_score_id(const rec *x, const rec *y)
{
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return 0;
}
static int by_tag(const rec *x, const rec *y) { return x->tag < y->tag ? -1 : x->tag > y->tag; }

static void msort(rec *v, uint32_t n, int (*cmp)(const rec *, const rec *))
{
    if (n < 2) return;
    uint32_t h = n / 2;
    msort(v, h, cmp);
    msort(v + h, n - h, cmp);
    uint32_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h) tmp[k++] = v[i++];
    while (j < n) tmp[k++] = v[j++];
    for (k = 0; k < n; k++) v[k] = tmp[k];
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 13, sum = 0;
    for (uint32_t s = 0; s < size; s++) {
        for (int i = 0; i < 2048; i++) {
            a[i].group = rng_below(&seed, 16);
            a[i].score = (int32_t)rng_below(&seed, 64) - 32;
            a[i].id = rng_next(&seed);
            a[i].tag = rng_below(&seed, 100000);
        }
        msort(a, 2048, (s & 1) ? by_tag : by_group_score_id);
        uint32_t runs = 1;
        for (int i = 1; i < 2048; i++) runs += a[i].group != a[i - 1].group;
        sum = checksum_mix(sum, runs ^ a[777].id);
    }
    return sum;
}
