/* Data relocations (absolute, ADD/SUB/SET pairs, ULEB128) re-applied to the ro/rw
 * images with PVM addresses. */
#include <string.h>
#include "link_internal.h"

enum {
    R_NONE = 0, R_32 = 1, R_64 = 2, R_RELATIVE = 3, R_ADD8 = 33, R_ADD16 = 34, R_ADD32 = 35, R_ADD64 = 36,
    R_SUB8 = 37, R_SUB16 = 38, R_SUB32 = 39, R_SUB64 = 40, R_SUB6 = 52, R_SET6 = 53, R_SET8 = 54, R_SET16 = 55,
    R_SET32 = 56, R_32_PCREL = 57, R_SET_ULEB128 = 60, R_SUB_ULEB128 = 61
};
enum { SHN_ABS = 0xFFF1 };

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Rewrites a ULEB128 field in place, keeping its length (as the linker does). */
static bool put_uleb(uint8_t *p, uint64_t avail, uint64_t v)
{
    uint64_t i = 0;
    while (i < avail && (p[i] & 0x80)) i++;
    if (i == avail) return false;
    for (uint64_t k = 0; k <= i; k++) {
        p[k] = (uint8_t)((v & 0x7F) | (k < i ? 0x80 : 0));
        v >>= 7;
    }
    return true;
}
static uint64_t get_uleb(const uint8_t *p, uint64_t avail)
{
    uint64_t v = 0;
    for (uint64_t i = 0; i < avail && i < 10; i++) {
        v |= (uint64_t)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80)) break;
    }
    return v;
}

static unsigned field_size(const linker *l, uint32_t type)
{
    switch (type) {
    case R_RELATIVE: return l->is64 ? 8 : 4;
    case R_32: case R_ADD32: case R_SUB32: case R_SET32: case R_32_PCREL: return 4;
    case R_64: case R_ADD64: case R_SUB64: return 8;
    case R_ADD16: case R_SUB16: case R_SET16: return 2;
    case R_ADD8: case R_SUB8: case R_SET8: case R_SUB6: case R_SET6: return 1;
    case R_SET_ULEB128: case R_SUB_ULEB128: return 1;
    }
    return 0;
}

/* The PVM value of a relocation's S + A (absolute symbols keep their value). */
static bool reloc_value(linker *l, const elf_reloc_set *set, const elf_reloc *r, uint64_t *out)
{
    if (r->type == R_RELATIVE) {
        uint32_t v;
        if (!pvm_address_of(l, (uint64_t)r->addend, &v)) return false;
        *out = v;
        return true;
    }
    uint64_t target = reloc_target(l, set, r);
    if (r->sym != 0) {
        const elf_section *st = &l->elf->sections[set->symtab];
        const uint8_t *p = st->data + (uint64_t)r->sym * (l->is64 ? 24 : 16);
        uint16_t shndx = (uint16_t)(l->is64 ? p[6] | p[7] << 8 : p[14] | p[15] << 8);
        if (shndx == SHN_ABS || (shndx == 0 && target == 0)) {
            *out = target;
            return true;
        }
    } else { /* no symbol: S = 0, the addend is a plain number */
        *out = target;
        return true;
    }
    uint32_t v;
    if (!pvm_address_of(l, target, &v)) return false;
    *out = v;
    return true;
}

static bool apply_one(linker *l, const elf_reloc_set *set, const elf_reloc *r, bool first_at_offset)
{
    if (r->type == R_NONE) return true;
    unsigned n = field_size(l, r->type);
    if (!n)
        return link_fail(l, r->offset, "unsupported data relocation %s (%u)", elf_reloc_type_name(r->type), r->type);
    uint64_t avail;
    uint8_t *p = layout_image_at(&l->lay, l->elf, r->offset, &avail);
    if (!p || avail < n)
        return link_fail(l, r->offset, "relocation %s patches no ro/rw data", elf_reloc_type_name(r->type));
    uint64_t v;
    if (!reloc_value(l, set, r, &v)) return false;
    /* ADD/SUB pairs start from zero: the file holds the link-time difference already. */
    bool pair = r->type >= R_ADD8 && r->type <= R_SUB64;
    if (pair && first_at_offset) memset(p, 0, n);
    if (r->type == R_SET_ULEB128 && !put_uleb(p, avail, v)) return link_fail(l, r->offset, "bad ULEB128 field");
    if (r->type == R_SUB_ULEB128 && !put_uleb(p, avail, get_uleb(p, avail) - v))
        return link_fail(l, r->offset, "bad ULEB128 field");
    uint64_t old = get_le(p, n);
    uint32_t here;
    if (r->type == R_32_PCREL) { /* S + A - P, both ends in PVM addresses */
        if (!layout_data_address(&l->lay, l->elf, r->offset, &here)) return link_fail(l, r->offset, "bad R_RISCV_32_PCREL");
        v -= here;
    }
    switch (r->type) {
    case R_32: case R_64: case R_RELATIVE: case R_SET8: case R_SET16: case R_SET32: case R_32_PCREL: put_le(p, v, n); break;
    case R_ADD8: case R_ADD16: case R_ADD32: case R_ADD64: put_le(p, old + v, n); break;
    case R_SUB8: case R_SUB16: case R_SUB32: case R_SUB64: put_le(p, old - v, n); break;
    case R_SET6: p[0] = (uint8_t)((p[0] & 0xC0) | (v & 0x3F)); break;
    case R_SUB6: p[0] = (uint8_t)((p[0] & 0xC0) | ((p[0] - v) & 0x3F)); break;
    }
    return true;
}

/* Is some static relocation already describing `offset`? (.rela.dyn then adds nothing.) */
static bool has_static_reloc(const linker *l, uint64_t offset)
{
    int s = elf_section_at(l->elf, offset, false);
    return s >= 0 && elf_reloc_at(elf_relocs_for(l->elf, (uint32_t)s), offset) != NULL;
}

bool apply_data_relocations(linker *l)
{
    for (size_t k = 0; k < l->elf->n_reloc_sets; k++) {
        const elf_reloc_set *set = &l->elf->reloc_sets[k];
        bool dynamic = set->target == 0;
        if (!dynamic) {
            section_class c = l->lay.classes[set->target];
            if (c != SECTION_RO && c != SECTION_RW) continue;
        }
        for (size_t i = 0; i < set->count; i++) {
            const elf_reloc *r = &set->relocs[i];
            if (dynamic) { /* only slots no static relocation covers, such as .got */
                uint64_t avail;
                if (!layout_image_at(&l->lay, l->elf, r->offset, &avail) || has_static_reloc(l, r->offset)) continue;
            }
            bool first = i == 0 || set->relocs[i - 1].offset != r->offset;
            if (!apply_one(l, set, r, first)) return false;
        }
    }
    return true;
}
