/* keccak-f[1600] permutation applied `size` times to one 25-lane state (64-bit rotates,
 * xors and a fixed lane shuffle). Checksum: all lanes folded together. */
#include "guest_common.h"

static const uint64_t round_constants[24] = {
    0x0000000000000001u, 0x0000000000008082u, 0x800000000000808au, 0x8000000080008000u,
    0x000000000000808bu, 0x0000000080000001u, 0x8000000080008081u, 0x8000000000008009u,
    0x000000000000008au, 0x0000000000000088u, 0x0000000080008009u, 0x000000008000000au,
    0x000000008000808bu, 0x800000000000008bu, 0x8000000000008089u, 0x8000000000008003u,
    0x8000000000008002u, 0x8000000000000080u, 0x000000000000800au, 0x800000008000000au,
    0x8000000080008081u, 0x8000000000008080u, 0x0000000080000001u, 0x8000000080008008u,
};

/* rho offsets and pi destinations, walked in the order of the pi permutation from lane 1. */
static const uint8_t rho_offsets[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                        27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const uint8_t pi_lanes[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                     15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static void keccak_f1600(uint64_t lanes[25])
{
    for (int round = 0; round < 24; round++) {
        uint64_t column[5];
        for (int x = 0; x < 5; x++)
            column[x] = lanes[x] ^ lanes[x + 5] ^ lanes[x + 10] ^ lanes[x + 15] ^ lanes[x + 20];
        for (int x = 0; x < 5; x++) {
            uint64_t d = column[(x + 4) % 5] ^ rotl64(column[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5)
                lanes[y + x] ^= d;
        }
        uint64_t carried = lanes[1];
        for (int i = 0; i < 24; i++) {
            uint64_t next = lanes[pi_lanes[i]];
            lanes[pi_lanes[i]] = rotl64(carried, rho_offsets[i]);
            carried = next;
        }
        for (int y = 0; y < 25; y += 5) {
            uint64_t row[5];
            for (int x = 0; x < 5; x++)
                row[x] = lanes[y + x];
            for (int x = 0; x < 5; x++)
                lanes[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
        }
        lanes[0] ^= round_constants[round];
    }
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t lanes[25] = {0};
    for (uint32_t i = 0; i < size; i++) {
        lanes[0] ^= i; /* absorb a counter so that every permutation has fresh input */
        keccak_f1600(lanes);
    }
    uint64_t sum = 0;
    for (int i = 0; i < 25; i++)
        sum = checksum_mix(sum, lanes[i]);
    return sum;
}
