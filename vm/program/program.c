/* Structural parsing of the three program formats. */
#include "program.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/util/error.h"
#include "varint.h"

#define FAIL(off, ...) return pvm_fail_at(err, PVM_ERR_BAD_PROGRAM, off, __VA_ARGS__)

/* p = E(|j|) E1(z) E(|c|) E_z(j...) c k */
static pvm_status parse_deblob(pvm_cursor *c, size_t end, pvm_program *out, pvm_error *err)
{
    uint64_t jt_len, z, code_len;
    size_t start = c->off;
    if (!pvm_read_gp_natural(c, &jt_len)) FAIL(c->off, "truncated jump table length");
    if (!pvm_read_le(c, 1, &z)) FAIL(c->off, "truncated jump table entry size");
    if (z > 4) FAIL(c->off - 1, "jump table entry size %u is more than 4", (unsigned)z);
    if (jt_len > 0 && z == 0) FAIL(c->off - 1, "jump table has %llu entries of size 0", (unsigned long long)jt_len);
    if (!pvm_read_gp_natural(c, &code_len)) FAIL(c->off, "truncated code length");
    if (code_len > (1u << 30)) FAIL(c->off, "code length %llu too large", (unsigned long long)code_len);
    if (jt_len > (end - c->off) / (z ? z : 1)) FAIL(c->off, "jump table of %llu entries runs past the end", (unsigned long long)jt_len);
    out->jt_len = (uint32_t)jt_len;
    out->jump_table = calloc(jt_len ? jt_len : 1, sizeof(uint32_t));
    if (!out->jump_table) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the jump table");
    for (uint64_t i = 0; i < jt_len; i++) {
        uint64_t v;
        pvm_read_le(c, (unsigned)z, &v);
        out->jump_table[i] = (uint32_t)v;
    }
    size_t mask_len = (size_t)((code_len + 7) / 8);
    if (end - c->off < code_len) FAIL(c->off, "code of %llu bytes runs past the end", (unsigned long long)code_len);
    out->code = c->p + c->off;
    out->code_len = (uint32_t)code_len;
    c->off += code_len;
    if (end - c->off < mask_len)
        FAIL(c->off, "bitmask is %zu bytes, code needs %zu", end - c->off, mask_len);
    if (end - c->off > mask_len)
        FAIL(c->off + mask_len, "%zu trailing bytes after the bitmask", end - c->off - mask_len);
    out->bitmask = c->p + c->off;
    if (code_len % 8 && (out->bitmask[mask_len - 1] >> (code_len % 8)))
        FAIL(c->off + mask_len - 1, "bitmask padding bits are not zero");
    for (uint64_t i = 0; i < jt_len; i++)
        if (out->jump_table[i] >= code_len) /* also with no code at all: every entry is then out of range */
            FAIL(start, "jump table entry %llu (%u) is past the end of the code", (unsigned long long)i,
                 out->jump_table[i]);
    c->off += mask_len;
    return PVM_OK;
}

/* Y: E3(|o|) E3(|w|) E2(z) E3(s) o w E4(|c|) c */
static pvm_status parse_standard(pvm_cursor *c, pvm_program *out, pvm_error *err)
{
    uint64_t o, w, z, s, clen;
    if (!pvm_read_le(c, 3, &o)) FAIL(c->off, "truncated ro-data length");
    if (!pvm_read_le(c, 3, &w)) FAIL(c->off, "truncated rw-data length");
    if (!pvm_read_le(c, 2, &z)) FAIL(c->off, "truncated heap page count");
    if (!pvm_read_le(c, 3, &s)) FAIL(c->off, "truncated stack size");
    if (c->len - c->off < o) FAIL(c->off, "ro-data of %llu bytes runs past the end", (unsigned long long)o);
    out->ro_data = c->p + c->off;
    out->ro_data_len = out->ro_size = (uint32_t)o;
    c->off += o;
    if (c->len - c->off < w) FAIL(c->off, "rw-data of %llu bytes runs past the end", (unsigned long long)w);
    out->rw_data = c->p + c->off;
    out->rw_data_len = out->rw_size = (uint32_t)w;
    c->off += w;
    out->heap_pages = (uint32_t)z;
    out->stack_size = (uint32_t)s;
    if (!pvm_read_le(c, 4, &clen)) FAIL(c->off, "truncated program length");
    if (c->len - c->off != clen)
        FAIL(c->off, "program length %llu does not match the %zu bytes left", (unsigned long long)clen, c->len - c->off);
    /* 5*Z_Z + Q(|o|) + Q(|w| + z*Z_P) + Q(s) + Z_I <= 2^32 */
    uint64_t Q = 0x10000, total = 5 * Q + ((o + Q - 1) / Q) * Q + ((w + z * 4096 + Q - 1) / Q) * Q +
                                  ((s + Q - 1) / Q) * Q + (1u << 24);
    if (total > (1ull << 32)) FAIL(0, "memory layout needs %llu bytes, more than 2^32", (unsigned long long)total);
    return parse_deblob(c, c->len, out, err);
}

