/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) with a byte-wise 256-entry table
 * built at run time, over `size` KiB read cyclically from a 64 KiB generated buffer.
 * Checksum: the CRC and the table's own CRC. */
#include "guest_common.h"

#define SOURCE_BYTES 65536u
static uint8_t source[SOURCE_BYTES];
static uint32_t table[256];

static void build_table(void)
{
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        table[byte] = crc;
    }
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *data, uint32_t length)
{
    for (uint32_t i = 0; i < length; i++)
        crc = (crc >> 8) ^ table[(crc ^ data[i]) & 0xff];
    return crc;
}

GUEST_ENTRY;
uint64_t run(uint32_t size)
{
    build_table();
    uint64_t seed = 32;
    for (uint32_t i = 0; i < SOURCE_BYTES; i++)
        source[i] = (uint8_t)rng_next(&seed);
    uint32_t crc = 0xffffffffu;
    for (uint32_t kib = 0; kib < size; kib++)
        crc = crc32_update(crc, source + (kib * 1024u) % SOURCE_BYTES, 1024);
    uint32_t table_crc = crc32_update(0xffffffffu, (const uint8_t *)table, sizeof table);
    return (uint64_t)~crc << 32 | (uint32_t)~table_crc;
}
