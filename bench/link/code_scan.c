/* Code scan: decode every code section into one address-ordered list, recognise the
 * SDK's import stubs, and find every address a jump can land on (those must start a
 * PVM basic block). */
#include <stdlib.h>
#include <string.h>
#include "link_internal.h"
#include "vm/util/grow.h"

enum { R_NONE = 0, R_32 = 1, R_64 = 2, R_BRANCH = 16, R_JAL = 17, R_PCREL_LO12_I = 24, R_PCREL_LO12_S = 25,
       R_LO12_I = 27, R_LO12_S = 28, R_ALIGN = 43, R_RVC_BRANCH = 44, R_RVC_JUMP = 45, R_RELAX = 51 };
enum { IMPORT_MARKER = 0x0000000b };

static code_insn *append(linker *l)
{
    if (UTIL_GROW(l->insns, l->cap_insns, l->n_insns + 1, 1024) != 0) {
        link_fail(l, UINT64_MAX, "out of memory");
        return NULL;
    }
    code_insn *ci = &l->insns[l->n_insns++];
    memset(ci, 0, sizeof *ci);
    ci->label = NO_LABEL;
    return ci;
}

/* An import stub: the word 0x0000000b, then a pointer to its V1/V2 metadata record. */
static bool read_import(linker *l, code_insn *ci)
{
    unsigned ptr = l->is64 ? 8 : 4;
    uint64_t meta, version, sym_len, sym;
    if (!read_pointer(l, ci->addr + 4, &meta))
        return link_fail(l, ci->addr, "import marker without a metadata pointer");
    if (!elf_read_at(l->elf, meta, 1, &version) || (version != 1 && version != 2) ||
        !elf_read_at(l->elf, meta + 5, 4, &sym_len) || !read_pointer(l, meta + 9, &sym))
        return link_fail(l, ci->addr, "import marker: bad metadata record at 0x%llx", (unsigned long long)meta);
    int s = elf_section_at(l->elf, sym, false);
    const elf_section *sec = s >= 0 ? &l->elf->sections[s] : NULL;
    if (!sec || !sec->data || sym_len == 0 || sym - sec->addr + sym_len > sec->size)
        return link_fail(l, ci->addr, "import marker: bad symbol name at 0x%llx", (unsigned long long)sym);
    ci->kind = INSN_IMPORT;
    ci->import_name = (const char *)sec->data + (sym - sec->addr);
    ci->import_name_len = (uint32_t)sym_len;
    ci->in.len = (uint8_t)(4 + ptr);
    return true;
}


