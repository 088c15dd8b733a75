/* Probe (not a benchmark guest): Conway's game of life on a 96x96 torus of byte cells,
 * neighbour counts summed cell by cell and the rule as branches. size: generations. */
#include "guest_common.h"

#define W 96
static uint8_t grid[2][W][W];

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 3, sum = 0;
    for (int y = 0; y < W; y++)
        for (int x = 0; x < W; x++) grid[0][y][x] = rng_below(&seed, 3) == 0;
    for (uint32_t g = 0; g < size; g++) {
        uint8_t (*a)[W] = grid[g & 1], (*b)[W] = grid[(g & 1) ^ 1];
        uint32_t alive = 0;
        for (int y = 0; y < W; y++) {
            int yu = y ? y - 1 : W - 1, yd = y + 1 < W ? y + 1 : 0;
            for (int x = 0; x < W; x++) {
                int xl = x ? x - 1 : W - 1, xr = x + 1 < W ? x + 1 : 0;
                int n = a[yu][xl] + a[yu][x] + a[yu][xr] + a[y][xl] + a[y][xr] + a[yd][xl] + a[yd][x] + a[yd][xr];
                uint8_t v;
                if (a[y][x]) v = n == 2 || n == 3;
                else v = n == 3;
                if (v) alive++;
                b[y][x] = v;
            }
        }
        if ((g & 15) == 15) /* keep it alive: a few random births */
            for (int k = 0; k < 40; k++) b[rng_below(&seed, W)][rng_below(&seed, W)] = 1;
        sum = checksum_mix(sum, alive);
    }
    return sum;
}
