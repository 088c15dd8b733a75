/* ELF reader: bounds-checked parse of headers, sections, symbols and RELA tables. */
#include "elf_reader.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/util/file_read.h"

enum { EM_RISCV = 243, ET_EXEC = 2, ET_DYN = 3 };

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool failf(char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return false;
}

static bool read_file(const char *path, elf_file *elf, char *msg, size_t msg_size)
{
    size_t len = 0;
    char *bytes = util_read_file(path, &len);
    if (!bytes) return failf(msg, msg_size, "cannot open: %s", strerror(errno));
    elf->bytes = (uint8_t *)bytes;
    elf->size = len;
    return true;
}

/* A NUL-terminated string at `off` of a string-table section, or NULL. */
static const char *string_at(const elf_file *elf, const elf_section *strtab, uint64_t off)
{
    if (!strtab->data || off >= strtab->size) return NULL;
    const char *s = (const char *)strtab->data + off;
    return memchr(s, 0, strtab->size - off) ? s : NULL;
}

static bool parse_sections(elf_file *elf, char *msg, size_t msg_size)
{
    const uint8_t *h = elf->bytes;
    bool w = elf->is64;
    uint64_t shoff = rd(h + (w ? 0x28 : 0x20), w ? 8 : 4);
    unsigned shentsize = (unsigned)rd(h + (w ? 0x3A : 0x2E), 2);
    unsigned shnum = (unsigned)rd(h + (w ? 0x3C : 0x30), 2);
    unsigned shstrndx = (unsigned)rd(h + (w ? 0x3E : 0x32), 2);
    if (shnum == 0) return failf(msg, msg_size, "no section headers");
    if (shentsize != (w ? 64u : 40u)) return failf(msg, msg_size, "bad section header size %u", shentsize);
    if (shoff > elf->size || (uint64_t)shnum * shentsize > elf->size - shoff)
        return failf(msg, msg_size, "section header table past the end of the file (%u headers at 0x%llx, file is %zu bytes)",
                     shnum, (unsigned long long)shoff, elf->size);
    if (shstrndx >= shnum) return failf(msg, msg_size, "bad section name table index %u", shstrndx);
    elf->sections = calloc(shnum, sizeof *elf->sections);
    if (!elf->sections) return failf(msg, msg_size, "out of memory");
    elf->n_sections = shnum;
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *p = h + shoff + (uint64_t)i * shentsize;
        elf_section *s = &elf->sections[i];
        unsigned a = w ? 8 : 4;
        s->type = (uint32_t)rd(p + 4, 4);
        s->flags = rd(p + 8, a);
        s->addr = rd(p + 8 + a, a);
        s->offset = rd(p + 8 + 2 * a, a);
        s->size = rd(p + 8 + 3 * a, a);
        s->link = (uint32_t)rd(p + 8 + 4 * a, 4);
        s->info = (uint32_t)rd(p + 12 + 4 * a, 4);
        s->align = rd(p + 16 + 4 * a, a);
        if (s->type != ELF_SHT_NOBITS && s->type != 0) {
            if (s->offset > elf->size || s->size > elf->size - s->offset)
                return failf(msg, msg_size, "section %u (offset 0x%llx, size 0x%llx) runs past the end of the file (%zu bytes)",
                             i, (unsigned long long)s->offset, (unsigned long long)s->size, elf->size);
            s->data = elf->bytes + s->offset;
        }
    }
    const elf_section *names = &elf->sections[shstrndx];
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *p = h + shoff + (uint64_t)i * shentsize;
        const char *n = string_at(elf, names, rd(p, 4));
        if (!n) return failf(msg, msg_size, "section %u has a bad name offset", i);
        elf->sections[i].name = n;
    }
    return true;
}

/* Reads symbol `i` of symbol-table section `st` (checked by check_symtab). */
static elf_symbol symbol_of(const elf_file *elf, const elf_section *st, uint32_t i)
{
    elf_symbol s = {0};
    const uint8_t *p = st->data + (uint64_t)i * (elf->is64 ? 24 : 16);
    s.name = string_at(elf, &elf->sections[st->link], rd(p, 4));
    if (!s.name) s.name = "?";
    if (elf->is64) {
        s.type = p[4] & 15;
        s.bind = p[4] >> 4;
        s.shndx = (uint16_t)rd(p + 6, 2);
        s.value = rd(p + 8, 8);
        s.size = rd(p + 16, 8);
    } else {
        s.value = rd(p + 4, 4);
        s.size = rd(p + 8, 4);
        s.type = p[12] & 15;
        s.bind = p[12] >> 4;
        s.shndx = (uint16_t)rd(p + 14, 2);
    }
    return s;
}

static bool check_symtab(const elf_file *elf, uint32_t index, char *msg, size_t msg_size)
{
    if (index >= elf->n_sections) return failf(msg, msg_size, "bad symbol table index %u", index);
    const elf_section *st = &elf->sections[index];
    if (!st->data || st->size % (elf->is64 ? 24 : 16))
        return failf(msg, msg_size, "section %s is not a valid symbol table", st->name);
    if (st->link >= elf->n_sections || !elf->sections[st->link].data)
        return failf(msg, msg_size, "symbol table %s has a bad string table", st->name);
    return true;
}

