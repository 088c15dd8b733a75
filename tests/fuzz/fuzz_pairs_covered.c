/* fuzz_pairs_covered: the deep generator's programs put every super-instruction pair of
 * the interpreter (vm/interp/interp_fused.def) side by side, with the second reading the
 * first's result (unless the second is a load or reads no register, as load_imm), on the 64-bit ISA (where every pair's ops exist) and, for the pairs of
 * 32-bit ops, on the 32-bit one: the differential fuzzer then runs each fused handler
 * against the recompiler. Exit 0 when all are covered; else the missing pairs are named. */
#include <stdbool.h>
#include <stdio.h>
#include "fuzz_case.h"
#include "vm/isa/isa.h"
#include "vm/interp/interp.h"

static const pvm_op pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "vm/interp/interp_fused.def"
#undef FUSED
};
#define N_PAIRS (sizeof pairs / sizeof pairs[0])

/* Does y read register reg as a source (the operand-field orders of fuzz_deep.c)? */
static bool reads(const fz_ins *y, uint8_t reg)
{
    pvm_kind k = pvm_op_table[y->op].kind;
    pvm_mem_access m = pvm_op_mem_access((pvm_op)y->op);
    if (m.width) return m.is_store && y->r[0] == reg;
    if (k == PVM_KIND_REG3) return y->r[1] == reg || y->r[2] == reg;
    if (k == PVM_KIND_REG_REG_OFF) return y->r[0] == reg || y->r[1] == reg;
    if (k == PVM_KIND_REG_REG_IMM || k == PVM_KIND_REG_REG) return y->r[1] == reg;
    if (k == PVM_KIND_REG_IMM_OFF) return y->r[0] == reg;
    return false;
}

int main(void)
{
    static const pvm_isa isas[] = {PVM_ISA_LATEST64, PVM_ISA_LATEST32};
    int missing = 0;
    for (unsigned i = 0; i < sizeof isas / sizeof isas[0]; i++) {
        bool seen[N_PAIRS] = {0}, linked[N_PAIRS] = {0};
        for (uint64_t k = 0; k < 1500; k++) {
            fz_rng rng = {.state = 0x5eed0000u + k};
            fz_case c;
            if (!fz_generate(&rng, (int)isas[i], 48, 0, &c)) {
                fprintf(stderr, "fuzz_pairs_covered: out of memory\n");
                return 1;
            }
            for (uint32_t j = 0; j + 1 < c.n_ins; j++)
                for (unsigned p = 0; p < N_PAIRS; p++)
                    if (c.ins[j].op == (int)pairs[p][0] && c.ins[j + 1].op == (int)pairs[p][1]) {
                        seen[p] = true;
                        /* (a store writes no register; a load's only source is its base, a
                         * reserved register: indexed_access and element_idiom forward those) */
                        pvm_mem_access m1 = pvm_op_mem_access(pairs[p][0]), m2 = pvm_op_mem_access(pairs[p][1]);
                        const pvm_op_info *t2 = &pvm_op_table[pairs[p][1]];
                        if (m1.is_store || (m2.width && !m2.is_store) || !PVM_INTERP_READS_OF(t2->kind, t2->group) ||
                            reads(&c.ins[j + 1], c.ins[j].r[0]))
                            linked[p] = true;
                    }
            fz_case_free(&c);
        }
        for (unsigned p = 0; p < N_PAIRS; p++) {
            bool exists = pvm_isa_encode_opcode(isas[i], pairs[p][0]) >= 0 &&
                          pvm_isa_encode_opcode(isas[i], pairs[p][1]) >= 0;
            if (exists && (!seen[p] || !linked[p])) {
                printf("isa %d: pair %s, %s %s\n", (int)isas[i], pvm_op_table[pairs[p][0]].name,
                       pvm_op_table[pairs[p][1]].name, seen[p] ? "never with the second reading the first" : "never generated");
                missing++;
            }
        }
    }
    printf("fuzz_pairs_covered: %d pairs missing\n", missing);
    return missing != 0;
}
