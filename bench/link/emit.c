/* Emission: every PVM instruction the translator (translate.c) and the peepholes
 * (fusion.c) produce goes through one of these, which record it for terminator
 * tracking and statistics; also the register map and a code relocation lookup
 * both use. */
#include <stdio.h>
#include "link_internal.h"

#define OP(name) PVM_OP_##name

void emitted(linker *l, int op)
{
    l->last_op = op;
    l->stats->pvm_instructions++;
}

void emit_none(linker *l, int op) { pvm_emit_none(l->b, op); emitted(l, op); }
void emit_reg_reg(linker *l, int op, unsigned d, unsigned a) { pvm_emit_reg_reg(l->b, op, d, a); emitted(l, op); }
void emit_reg3(linker *l, int op, unsigned d, unsigned a, unsigned b) { pvm_emit_reg3(l->b, op, d, a, b); emitted(l, op); }
void emit_jump(linker *l, pvm_label t) { pvm_emit_jump(l->b, OP(JUMP), t); emitted(l, OP(JUMP)); }
void emit_reg_imm(linker *l, int op, unsigned a, int64_t x) { pvm_emit_reg_imm(l->b, op, a, x); emitted(l, op); }
void emit_reg_reg_imm(linker *l, int op, unsigned a, unsigned b, int64_t x) { pvm_emit_reg_reg_imm(l->b, op, a, b, x); emitted(l, op); }
void emit_branch(linker *l, int op, unsigned a, unsigned b, pvm_label t) { pvm_emit_reg_reg_jump(l->b, op, a, b, t); emitted(l, op); }
void emit_branch_imm(linker *l, int op, unsigned a, int64_t x, pvm_label t) { pvm_emit_reg_imm_jump(l->b, op, a, x, t); emitted(l, op); }

void emit_load_constant(linker *l, unsigned reg, int64_t value)
{
    if (value == (int32_t)value || !l->is64) {
        emit_reg_imm(l, OP(LOAD_IMM), reg, (int32_t)value);
    } else {
        pvm_emit_reg_imm64(l->b, OP(LOAD_IMM_64), reg, (uint64_t)value);
        emitted(l, OP(LOAD_IMM_64));
    }
}

void emit_move(linker *l, unsigned d, unsigned a)
{
    if (d == a && l->opt->drop_moves) {
        l->stats->dropped_moves++;
        return;
    }
    emit_reg_reg(l, OP(MOVE_REG), d, a);
}

int pvm_reg(linker *l, const code_insn *ci, unsigned r)
{
    static const int8_t map[32] = {-1, 0, 1, -2, -2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                   -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2};
    if (map[r & 31] == -2) {
        char text[64];
        rv_format(&ci->in, text, sizeof text);
        link_fail(l, ci->addr, "cannot translate '%s': register %s does not exist in RV32E/RV64E", text, rv_reg_name(r));
        return -1;
    }
    return map[r & 31];
}

const elf_reloc *code_reloc(const code_insn *ci, const uint32_t *types, size_t n)
{
    if (!ci->reloc) return NULL;
    const elf_reloc *end = ci->reloc_set->relocs + ci->reloc_set->count;
    for (const elf_reloc *r = ci->reloc; r < end && r->offset == ci->addr; r++)
        for (size_t k = 0; k < n; k++)
            if (r->type == types[k]) return r;
    return NULL;
}