static bool read_name(pvm_cursor *c, size_t n, char **out)
{
    if (c->len - c->off < n) return false;
    *out = malloc(n + 1);
    if (!*out) return false;
    memcpy(*out, c->p + c->off, n);
    (*out)[n] = 0;
    c->off += n;
    return true;
}

static pvm_status parse_exports(pvm_cursor *c, size_t end, pvm_program *out, pvm_error *err)
{
    uint32_t n;
    if (!pvm_read_polkavm_varint(c, &n)) FAIL(c->off, "bad export count");
    if (n > end - c->off) FAIL(c->off, "export count %u exceeds the section", n);
    out->exports = calloc(n ? n : 1, sizeof(pvm_export));
    if (!out->exports) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for exports");
    for (uint32_t i = 0; i < n; i++) {
        uint32_t pc, nlen;
        if (!pvm_read_polkavm_varint(c, &pc)) FAIL(c->off, "bad export %u pc", i);
        if (!pvm_read_polkavm_varint(c, &nlen)) FAIL(c->off, "bad export %u name length", i);
        if (nlen > end - c->off) FAIL(c->off, "export %u name runs past the section", i);
        if (!read_name(c, nlen, &out->exports[i].name)) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory");
        out->exports[i].pc = pc;
        out->n_exports = i + 1;
    }
    if (c->off != end) FAIL(c->off, "%zu stray bytes at the end of the exports section", end - c->off);
    return PVM_OK;
}

static pvm_status parse_imports(pvm_cursor *c, size_t end, pvm_program *out, pvm_error *err)
{
    uint32_t n;
    if (!pvm_read_polkavm_varint(c, &n)) FAIL(c->off, "bad import count");
    if (n > 1024) FAIL(c->off, "import count %u is more than 1024", n);
    if ((uint64_t)n * 4 > end - c->off) FAIL(c->off, "import offsets run past the section");
    uint32_t *offs = calloc(n + 1, sizeof(uint32_t));
    out->imports = calloc(n ? n : 1, sizeof(char *));
    if (!offs || !out->imports) {
        free(offs);
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for imports");
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t v;
        pvm_read_le(c, 4, &v);
        offs[i] = (uint32_t)v;
    }
    size_t sym = c->off, symlen = end - sym;
    offs[n] = (uint32_t)symlen;
    for (uint32_t i = 0; i < n; i++) {
        if (offs[i] > offs[i + 1] || offs[i + 1] > symlen) {
            size_t at = sym - 4 * (n - i);
            free(offs);
            FAIL(at, "import %u symbol offset out of order or past the section", i);
        }
        pvm_cursor s = {c->p, end, sym + offs[i], c->what};
        if (!read_name(&s, offs[i + 1] - offs[i], &out->imports[i])) {
            free(offs);
            return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory");
        }
        out->n_imports = i + 1;
    }
    free(offs);
    c->off = end;
    return PVM_OK;
}

