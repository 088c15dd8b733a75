/* Test guest for the SDK's integer helpers: double-word multiply, divide and remainder
 * (signed and unsigned) on operands the compiler cannot see, so riscv32 calls
 * __muldi3/__udivdi3/__umoddi3/__divdi3/__moddi3 and riscv64 calls __udivti3/__umodti3/
 * __divti3/__modti3 from bench/sdk/runtime/int_helpers.c. The checksum must equal the
 * native one, computed with the host compiler's own helpers. */
#include "guest_common.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

/* Operand widths vary so that both the short and the long paths of the division run. */
static uint64_t random_operand(uint64_t *seed)
{
    uint64_t value = rng_next(seed);
    return value >> (rng_next(seed) & 63);
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    uint64_t seed = 128, sum = 0;
    for (uint32_t i = 0; i < size; i++) {
        uint64_t a = random_operand(&seed), b = random_operand(&seed) | 3; /* never 0 or +-1 */
        int64_t sa = (int64_t)(a ^ (i & 1 ? 0x8000000000000000u : 0)), sb = (int64_t)b;
        if (i & 2)
            sb = -sb;
        sum = checksum_mix(sum, a / b);
        sum = checksum_mix(sum, a % b);
        sum = checksum_mix(sum, (uint64_t)(sa / sb));
        sum = checksum_mix(sum, (uint64_t)(sa % sb));
        sum = checksum_mix(sum, a * b);

        u128 wide = (u128)a << 64 | random_operand(&seed);
        u128 wide_divisor = (u128)random_operand(&seed) << (i & 64) | 3;
        s128 signed_wide = (s128)wide, signed_divisor = (s128)wide_divisor;
        if (i & 4)
            signed_divisor = -signed_divisor;
        u128 results[5] = {wide / wide_divisor, wide % wide_divisor,
                           (u128)(signed_wide / signed_divisor),
                           (u128)(signed_wide % signed_divisor), wide * wide_divisor};
        for (int k = 0; k < 5; k++)
            sum = checksum_mix(checksum_mix(sum, (uint64_t)results[k]), (uint64_t)(results[k] >> 64));
    }
    return sum;
}
