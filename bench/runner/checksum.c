/* Checksum comparison (see checksum.h). */
#include "checksum.h"

/* expected as an i64 rounded to a double and back, modulo 2^64 (what JS's BigInt(Number)
 * of that i64 gives). 2^63 itself does not fit in an i64, so it is handled apart. */
static uint64_t through_double(uint64_t value)
{
    double rounded = (double)(int64_t)value;
    if (rounded >= 9223372036854775808.0)
        return UINT64_C(1) << 63;
    return (uint64_t)(int64_t)rounded;
}

bool bench_checksum_matches(uint64_t expected, uint64_t got, unsigned bits)
{
    if (bits >= 64)
        return expected == got;
    return through_double(expected) == got;
}