static bool scan_section(linker *l, uint32_t index)
{
    const elf_section *s = &l->elf->sections[index];
    const elf_reloc_set *relocs = elf_relocs_for(l->elf, index);
    if (!s->data) return true;
    for (uint64_t off = 0; off < s->size;) {
        code_insn *ci = append(l);
        if (!ci) return false;
        ci->addr = s->addr + off;
        ci->reloc_set = relocs;
        ci->reloc = elf_reloc_at(relocs, ci->addr);
        const uint8_t *p = s->data + off;
        size_t avail = (size_t)(s->size - off);
        if (avail >= 4 && (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24) == IMPORT_MARKER) {
            if (!read_import(l, ci)) return false;
        } else {
            ci->in = rv_decode(p, avail, l->is64 ? 64 : 32);
        }
        off += ci->in.len;
    }
    code_insn *end = append(l);
    if (!end) return false;
    end->addr = s->addr + s->size;
    end->kind = INSN_SECTION_END;
    return true;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorted unique import names; each stub's ecalli number is its name's index. */
static bool number_imports(linker *l)
{
    for (size_t i = 0; i < l->n_insns; i++) {
        code_insn *ci = &l->insns[i];
        if (ci->kind != INSN_IMPORT) continue;
        char **n = realloc(l->imports, (l->n_imports + 1) * sizeof *n);
        if (!n) return link_fail(l, UINT64_MAX, "out of memory");
        l->imports = n;
        if (!(n[l->n_imports] = strndup(ci->import_name, ci->import_name_len))) return link_fail(l, UINT64_MAX, "out of memory");
        l->n_imports++;
    }
    if (l->n_imports > 1) qsort(l->imports, l->n_imports, sizeof *l->imports, compare_names);
    size_t u = 0;
    for (size_t i = 0; i < l->n_imports; i++) {
        if (u && !strcmp(l->imports[u - 1], l->imports[i])) free(l->imports[i]);
        else l->imports[u++] = l->imports[i];
    }
    l->n_imports = u;
    for (size_t i = 0; i < l->n_insns; i++) {
        code_insn *ci = &l->insns[i];
        if (ci->kind != INSN_IMPORT) continue;
        for (size_t k = 0; k < l->n_imports; k++)
            if (strlen(l->imports[k]) == ci->import_name_len && !memcmp(l->imports[k], ci->import_name, ci->import_name_len))
                ci->import_index = (uint32_t)k;
    }
    return true;
}

bool scan_code(linker *l)
{
    uint32_t *order = malloc((l->elf->n_sections + 1) * sizeof *order);
    if (!order) return link_fail(l, UINT64_MAX, "out of memory");
    size_t n = 0;
    for (uint32_t i = 0; i < l->elf->n_sections; i++)
        if (l->lay.classes[i] == SECTION_CODE) order[n++] = i;
    for (size_t k = 1; k < n; k++) /* by address; there are only a few code sections */
        for (size_t j = k; j > 0 && l->elf->sections[order[j - 1]].addr > l->elf->sections[order[j]].addr; j--) {
            uint32_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    bool ok = true;
    for (size_t k = 0; ok && k < n; k++) ok = scan_section(l, order[k]);
    free(order);
    if (ok && l->n_insns == 0) return link_fail(l, UINT64_MAX, "no code sections");
    return ok && number_imports(l);
}

static void mark(linker *l, uint64_t addr)
{
    long i = find_insn(l, addr);
    if (i >= 0) l->insns[i].block_start = true;
}

/* Relocations whose target is not a place control can reach: pc-relative low parts name
 * their auipc, branch/jump relocations repeat what the decoder already sees. */
static bool reloc_names_jump_target(uint32_t type)
{
    switch (type) {
    case R_NONE: case R_BRANCH: case R_JAL: case R_PCREL_LO12_I: case R_PCREL_LO12_S: case R_LO12_I: case R_LO12_S:
    case R_ALIGN: case R_RVC_BRANCH: case R_RVC_JUMP: case R_RELAX:
        return false;
    }
    return true;
}

bool auipc_pair_target(const linker *l, size_t i, uint64_t *target)
{
    const code_insn *hi = &l->insns[i], *lo = i + 1 < l->n_insns ? &l->insns[i + 1] : NULL;
    if (hi->in.op != RV_AUIPC || hi->in.rd == 0 || !lo || lo->kind != INSN_RISCV || lo->in.rs1 != hi->in.rd) return false;
    switch (lo->in.op) {
    case RV_JALR: case RV_ADDI: case RV_LB: case RV_LH: case RV_LW: case RV_LD: case RV_LBU: case RV_LHU: case RV_LWU:
    case RV_SB: case RV_SH: case RV_SW: case RV_SD:
        *target = hi->addr + (uint64_t)hi->in.imm + (uint64_t)lo->in.imm;
        return true;
    default:
        return false;
    }
}

bool mark_block_starts(linker *l)
{
    if (l->n_insns) l->insns[0].block_start = true;
    for (size_t i = 0; i < l->n_insns; i++) {
        code_insn *ci = &l->insns[i];
        if (ci->kind != INSN_RISCV) continue;
        const rv_insn *in = &ci->in;
        switch (in->op) {
        case RV_BEQ: case RV_BNE: case RV_BLT: case RV_BGE: case RV_BLTU: case RV_BGEU:
            mark(l, ci->addr + (uint64_t)in->imm);
            mark(l, ci->addr + in->len);
            break;
        case RV_JAL:
            mark(l, ci->addr + (uint64_t)in->imm);
            mark(l, ci->addr + in->len);
            break;
        case RV_JALR:
            mark(l, ci->addr + in->len);
            break;
        case RV_AUIPC: { /* resolved by the assembler: a call or address inside one section */
            uint64_t target;
            if (!ci->reloc && auipc_pair_target(l, i, &target)) mark(l, target);
            break;
        }
        default:
            break;
        }
    }
    /* Every code address a relocation names: function pointers in data, switch-table
     * entries (ADD32 halves), call targets, exports. */
    for (size_t s = 0; s < l->elf->n_reloc_sets; s++) {
        const elf_reloc_set *set = &l->elf->reloc_sets[s];
        for (size_t k = 0; k < set->count; k++) {
            const elf_reloc *r = &set->relocs[k];
            if (!reloc_names_jump_target(r->type)) continue;
            mark(l, r->type == 3 /* RELATIVE */ ? (uint64_t)r->addend : reloc_target(l, set, r));
        }
    }
    return true;
}
