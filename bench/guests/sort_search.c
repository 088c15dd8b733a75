/* Quicksort of `size` pseudo-random 32-bit keys (median of three, insertion sort for
 * short ranges, recursion only into the smaller side so the stack stays O(log n)), then
 * `size` binary searches for keys that are present or absent. Checksum: positions found. */
#include "guest_common.h"

#define SORT_MAX (4u << 20)
static uint32_t keys[SORT_MAX];

static void insertion_sort(uint32_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t value = a[i], j = i;
        for (; j > 0 && a[j - 1] > value; j--)
            a[j] = a[j - 1];
        a[j] = value;
    }
}

static inline void swap_u32(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort(uint32_t *a, uint32_t n)
{
    while (n > 16) {
        uint32_t mid = n / 2;
        if (a[mid] < a[0])
            swap_u32(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap_u32(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap_u32(&a[n - 1], &a[mid]);
        uint32_t pivot = a[mid];
        uint32_t i = 0, j = n - 1;
        for (;;) { /* Hoare partition: a[0..j] <= pivot <= a[j+1..n) */
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap_u32(&a[i++], &a[j--]);
        }
        uint32_t left = j + 1;
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

/* Index of the first key >= target. */
static uint32_t lower_bound(const uint32_t *a, uint32_t n, uint32_t target)
{
    uint32_t low = 0;
    while (n > 0) {
        uint32_t half = n / 2;
        if (a[low + half] < target) {
            low += half + 1;
            n -= half + 1;
        } else {
            n = half;
        }
    }
    return low;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint32_t n = min_u32(size, SORT_MAX);
    uint64_t seed = 42;
    for (uint32_t i = 0; i < n; i++)
        keys[i] = (uint32_t)rng_next(&seed);
    quicksort(keys, n);

    uint64_t sum = 0, found = 0;
    for (uint32_t i = 0; i < n; i++) {
        /* Every other probe is a key from the array, the rest are fresh random values. */
        uint32_t target = (i & 1) ? keys[rng_below(&seed, n)] : (uint32_t)rng_next(&seed);
        uint32_t at = lower_bound(keys, n, target);
        found += at < n && keys[at] == target;
        sum += at;
    }
    for (uint32_t i = 1; i < n; i++)
        found += keys[i - 1] > keys[i] ? 1000000 : 0; /* an unsorted pair spoils the checksum */
    return checksum_mix(sum, found);
}
