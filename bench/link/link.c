/* pvm-link's driver: scan, translate, relocate, then hand memory, imports and exports
 * to the builder and serialise. */
#include "link.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "link_internal.h"

enum { DEFAULT_STACK_SIZE = 64 * 1024 };

/* Name bytes of a V1/V2 metadata record at `meta`. */
static bool metadata_name(linker *l, uint64_t meta, char *name, size_t size)
{
    uint64_t len, sym, c;
    if (!elf_read_at(l->elf, meta + 5, 4, &len) || !read_pointer(l, meta + 9, &sym) || len == 0 || len >= size)
        return false;
    for (uint64_t i = 0; i < len; i++) {
        if (!elf_read_at(l->elf, sym + i, 1, &c)) return false;
        name[i] = (char)c;
    }
    name[len] = 0;
    return true;
}

typedef struct {
    char name[256];
    uint64_t addr;
} export_entry;

/* Exports from .polkavm_exports, or from --export symbols when the guest has none. */
static bool collect_exports(linker *l, export_entry **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    const elf_file *elf = l->elf;
    unsigned ptr = l->is64 ? 8 : 4, entry = 1 + 2 * ptr;
    for (uint32_t s = 0; s < elf->n_sections; s++) {
        const elf_section *sec = &elf->sections[s];
        if (strcmp(sec->name, ".polkavm_exports") || !sec->data) continue;
        for (uint64_t off = 0; off + entry <= sec->size; off += entry) {
            uint64_t meta, fn;
            if (sec->data[off] != 1) return link_fail(l, sec->addr + off, "export entry version %u (expected 1)", sec->data[off]);
            export_entry *n = realloc(*out, (*n_out + 1) * sizeof *n);
            if (!n) return link_fail(l, UINT64_MAX, "out of memory");
            *out = n;
            export_entry *e = &n[(*n_out)++];
            if (!read_pointer(l, sec->addr + off + 1, &meta) || !read_pointer(l, sec->addr + off + 1 + ptr, &fn) ||
                !metadata_name(l, meta, e->name, sizeof e->name))
                return link_fail(l, sec->addr + off, "bad export entry in .polkavm_exports");
            e->addr = fn;
        }
    }
    if (*n_out) return true;
    for (size_t k = 0; k < l->opt->n_export_names; k++) {
        const char *want = l->opt->export_names[k];
        const elf_symbol *found = NULL;
        for (size_t i = 0; i < elf->n_symbols && !found; i++) {
            const elf_symbol *sy = &elf->symbols[i];
            bool code = sy->shndx != 0 && sy->shndx < elf->n_sections && l->lay.classes[sy->shndx] == SECTION_CODE;
            if ((sy->type == ELF_STT_FUNC || sy->type == 0) && sy->bind == ELF_STB_GLOBAL && code && !strcmp(sy->name, want))
                found = sy;
        }
        if (!found) return link_fail(l, UINT64_MAX, "--export %s: no global function of that name", want);
        export_entry *n = realloc(*out, (*n_out + 1) * sizeof *n);
        if (!n) return link_fail(l, UINT64_MAX, "out of memory");
        *out = n;
        snprintf(n[*n_out].name, sizeof n[*n_out].name, "%s", want);
        n[(*n_out)++].addr = found->value;
    }
    return true;
}

static bool check_machine(linker *l)
{
    const elf_file *elf = l->elf;
    if (!(elf->flags & ELF_EF_RISCV_RVE))
        fprintf(stderr, "pvm-link: warning: the ELF is not marked RVE; translating anyway (only x0-x2, x5-x15 may appear)\n");
    bool isa64 = pvm_isa_is_64bit(l->opt->isa);
    if (elf->is64 && !isa64) return link_fail(l, UINT64_MAX, "a 64-bit ELF needs a 64-bit ISA (latest64 or jamv1)");
    if (!elf->is64 && l->opt->isa != PVM_ISA_LATEST32)
        return link_fail(l, UINT64_MAX, "a 32-bit ELF translates only to the latest32 ISA");
    return true;
}

