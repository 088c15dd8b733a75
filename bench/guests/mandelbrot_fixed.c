/* The Mandelbrot set in 4.28 fixed point (64-bit products of 32-bit values), as firmware
 * without a floating-point unit draws it: a 160 x 120 view of the set's boundary, each point
 * iterated until it escapes or reaches 256 iterations, so the loop trip counts are data
 * dependent. `size` frames, each view shifted and zoomed a little. Checksum: every point's
 * iteration count. */
#include "guest_common.h"

#define WIDTH 160
#define HEIGHT 120
#define MAX_ITER 256
#define FRAC 28 /* fraction bits */

static uint32_t escape(int32_t cr, int32_t ci)
{
    int32_t zr = 0, zi = 0;
    uint32_t k = 0;
    while (k < MAX_ITER) {
        int64_t rr = (int64_t)zr * zr, ii = (int64_t)zi * zi;
        if (((rr + ii) >> FRAC) > (int64_t)4 << FRAC)
            break;
        int64_t ri = (int64_t)zr * zi;
        zr = (int32_t)((rr - ii) >> FRAC) + cr;
        zi = (int32_t)(ri >> (FRAC - 1)) + ci;
        k++;
    }
    return k;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t sum = 0;
    for (uint32_t frame = 0; frame < size; frame++) {
        /* around -0.75 + 0.1i, 2.5 wide, shrinking by 1/64 per frame down to a quarter */
        int32_t scale = (int32_t)((((int64_t)5 << (FRAC - 1)) / WIDTH) * (64 - (int32_t)(frame % 48)) / 64);
        int32_t left = -(int32_t)(3 << (FRAC - 2)) - scale * (WIDTH / 2);
        int32_t top = (int32_t)(1 << (FRAC - 3)) + scale * (HEIGHT / 2);
        uint64_t frame_sum = 0;
        for (int32_t y = 0; y < HEIGHT; y++)
            for (int32_t x = 0; x < WIDTH; x++)
                frame_sum = frame_sum * 31 + escape(left + scale * x, top - scale * y);
        sum = checksum_mix(sum, frame_sum);
    }
    return sum;
}
