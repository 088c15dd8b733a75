/* What every pass of the translator (code scan, translation, fusion, relocation,
 * the driver) uses: the first error, instruction lookup by address, labels and
 * jump-table addresses of code, and the PVM value of an ELF address or pointer. */
#include <stdarg.h>
#include <stdio.h>
#include "link_internal.h"

enum { R_32 = 1, R_64 = 2 };

bool link_fail(linker *l, uint64_t addr, const char *fmt, ...)
{
    if (l->failed) return false;
    l->failed = true;
    int n = addr == UINT64_MAX ? 0 : snprintf(l->msg, l->msg_size, "0x%llx: ", (unsigned long long)addr);
    if (n < 0 || (size_t)n >= l->msg_size) n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->msg + n, l->msg_size - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

long find_insn(const linker *l, uint64_t addr)
{
    size_t lo = 0, hi = l->n_insns;
    while (lo < hi) { /* last entry with address <= addr */
        size_t mid = (lo + hi) / 2;
        if (l->insns[mid].addr <= addr) lo = mid + 1;
        else hi = mid;
    }
    return lo > 0 && l->insns[lo - 1].addr == addr ? (long)lo - 1 : -1;
}

bool label_for(linker *l, uint64_t addr, pvm_label *label)
{
    long i = find_insn(l, addr);
    if (i < 0 || !l->insns[i].block_start)
        return link_fail(l, addr, "jump target is %s", i < 0 ? "not the start of an instruction" : "not a known block start");
    code_insn *ci = &l->insns[i];
    if (ci->label == NO_LABEL) ci->label = pvm_builder_label(l->b);
    *label = ci->label;
    return true;
}

bool jump_address_for(linker *l, uint64_t addr, uint32_t *jump_address)
{
    pvm_label label = NO_LABEL; /* set by label_for when it succeeds (gcc cannot see that once link_fail is inlined) */
    if (!label_for(l, addr, &label)) return false;
    code_insn *ci = &l->insns[find_insn(l, addr)];
    if (!ci->jump_address) {
        ci->jump_address = pvm_builder_jump_table_add(l->b, label);
        l->stats->jump_table_entries++;
    }
    *jump_address = ci->jump_address;
    return true;
}

uint64_t reloc_target(const linker *l, const elf_reloc_set *set, const elf_reloc *r)
{
    return elf_reloc_symbol_value(l->elf, set, r->sym) + (uint64_t)r->addend;
}

bool pvm_address_of(linker *l, uint64_t addr, uint32_t *out)
{
    if (layout_data_address(&l->lay, l->elf, addr, out)) return true;
    int s = elf_section_at(l->elf, addr, false);
    if (s >= 0 && l->lay.classes[s] == SECTION_CODE) return jump_address_for(l, addr, out);
    return link_fail(l, UINT64_MAX, "address 0x%llx is in no loaded section%s%s%s", (unsigned long long)addr,
                     s >= 0 ? " (it is in " : "", s >= 0 ? l->elf->sections[s].name : "", s >= 0 ? ")" : "");
}

bool read_pointer(const linker *l, uint64_t addr, uint64_t *out)
{
    unsigned n = l->is64 ? 8 : 4;
    int s = elf_section_at(l->elf, addr, false);
    if (s < 0) return false;
    const elf_reloc_set *set = elf_relocs_for(l->elf, (uint32_t)s);
    for (const elf_reloc *r = elf_reloc_at(set, addr); r && r < set->relocs + set->count && r->offset == addr; r++)
        if (r->type == R_32 || r->type == R_64) {
            *out = reloc_target(l, set, r);
            return true;
        }
    return elf_read_at(l->elf, addr, n, out);
}