static bool build(linker *l, uint8_t **out, size_t *out_len)
{
    export_entry *exports = NULL;
    size_t n_exports = 0;
    bool ok = check_machine(l) && layout_build(l->elf, &l->lay, l->msg, l->msg_size);
    if (!ok && !l->failed) l->failed = true;
    /* Without kept relocations, pointers in data cannot be told from numbers. Code alone
     * is fine: its pc-relative pairs carry their targets. */
    bool has_dynamic = false;
    for (size_t i = 0; i < l->elf->n_reloc_sets; i++) has_dynamic |= l->elf->reloc_sets[i].target == 0 && l->elf->reloc_sets[i].count;
    if (ok && !l->elf->has_static_relocs && (l->lay.ro_size || l->lay.rw_data_size || has_dynamic))
        ok = link_fail(l, UINT64_MAX, "no relocations kept (link with --emit-relocs)");
    ok = ok && scan_code(l) && collect_exports(l, &exports, &n_exports) && mark_block_starts(l);
    for (size_t i = 0; ok && i < n_exports; i++) {
        long k = find_insn(l, exports[i].addr);
        if (k < 0) ok = link_fail(l, exports[i].addr, "export %s is not at an instruction", exports[i].name);
        else l->insns[k].block_start = true;
    }
    if (ok && l->opt->gp_standard) { /* pc 0 jumps to the entry export */
        size_t e = 0;
        while (l->opt->entry && e < n_exports && strcmp(exports[e].name, l->opt->entry)) e++;
        pvm_label entry;
        if (e >= n_exports) ok = link_fail(l, UINT64_MAX, "gp-standard needs an entry export%s%s", l->opt->entry ? ": no export " : "",
                                           l->opt->entry ? l->opt->entry : "");
        else if ((ok = label_for(l, exports[e].addr, &entry))) {
            pvm_emit_jump(l->b, PVM_OP_JUMP, entry);
            l->last_op = PVM_OP_JUMP;
            l->stats->pvm_instructions++;
        }
    }
    ok = ok && translate_code(l) && apply_data_relocations(l);
    for (size_t i = 0; ok && i < n_exports; i++) {
        pvm_label label;
        if ((ok = label_for(l, exports[i].addr, &label))) pvm_builder_export(l->b, exports[i].name, label);
    }
    free(exports);
    if (!ok) return false;
    for (size_t i = 0; i < l->n_imports; i++) pvm_builder_import(l->b, l->imports[i]);
    uint32_t stack = l->opt->stack_size;
    if (!stack) stack = l->lay.min_stack_size > DEFAULT_STACK_SIZE ? l->lay.min_stack_size : DEFAULT_STACK_SIZE;
    pvm_builder_set_ro_data(l->b, l->lay.ro, l->lay.ro_size, l->lay.ro_size);
    pvm_builder_set_rw_data(l->b, l->lay.rw, l->lay.rw_data_size, l->lay.rw_size);
    pvm_builder_set_stack_size(l->b, stack);
    pvm_error err = {{0}};
    pvm_status st = l->opt->gp_standard ? pvm_builder_finish_gp_standard(l->b, out, out_len, &err)
                                        : pvm_builder_finish_polkavm(l->b, out, out_len, &err);
    if (st) return link_fail(l, UINT64_MAX, "%s", err.msg);
    return true;
}

bool link_pass(const elf_file *elf, const link_options *opt, link_hint_plan *hints, uint8_t **out, size_t *out_len,
               link_stats *stats, char *msg, size_t msg_size)
{
    linker l = {.elf = elf, .opt = opt, .stats = stats, .is64 = elf->is64, .last_op = -1, .hints = hints,
                .msg = msg, .msg_size = msg_size};
    memset(l.stats, 0, sizeof *l.stats);
    msg[0] = 0;
    l.b = pvm_builder_new(opt->isa);
    bool ok = l.b ? build(&l, out, out_len) : link_fail(&l, UINT64_MAX, "out of memory");
    for (size_t i = 0; i < l.n_insns; i++) l.stats->riscv_instructions += l.insns[i].kind != INSN_SECTION_END;
    pvm_builder_free(l.b);
    layout_free(&l.lay);
    free(l.insns);
    for (size_t i = 0; i < l.n_imports; i++) free(l.imports[i]);
    free(l.imports);
    return ok;
}