/* Code section: varint count, u8 entry size, varint code length, table, code, bitmask. */
static pvm_status parse_code_section(pvm_cursor *c, size_t end, pvm_program *out, pvm_error *err)
{
    uint32_t jt_len, code_len;
    uint64_t z;
    if (!pvm_read_polkavm_varint(c, &jt_len)) FAIL(c->off, "bad jump table entry count");
    if (jt_len > (16u << 20)) FAIL(c->off, "jump table of %u entries is too large", jt_len);
    if (!pvm_read_le(c, 1, &z)) FAIL(c->off, "truncated jump table entry size");
    if (z > 4) FAIL(c->off - 1, "jump table entry size %u is more than 4", (unsigned)z);
    if (!pvm_read_polkavm_varint(c, &code_len)) FAIL(c->off, "bad code length");
    if (code_len > (32u << 20)) FAIL(c->off, "code length %u is more than 32 MiB", code_len);
    /* Re-use the deblob reader for the rest by building a GP-shaped view. */
    if ((uint64_t)jt_len * z > end - c->off) FAIL(c->off, "jump table runs past the code section");
    out->jt_len = jt_len;
    out->jump_table = calloc(jt_len ? jt_len : 1, sizeof(uint32_t));
    if (!out->jump_table) return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the jump table");
    for (uint32_t i = 0; i < jt_len; i++) {
        uint64_t v;
        pvm_read_le(c, (unsigned)z, &v);
        out->jump_table[i] = (uint32_t)v;
    }
    if (code_len > end - c->off) FAIL(c->off, "code of %u bytes runs past the section", code_len);
    out->code = c->p + c->off;
    out->code_len = code_len;
    c->off += code_len;
    size_t mask_len = ((size_t)code_len + 7) / 8;
    if (end - c->off != mask_len) FAIL(c->off, "bitmask is %zu bytes, code needs %zu", end - c->off, mask_len);
    out->bitmask = c->p + c->off;
    if (code_len % 8 && (out->bitmask[mask_len - 1] >> (code_len % 8)))
        FAIL(c->off + mask_len - 1, "bitmask padding bits are not zero");
    c->off = end;
    for (uint32_t i = 0; i < jt_len; i++)
        if (out->jump_table[i] >= code_len) FAIL(c->off, "jump table entry %u (%u) is past the end of the code", i, out->jump_table[i]);
    return PVM_OK;
}

static pvm_status parse_container(pvm_cursor *c, pvm_program *out, pvm_error *err)
{
    uint64_t ver, blob_len;
    c->off = 4;
    if (!pvm_read_le(c, 1, &ver)) FAIL(4, "truncated header: no version byte");
    static const pvm_isa by_version[4] = {PVM_ISA_REVIVEV1, PVM_ISA_LATEST32, PVM_ISA_LATEST64, PVM_ISA_JAMV1};
    if (ver > 3) FAIL(4, "unsupported version %u", (unsigned)ver);
    out->isa = by_version[ver];
    if (!pvm_read_le(c, 8, &blob_len)) FAIL(5, "truncated header: no length");
    if (blob_len != c->len) FAIL(5, "header says %llu bytes, the blob has %zu", (unsigned long long)blob_len, c->len);
    int last_id = 0;
    bool have_code = false;
    for (;;) {
        size_t at = c->off;
        uint64_t id;
        uint32_t slen;
        if (!pvm_read_le(c, 1, &id)) FAIL(at, "truncated: missing end-of-file section");
        if (id == 0) break;
        if (!pvm_read_polkavm_varint(c, &slen)) FAIL(c->off, "bad length of section %u", (unsigned)id);
        if (slen > c->len - c->off) FAIL(c->off, "section %u of %u bytes runs past the end", (unsigned)id, slen);
        size_t end = c->off + slen;
        if (id >= 128) { /* debug and other optional sections */
            c->off = end;
            continue;
        }
        if ((int)id <= last_id) FAIL(at, "section %u out of order (after %d)", (unsigned)id, last_id);
        if (id > 6) FAIL(at, "unknown section id %u", (unsigned)id);
        last_id = (int)id;
        /* Each section is parsed through a cursor that ends with the section. */
        pvm_cursor outer = *c;
        c->len = end;
        pvm_status st = PVM_OK;
        switch (id) {
        case 1: {
            uint32_t ro, rw, st_sz;
            if (!pvm_read_polkavm_varint(c, &ro) || !pvm_read_polkavm_varint(c, &rw) ||
                !pvm_read_polkavm_varint(c, &st_sz) || c->off != end)
                FAIL(at, "memory config section is malformed");
            out->ro_size = ro;
            out->rw_size = rw;
            out->stack_size = st_sz;
            break;
        }
        case 2:
            out->ro_data = c->p + c->off;
            out->ro_data_len = slen;
            c->off = end;
            break;
        case 3:
            out->rw_data = c->p + c->off;
            out->rw_data_len = slen;
            c->off = end;
            break;
        case 4: st = parse_imports(c, end, out, err); break;
        case 5: st = parse_exports(c, end, out, err); break;
        case 6:
            st = parse_code_section(c, end, out, err);
            have_code = true;
            break;
        }
        c->len = outer.len;
        if (st != PVM_OK) return st;
        c->off = end;
    }
    if (c->off != c->len) FAIL(c->off, "%zu bytes after the end-of-file section", c->len - c->off);
    if (!have_code) FAIL(c->off, "no code section");
    if (out->ro_data_len > out->ro_size) FAIL(0, "ro_data (%u bytes) exceeds ro_data_size %u", out->ro_data_len, out->ro_size);
    if (out->rw_data_len > out->rw_size) FAIL(0, "rw_data (%u bytes) exceeds rw_data_size %u", out->rw_data_len, out->rw_size);
    for (uint32_t i = 0; i < out->n_exports; i++)
        if (out->exports[i].pc >= out->code_len) FAIL(0, "export '%s' pc %u is past the end of the code", out->exports[i].name, out->exports[i].pc);
    return PVM_OK;
}

