/* GP natural encoding and PolkaVM varints. Both put the count of extra bytes
 * in the leading 1-bits of the first byte; the rest of the first byte holds
 * the high bits and the extra bytes follow little-endian. */
#include "varint.h"

static unsigned leading_ones(uint8_t b)
{
    unsigned n = 0;
    while (n < 8 && (b & (0x80u >> n))) n++;
    return n;
}

bool pvm_read_le(pvm_cursor *c, unsigned n, uint64_t *out)
{
    if (c->len - c->off < n) return false;
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)c->p[c->off + i] << (8 * i);
    c->off += n;
    *out = v;
    return true;
}

bool pvm_read_gp_natural(pvm_cursor *c, uint64_t *out)
{
    if (c->off >= c->len) return false;
    uint8_t b0 = c->p[c->off];
    unsigned l = leading_ones(b0);
    size_t save = c->off++;
    uint64_t low;
    if (!pvm_read_le(c, l, &low)) {
        c->off = save;
        return false;
    }
    if (l == 8) {
        *out = low;
    } else {
        uint64_t high = b0 & ((1u << (7 - l)) - 1);
        *out = (high << (8 * l)) | low;
    }
    return true;
}

bool pvm_read_polkavm_varint(pvm_cursor *c, uint32_t *out)
{
    if (c->off >= c->len) return false;
    uint8_t b0 = c->p[c->off];
    unsigned l = leading_ones(b0);
    if (l > 4) return false;
    size_t save = c->off++;
    uint64_t low;
    if (!pvm_read_le(c, l, &low)) {
        c->off = save;
        return false;
    }
    uint64_t high = l == 4 ? (b0 & 0x0F) : (b0 & (0x7Fu >> l));
    uint64_t v = (high << (8 * l)) | low;
    if (v > UINT32_MAX) { /* 0xF1..0xFF first bytes: not a u32 */
        c->off = save;
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

size_t pvm_write_gp_natural(uint8_t *buf, uint64_t v)
{
    for (unsigned l = 0; l < 8; l++) {
        if (v < (1ull << (7 * (l + 1)))) {
            uint8_t prefix = (uint8_t)(0xFF00u >> l);
            buf[0] = (uint8_t)(prefix | (v >> (8 * l)));
            for (unsigned i = 0; i < l; i++) buf[1 + i] = (uint8_t)(v >> (8 * i));
            return 1 + l;
        }
    }
    buf[0] = 0xFF;
    for (unsigned i = 0; i < 8; i++) buf[1 + i] = (uint8_t)(v >> (8 * i));
    return 9;
}

size_t pvm_write_polkavm_varint(uint8_t *buf, uint32_t v)
{
    return pvm_write_gp_natural(buf, v); /* identical for u32 values */
}
