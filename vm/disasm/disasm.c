#include "disasm.h"
#include <inttypes.h>
#include <stdio.h>

size_t pvm_disasm_instr(const pvm_instr *in, char *buf, size_t cap)
{
    const pvm_op_info *o = &pvm_op_table[in->op];
    int64_t i1 = (int64_t)in->imm, i2 = (int64_t)in->imm2;
    int n;
    switch (o->kind) {
    case PVM_KIND_IMM: n = snprintf(buf, cap, "%s %" PRId64, o->name, i1); break;
    case PVM_KIND_REG_IMM64: n = snprintf(buf, cap, "%s r%u, 0x%" PRIx64, o->name, in->a, in->imm); break;
    case PVM_KIND_IMM_IMM: n = snprintf(buf, cap, "%s [0x%" PRIx32 "], %" PRId64, o->name, (uint32_t)in->imm, i2); break;
    case PVM_KIND_OFF: n = snprintf(buf, cap, "%s @%u", o->name, in->target_pc); break;
    case PVM_KIND_REG_IMM: n = snprintf(buf, cap, "%s r%u, %" PRId64, o->name, in->a, i1); break;
    case PVM_KIND_REG_IMM_IMM: n = snprintf(buf, cap, "%s [r%u%+" PRId64 "], %" PRId64, o->name, in->a, i1, i2); break;
    case PVM_KIND_REG_IMM_OFF: n = snprintf(buf, cap, "%s r%u, %" PRId64 ", @%u", o->name, in->a, i1, in->target_pc); break;
    case PVM_KIND_REG_REG: n = snprintf(buf, cap, "%s r%u, r%u", o->name, in->d, in->a); break;
    case PVM_KIND_REG_REG_IMM: n = snprintf(buf, cap, "%s r%u, r%u, %" PRId64, o->name, in->a, in->b, i1); break;
    case PVM_KIND_REG_REG_OFF: n = snprintf(buf, cap, "%s r%u, r%u, @%u", o->name, in->a, in->b, in->target_pc); break;
    case PVM_KIND_REG_REG_IMM_IMM:
        n = snprintf(buf, cap, "%s r%u, r%u, %" PRId64 ", %" PRId64, o->name, in->a, in->b, i1, i2);
        break;
    case PVM_KIND_REG3: n = snprintf(buf, cap, "%s r%u, r%u, r%u", o->name, in->d, in->a, in->b); break;
    default: n = snprintf(buf, cap, "%s", o->name); break;
    }
    return n < 0 ? 0 : (size_t)n;
}
