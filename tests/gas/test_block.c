/* Builder for hand-written decoded programs (see test_block.h). */
#include <string.h>
#include "test_block.h"

/* Instruction length: 1 opcode byte plus a fixed 3 argument bytes (0x7f,
 * an unused opcode byte, so only real opcodes are ever trap/unlikely). */
static uint8_t length_of(pvm_op op) { return pvm_op_table[op].kind == PVM_KIND_NONE ? 1 : 4; }

void tb_build(test_block *tb, pvm_isa isa, const tb_instr *list, uint32_t n)
{
    memset(tb, 0, sizeof *tb);
    uint32_t pc = 0;
    for (uint32_t i = 0; i < n; i++) {
        pvm_instr *in = &tb->instrs[i];
        in->op = (uint8_t)list[i].op;
        in->d = list[i].d, in->a = list[i].a, in->b = list[i].b;
        in->len = length_of(list[i].op);
        in->pc = pc;
        int byte = pvm_isa_encode_opcode(isa, list[i].op);
        tb->code[pc] = (uint8_t)(byte < 0 ? 0x7f : byte);
        memset(tb->code + pc + 1, 0x7f, in->len - 1u);
        pc += in->len;
    }
    uint32_t nblocks = 0;
    for (uint32_t i = 0; i < n; i++) {
        pvm_instr *in = &tb->instrs[i];
        uint32_t t = list[i].target;
        in->target = t < n ? t : PVM_NO_INDEX;
        in->target_pc = t < n ? tb->instrs[t].pc : pc + 100;
        if (i == 0 || pvm_op_is_terminator((pvm_op)tb->instrs[i - 1].op)) {
            in->block_start = 1;
            tb->blocks[nblocks++] = (pvm_block){.first = i};
        }
        in->block = nblocks - 1;
        tb->blocks[nblocks - 1].count++;
    }
    for (uint32_t b = 0; b < nblocks; b++) { /* what the decoder records of each block's last instruction */
        const pvm_instr *last = &tb->instrs[tb->blocks[b].first + tb->blocks[b].count - 1];
        tb->blocks[b].term_op = last->op;
        tb->blocks[b].target_block = pvm_op_is_terminator((pvm_op)last->op) && last->target != PVM_NO_INDEX
                                         ? tb->instrs[last->target].block : PVM_NO_INDEX;
    }
    tb->d = (pvm_decoded){.isa = isa, .is_64bit = pvm_isa_is_64bit(isa), .code = tb->code, .code_len = pc,
                          .instrs = tb->instrs, .n_instrs = n, .blocks = tb->blocks, .n_blocks = nblocks};
}