static int compare_reloc(const void *a, const void *b)
{
    const elf_reloc *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static bool parse_relocs(elf_file *elf, char *msg, size_t msg_size)
{
    size_t n_static = 0;
    for (uint32_t i = 0; i < elf->n_sections; i++) {
        const elf_section *s = &elf->sections[i];
        if (s->type == ELF_SHT_REL) return failf(msg, msg_size, "section %s: REL relocations (RISC-V uses RELA)", s->name);
        if (s->type != ELF_SHT_RELA) continue;
        size_t esz = elf->is64 ? 24 : 12;
        if (s->size % esz) return failf(msg, msg_size, "section %s: size is not a multiple of %zu", s->name, esz);
        if (!check_symtab(elf, s->link, msg, msg_size)) return false;
        bool dynamic = !(s->flags & ELF_SHF_ALLOC) ? false : true;
        if (!dynamic && (s->info == 0 || s->info >= elf->n_sections))
            return failf(msg, msg_size, "section %s patches a bad section index %u", s->name, s->info);
        elf_reloc_set *ns = realloc(elf->reloc_sets, (elf->n_reloc_sets + 1) * sizeof *ns);
        if (!ns) return failf(msg, msg_size, "out of memory");
        elf->reloc_sets = ns;
        elf_reloc_set *set = &ns[elf->n_reloc_sets++];
        *set = (elf_reloc_set){.target = dynamic ? 0 : s->info, .symtab = s->link, .count = s->size / esz};
        set->relocs = calloc(set->count ? set->count : 1, sizeof *set->relocs);
        if (!set->relocs) return failf(msg, msg_size, "out of memory");
        uint32_t nsyms = (uint32_t)(elf->sections[s->link].size / (elf->is64 ? 24 : 16));
        for (size_t k = 0; k < set->count; k++) {
            const uint8_t *p = s->data + k * esz;
            elf_reloc *r = &set->relocs[k];
            if (elf->is64) {
                r->offset = rd(p, 8);
                uint64_t info = rd(p + 8, 8);
                r->sym = (uint32_t)(info >> 32);
                r->type = (uint32_t)info;
                r->addend = (int64_t)rd(p + 16, 8);
            } else {
                r->offset = rd(p, 4);
                uint32_t info = (uint32_t)rd(p + 4, 4);
                r->sym = info >> 8;
                r->type = info & 0xFF;
                r->addend = (int32_t)rd(p + 8, 4);
            }
            if (r->sym >= nsyms) return failf(msg, msg_size, "section %s: relocation %zu names symbol %u of %u", s->name, k, r->sym, nsyms);
        }
        /* Stable order: pairs at one offset (ADD/SUB, SET/SUB) keep their file order. */
        for (size_t k = 1; k < set->count; k++) {
            elf_reloc t = set->relocs[k];
            size_t j = k;
            while (j > 0 && compare_reloc(&set->relocs[j - 1], &t) > 0) {
                set->relocs[j] = set->relocs[j - 1];
                j--;
            }
            set->relocs[j] = t;
        }
        if (!dynamic) n_static++;
    }
    elf->has_static_relocs = n_static > 0;
    return true;
}

bool elf_load(const char *path, elf_file *elf, char *msg, size_t msg_size)
{
    memset(elf, 0, sizeof *elf);
    if (!read_file(path, elf, msg, msg_size)) return false;
    const uint8_t *h = elf->bytes;
    if (elf->size < 4 || memcmp(h, "\x7f" "ELF", 4)) return failf(msg, msg_size, "not an ELF file (bad magic)");
    if (elf->size < 16) return failf(msg, msg_size, "truncated ELF header (%zu bytes)", elf->size);
    if (h[4] != 1 && h[4] != 2) return failf(msg, msg_size, "bad ELF class %u", h[4]);
    elf->is64 = h[4] == 2;
    if (h[5] != 1) return failf(msg, msg_size, "not a little-endian ELF");
    size_t ehsize = elf->is64 ? 64 : 52;
    if (elf->size < ehsize) return failf(msg, msg_size, "truncated ELF header (%zu of %zu bytes)", elf->size, ehsize);
    elf->type = (uint16_t)rd(h + 16, 2);
    uint16_t machine = (uint16_t)rd(h + 18, 2);
    if (machine != EM_RISCV) return failf(msg, msg_size, "wrong machine %u (expected RISC-V, 243)", machine);
    if (elf->type != ET_EXEC && elf->type != ET_DYN)
        return failf(msg, msg_size, "ELF type %u is neither an executable nor a PIE (link the objects first)", elf->type);
    elf->entry = rd(h + 24, elf->is64 ? 8 : 4);
    elf->flags = (uint32_t)rd(h + (elf->is64 ? 48 : 36), 4);
    if (!parse_sections(elf, msg, msg_size)) return false;
    for (uint32_t i = 0; i < elf->n_sections; i++) {
        if (elf->sections[i].type != ELF_SHT_SYMTAB) continue;
        if (!check_symtab(elf, i, msg, msg_size)) return false;
        const elf_section *st = &elf->sections[i];
        elf->symtab_index = i;
        elf->n_symbols = st->size / (elf->is64 ? 24 : 16);
        elf->symbols = calloc(elf->n_symbols ? elf->n_symbols : 1, sizeof *elf->symbols);
        if (!elf->symbols) return failf(msg, msg_size, "out of memory");
        for (uint32_t k = 0; k < elf->n_symbols; k++) elf->symbols[k] = symbol_of(elf, st, k);
        break;
    }
    if (!elf->symbols) return failf(msg, msg_size, "no symbol table (do not strip the ELF)");
    return parse_relocs(elf, msg, msg_size);
}

void elf_free(elf_file *elf)
{
    for (size_t i = 0; i < elf->n_reloc_sets; i++) free(elf->reloc_sets[i].relocs);
    free(elf->reloc_sets);
    free(elf->symbols);
    free(elf->sections);
    free(elf->bytes);
    memset(elf, 0, sizeof *elf);
}

int elf_section_at(const elf_file *elf, uint64_t addr, bool allow_end)
{
    int end_match = -1;
    for (size_t i = 0; i < elf->n_sections; i++) {
        const elf_section *s = &elf->sections[i];
        if (!(s->flags & ELF_SHF_ALLOC) || (s->addr == 0 && s->size == 0)) continue;
        if (addr >= s->addr && addr - s->addr < s->size) return (int)i;
        if (allow_end && addr == s->addr + s->size && end_match < 0) end_match = (int)i;
    }
    return end_match;
}

const elf_reloc_set *elf_relocs_for(const elf_file *elf, uint32_t index)
{
    for (size_t i = 0; i < elf->n_reloc_sets; i++)
        if (elf->reloc_sets[i].target == index && index != 0) return &elf->reloc_sets[i];
    return NULL;
}

const elf_reloc *elf_reloc_at(const elf_reloc_set *set, uint64_t offset)
{
    if (!set) return NULL;
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (set->relocs[mid].offset < offset) lo = mid + 1;
        else hi = mid;
    }
    return lo < set->count && set->relocs[lo].offset == offset ? &set->relocs[lo] : NULL;
}