/* A GP standard program's lengths account for every byte: E3(|o|) E3(|w|) E2(z) E3(s) o w E4(|c|) c
 * with nothing left over. A GP blob (E(|j|) E1(z) E(|c|) ...) almost never satisfies that by chance. */
static bool looks_like_standard(const uint8_t *b, size_t len)
{
    if (len < 15) return false;
    uint64_t o = b[0] | b[1] << 8 | (uint32_t)b[2] << 16, w = b[3] | b[4] << 8 | (uint32_t)b[5] << 16;
    uint64_t at = 11 + o + w;
    if (at + 4 > len) return false;
    uint64_t clen = b[at] | b[at + 1] << 8 | (uint32_t)b[at + 2] << 16 | (uint64_t)b[at + 3] << 24;
    return at + 4 + clen == len;
}

pvm_status pvm_program_parse(const uint8_t *bytes, size_t len, pvm_format format, pvm_isa isa, pvm_program *out,
                             pvm_error *err)
{
    memset(out, 0, sizeof *out);
    if (!bytes && len) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "no program bytes");
    if (len > 0x7FFFFFFF) return pvm_fail(err, PVM_ERR_BAD_PROGRAM, "program of %zu bytes is too large", len);
    pvm_cursor c = {bytes, len, 0, "program"};
    bool magic = len >= 4 && memcmp(bytes, "PVM\0", 4) == 0;
    if (format == PVM_FORMAT_AUTO)
        format = magic ? PVM_FORMAT_POLKAVM : looks_like_standard(bytes, len) ? PVM_FORMAT_GP_STANDARD : PVM_FORMAT_GP_BLOB;
    out->format = format;
    out->isa = isa;
    pvm_status st;
    switch (format) {
    case PVM_FORMAT_POLKAVM:
        if (!magic) {
            st = pvm_fail_at(err, PVM_ERR_BAD_PROGRAM, 0, "wrong magic (expected \"PVM\\0\")");
            break;
        }
        st = parse_container(&c, out, err);
        break;
    case PVM_FORMAT_GP_STANDARD:
        if ((unsigned)isa >= PVM_ISA_COUNT) {
            st = pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "unknown instruction set %d", (int)isa);
            break;
        }
        st = parse_standard(&c, out, err);
        break;
    case PVM_FORMAT_GP_BLOB:
        if ((unsigned)isa >= PVM_ISA_COUNT) {
            st = pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "unknown instruction set %d", (int)isa);
            break;
        }
        st = parse_deblob(&c, len, out, err);
        break;
    default: st = pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "unknown program format %d", (int)format);
    }
    if (st != PVM_OK) pvm_program_free(out);
    return st;
}

void pvm_program_free(pvm_program *p)
{
    free(p->jump_table);
    for (uint32_t i = 0; i < p->n_exports; i++) free(p->exports[i].name);
    free(p->exports);
    for (uint32_t i = 0; i < p->n_imports; i++) free(p->imports[i]);
    free(p->imports);
    memset(p, 0, sizeof *p);
}
