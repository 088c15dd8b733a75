/* Data layout: section classes by name, region offsets, initial images. */
#include "layout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ZONE = 0x10000 };

static bool has_prefix(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(name, prefix, n) && (name[n] == 0 || name[n] == '.');
}

static section_class classify(const elf_section *s)
{
    if (!(s->flags & ELF_SHF_ALLOC) || s->size == 0) return SECTION_IGNORED;
    if (s->flags & ELF_SHF_EXECINSTR) return SECTION_CODE;
    const char *n = s->name;
    if (!strncmp(n, ".polkavm_", 9)) return SECTION_METADATA;
    if (has_prefix(n, ".rodata") || has_prefix(n, ".srodata") || has_prefix(n, ".data.rel.ro") || has_prefix(n, ".got") ||
        !strcmp(n, ".got.plt"))
        return SECTION_RO;
    if (has_prefix(n, ".bss") || has_prefix(n, ".sbss")) return SECTION_BSS;
    if (has_prefix(n, ".data") || has_prefix(n, ".sdata")) return s->type == ELF_SHT_NOBITS ? SECTION_BSS : SECTION_RW;
    return SECTION_IGNORED;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return a > 1 ? (v + a - 1) / a * a : v; }

/* Places every section of class `c` (in address order) after *cursor. */
static bool place(const elf_file *elf, data_layout *lay, section_class c, uint64_t *cursor, char *msg, size_t msg_size)
{
    for (;;) { /* pick sections in increasing address order */
        int best = -1;
        for (size_t i = 0; i < elf->n_sections; i++) {
            if (lay->classes[i] != c || lay->offsets[i] != UINT32_MAX) continue;
            if (best < 0 || elf->sections[i].addr < elf->sections[best].addr) best = (int)i;
        }
        if (best < 0) return true;
        const elf_section *s = &elf->sections[best];
        *cursor = align_up(*cursor, s->align);
        if (*cursor + s->size > 0x40000000u) {
            snprintf(msg, msg_size, "section %s does not fit in the PVM address space", s->name);
            return false;
        }
        lay->offsets[best] = (uint32_t)*cursor;
        *cursor += s->size;
    }
}

bool layout_build(const elf_file *elf, data_layout *lay, char *msg, size_t msg_size)
{
    memset(lay, 0, sizeof *lay);
    size_t n = elf->n_sections;
    lay->classes = calloc(n, sizeof *lay->classes);
    lay->offsets = malloc(n * sizeof *lay->offsets);
    if (!lay->classes || !lay->offsets) {
        snprintf(msg, msg_size, "out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        lay->classes[i] = classify(&elf->sections[i]);
        lay->offsets[i] = UINT32_MAX;
        const elf_section *s = &elf->sections[i];
        if (!strcmp(s->name, ".polkavm_min_stack_size") && s->data && s->size >= 4)
            lay->min_stack_size = (uint32_t)(s->data[0] | s->data[1] << 8 | s->data[2] << 16 | (uint32_t)s->data[3] << 24);
    }
    uint64_t ro = 0, rw = 0;
    if (!place(elf, lay, SECTION_RO, &ro, msg, msg_size) || !place(elf, lay, SECTION_RW, &rw, msg, msg_size))
        return false;
    uint64_t rw_data = rw;
    if (!place(elf, lay, SECTION_BSS, &rw, msg, msg_size)) return false;
    lay->ro_size = (uint32_t)ro;
    lay->rw_data_size = (uint32_t)rw_data;
    lay->rw_size = (uint32_t)rw;
    lay->ro_base = ZONE;
    lay->rw_base = ZONE + (uint32_t)align_up(ro, ZONE) + ZONE;
    lay->ro = calloc(ro ? ro : 1, 1);
    lay->rw = calloc(rw_data ? rw_data : 1, 1);
    if (!lay->ro || !lay->rw) {
        snprintf(msg, msg_size, "out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const elf_section *s = &elf->sections[i];
        if (!s->data) continue;
        if (lay->classes[i] == SECTION_RO) memcpy(lay->ro + lay->offsets[i], s->data, s->size);
        if (lay->classes[i] == SECTION_RW) memcpy(lay->rw + lay->offsets[i], s->data, s->size);
    }
    return true;
}

void layout_free(data_layout *lay)
{
    free(lay->classes);
    free(lay->offsets);
    free(lay->ro);
    free(lay->rw);
    memset(lay, 0, sizeof *lay);
}

static bool is_data(section_class c) { return c == SECTION_RO || c == SECTION_RW || c == SECTION_BSS; }

/* The data section holding addr: inside one first, else one that ends exactly there. */
static int data_section_at(const data_layout *lay, const elf_file *elf, uint64_t addr)
{
    int end_match = -1;
    for (size_t i = 0; i < elf->n_sections; i++) {
        if (!is_data(lay->classes[i])) continue;
        const elf_section *s = &elf->sections[i];
        if (addr >= s->addr && addr - s->addr < s->size) return (int)i;
        if (addr == s->addr + s->size && end_match < 0) end_match = (int)i;
    }
    return end_match;
}

bool layout_data_address(const data_layout *lay, const elf_file *elf, uint64_t addr, uint32_t *pvm_addr)
{
    int i = data_section_at(lay, elf, addr);
    if (i < 0) return false;
    uint32_t base = lay->classes[i] == SECTION_RO ? lay->ro_base : lay->rw_base;
    *pvm_addr = base + lay->offsets[i] + (uint32_t)(addr - elf->sections[i].addr);
    return true;
}

uint8_t *layout_image_at(const data_layout *lay, const elf_file *elf, uint64_t addr, uint64_t *avail)
{
    int i = data_section_at(lay, elf, addr);
    if (i < 0 || lay->classes[i] == SECTION_BSS) return NULL;
    const elf_section *s = &elf->sections[i];
    uint64_t off = addr - s->addr;
    *avail = s->size - off;
    return (lay->classes[i] == SECTION_RO ? lay->ro : lay->rw) + lay->offsets[i] + off;
}