uint64_t elf_reloc_symbol_value(const elf_file *elf, const elf_reloc_set *set, uint32_t sym)
{
    if (sym == 0) return 0;
    return symbol_of(elf, &elf->sections[set->symtab], sym).value;
}

const char *elf_reloc_symbol_name(const elf_file *elf, const elf_reloc_set *set, uint32_t sym)
{
    if (sym == 0) return "";
    return symbol_of(elf, &elf->sections[set->symtab], sym).name;
}

bool elf_read_at(const elf_file *elf, uint64_t addr, unsigned n, uint64_t *out)
{
    int i = elf_section_at(elf, addr, false);
    if (i < 0) return false;
    const elf_section *s = &elf->sections[i];
    if (addr + n - s->addr > s->size) return false;
    *out = s->data ? rd(s->data + (addr - s->addr), n) : 0;
    return true;
}

const char *elf_reloc_type_name(uint32_t type)
{
    static const char *const names[] = {
        [0] = "R_RISCV_NONE", [1] = "R_RISCV_32", [2] = "R_RISCV_64", [3] = "R_RISCV_RELATIVE",
        [16] = "R_RISCV_BRANCH", [17] = "R_RISCV_JAL", [18] = "R_RISCV_CALL", [19] = "R_RISCV_CALL_PLT",
        [20] = "R_RISCV_GOT_HI20", [23] = "R_RISCV_PCREL_HI20", [24] = "R_RISCV_PCREL_LO12_I",
        [25] = "R_RISCV_PCREL_LO12_S", [26] = "R_RISCV_HI20", [27] = "R_RISCV_LO12_I", [28] = "R_RISCV_LO12_S",
        [33] = "R_RISCV_ADD8", [34] = "R_RISCV_ADD16", [35] = "R_RISCV_ADD32", [36] = "R_RISCV_ADD64",
        [37] = "R_RISCV_SUB8", [38] = "R_RISCV_SUB16", [39] = "R_RISCV_SUB32", [40] = "R_RISCV_SUB64",
        [43] = "R_RISCV_ALIGN", [44] = "R_RISCV_RVC_BRANCH", [45] = "R_RISCV_RVC_JUMP", [51] = "R_RISCV_RELAX",
        [52] = "R_RISCV_SUB6", [53] = "R_RISCV_SET6", [54] = "R_RISCV_SET8", [55] = "R_RISCV_SET16",
        [56] = "R_RISCV_SET32", [57] = "R_RISCV_32_PCREL", [60] = "R_RISCV_SET_ULEB128", [61] = "R_RISCV_SUB_ULEB128",
    };
    return type < sizeof names / sizeof *names && names[type] ? names[type] : "R_RISCV_?";
}
