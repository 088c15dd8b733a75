/* Decoder: one linear walk over the code, following the bitmask, produces
 * every instruction with its operands, the basic blocks and resolved static
 * targets. Operand lengths come from the bitmask (skip), never the opcode. */
#include "decode.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vm/util/error.h"

/* Arrays of a large program (tens of MiB for a million instructions) on
 * transparent huge pages where the kernel offers them on request: first
 * touching them page by page costs more than decoding. Freed with free(). */
#define HUGE_PAGE ((size_t)2 << 20)
static void *alloc_array(size_t bytes)
{
    if (bytes < 2 * HUGE_PAGE) return malloc(bytes);
    size_t rounded = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

static inline bool bit(const uint8_t *mask, uint32_t len, uint32_t i)
{
    return i >= len || ((mask[i >> 3] >> (i & 7)) & 1);
}

/* Bytes between pc+1 and the next set bit of mask ‖ 1,1,1..., capped at 24:
 * the 25 bits after pc in one word when they lie inside the mask. */
static uint32_t skip_at(const uint8_t *mask, uint32_t len, uint32_t pc)
{
    uint32_t from = pc + 1;
    /* The 25 bits are real code bits (past len they count as set) and the 5 bytes read lie inside the mask. */
    if ((uint64_t)from + 25 <= len && (uint64_t)(from >> 3) + 5 <= ((uint64_t)len + 7) / 8) {
        uint64_t w = 0;
        memcpy(&w, mask + (from >> 3), 5);
        uint32_t bits = (uint32_t)(w >> (from & 7)) | (1u << 24);
        return (uint32_t)__builtin_ctz(bits);
    }
    uint32_t s = 0;
    while (s < 24 && !bit(mask, len, from + s)) s++;
    return s;
}

static uint64_t read_le(const pvm_decoded *d, uint32_t pc, unsigned n)
{
    if ((uint64_t)pc + 8 <= d->code_len) { /* the common case: one unaligned load */
        uint64_t w;
        memcpy(&w, d->code + pc, 8);
        return n >= 8 ? w : w & ((UINT64_C(1) << (8 * n)) - 1);
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)pvm_code_byte(d, pc + i) << (8 * i);
    return v;
}

/* Little-endian immediate of n bytes (n <= 4), sign-extended to 64 bits. */
static uint64_t read_imm(const pvm_decoded *d, uint32_t pc, unsigned n)
{
    if (n == 0) return 0;
    uint64_t v = read_le(d, pc, n);
    unsigned shift = 64 - 8 * n;
    return (uint64_t)((int64_t)(v << shift) >> shift);
}

static inline unsigned clamp4(int x) { return x < 0 ? 0 : x > 4 ? 4 : (unsigned)x; }
static inline uint8_t reg(unsigned r) { return r > 12 ? 12 : (uint8_t)r; }

static void decode_operands(const pvm_decoded *d, pvm_instr *in, uint32_t skip)
{
    uint32_t pc = in->pc;
    uint8_t b1 = pvm_code_byte(d, pc + 1), b2 = pvm_code_byte(d, pc + 2);
    unsigned lx, ly;
    in->target_pc = 0;
    switch (pvm_op_table[in->op].kind) {
    case PVM_KIND_NONE: break;
    case PVM_KIND_IMM: in->imm = read_imm(d, pc + 1, clamp4((int)skip)); break;
    case PVM_KIND_OFF: in->target_pc = pc + (uint32_t)read_imm(d, pc + 1, clamp4((int)skip)); break;
    case PVM_KIND_REG_IMM64:
        in->a = reg(b1 & 15);
        in->imm = read_le(d, pc + 2, 8);
        break;
    case PVM_KIND_IMM_IMM:
        lx = clamp4(b1 & 7);
        ly = clamp4((int)skip - (int)lx - 1);
        in->imm = read_imm(d, pc + 2, lx);
        in->imm2 = read_imm(d, pc + 2 + lx, ly);
        break;
    case PVM_KIND_REG_IMM:
        in->a = reg(b1 & 15);
        in->imm = read_imm(d, pc + 2, clamp4((int)skip - 1));
        break;
    case PVM_KIND_REG_IMM_IMM:
    case PVM_KIND_REG_IMM_OFF:
        in->a = reg(b1 & 15);
        lx = clamp4((b1 >> 4) & 7);
        ly = clamp4((int)skip - (int)lx - 1);
        in->imm = read_imm(d, pc + 2, lx);
        in->imm2 = read_imm(d, pc + 2 + lx, ly);
        if (pvm_op_table[in->op].kind == PVM_KIND_REG_IMM_OFF) in->target_pc = pc + (uint32_t)in->imm2;
        break;
    case PVM_KIND_REG_REG:
        in->d = reg(b1 & 15);
        in->a = reg(b1 >> 4);
        break;
    case PVM_KIND_REG_REG_IMM:
    case PVM_KIND_REG_REG_OFF:
        in->a = reg(b1 & 15);
        in->b = reg(b1 >> 4);
        in->imm = read_imm(d, pc + 2, clamp4((int)skip - 1));
        if (pvm_op_table[in->op].kind == PVM_KIND_REG_REG_OFF) in->target_pc = pc + (uint32_t)in->imm;
        break;
    case PVM_KIND_REG_REG_IMM_IMM:
        in->a = reg(b1 & 15);
        in->b = reg(b1 >> 4);
        lx = clamp4(b2 & 7);
        ly = clamp4((int)skip - (int)lx - 2);
        in->imm = read_imm(d, pc + 3, lx);
        in->imm2 = read_imm(d, pc + 3 + lx, ly);
        break;
    case PVM_KIND_REG3:
        in->a = reg(b1 & 15);
        in->b = reg(b1 >> 4);
        /* GP: rD = min(12, whole byte); PolkaVM: low nibble. */
        in->d = (d->isa == PVM_ISA_GP07 || d->isa == PVM_ISA_JAMV1) ? reg(b2) : reg(b2 & 15);
        break;
    default: break;
    }
}

bool pvm_decoded_is_jump_target(const pvm_decoded *d, uint32_t pc)
{
    uint32_t i = pvm_decoded_index(d, pc);
    if (i == PVM_NO_INDEX || pc >= d->code_len) return false;
    const pvm_instr *in = &d->instrs[i];
    return in->block_start && in->op != PVM_OP_INVALID;
}

pvm_op pvm_decoded_op_at(const pvm_decoded *d, uint32_t pc)
{
    uint32_t i = pvm_decoded_index(d, pc);
    return i == PVM_NO_INDEX ? PVM_OP_INVALID : (pvm_op)d->instrs[i].op;
}

pvm_status pvm_decode_program(pvm_isa isa, const uint8_t *code, uint32_t code_len, const uint8_t *bitmask,
                              const uint32_t *jump_table, uint32_t jt_len, pvm_decoded *d, pvm_error *err)
{
    memset(d, 0, sizeof *d);
    d->isa = isa;
    d->is_64bit = pvm_isa_is_64bit(isa);
    d->code = code;
    d->code_len = code_len;
    d->bitmask = bitmask;
    d->pc_index = alloc_array(((size_t)code_len + 1) * sizeof(uint32_t));
    /* One instruction per bitmask bit (the implicit traps after long gaps grow the array). */
    uint32_t cap = 16, mask_bytes = (code_len + 7) / 8;
    uint32_t i = 0;
    for (; bitmask && i + 8 <= mask_bytes; i += 8) {
        uint64_t w;
        memcpy(&w, bitmask + i, 8);
        cap += (uint32_t)__builtin_popcountll(w);
    }
    for (; bitmask && i < mask_bytes; i++) cap += (uint32_t)__builtin_popcount(bitmask[i]);
    d->instrs = alloc_array(cap * sizeof(pvm_instr));
    d->jump_table = malloc((jt_len ? jt_len : 1) * sizeof(uint32_t));
    d->jump_table_index = malloc((jt_len ? jt_len : 1) * sizeof(uint32_t));
    if (!d->pc_index || !d->instrs || !d->jump_table || !d->jump_table_index) goto oom;
    memset(d->pc_index, 0xFF, ((size_t)code_len + 1) * sizeof(uint32_t));

    const uint8_t *optab = pvm_isa_decode_table(isa);
    bool prev_term = true;
    uint32_t pc = 0, nb = 0;
    for (;;) {
        if (d->n_instrs == cap) {
            cap *= 2;
            pvm_instr *n = realloc(d->instrs, cap * sizeof(pvm_instr));
            if (!n) goto oom;
            d->instrs = n;
        }
        pvm_instr *in = &d->instrs[d->n_instrs];
        nb += prev_term;
        if (pc >= code_len) { /* implicit trap past the end of the code */
            *in = (pvm_instr){.op = PVM_OP_INVALID, .len = 1, .pc = pc, .block_start = prev_term};
            d->pc_index[code_len] = d->n_instrs++;
            break;
        }
        uint32_t skip = skip_at(bitmask, code_len, pc);
        *in = (pvm_instr){.pc = pc, .block_start = prev_term, .len = (uint8_t)(1 + skip),
                          .op = bit(bitmask, code_len, pc) ? optab[code[pc]] : (uint8_t)PVM_OP_INVALID};
        decode_operands(d, in, skip);
        d->pc_index[pc] = d->n_instrs++;
        prev_term = pvm_op_is_terminator((pvm_op)in->op);
        pc += 1 + skip;
    }

    /* Blocks and static targets, in one pass. */
    d->blocks = malloc(nb * sizeof(pvm_block));
    if (!d->blocks) goto oom;
    for (uint32_t i = 0; i < d->n_instrs; i++) {
        pvm_instr *in = &d->instrs[i];
        if (in->block_start) d->blocks[d->n_blocks++] = (pvm_block){i, 0};
        in->block = d->n_blocks - 1;
        d->blocks[d->n_blocks - 1].count++;
        in->target = PVM_NO_INDEX;
        pvm_kind k = pvm_op_table[in->op].kind;
        if (k == PVM_KIND_OFF || k == PVM_KIND_REG_IMM_OFF || k == PVM_KIND_REG_REG_OFF)
            if (pvm_decoded_is_jump_target(d, in->target_pc)) in->target = pvm_decoded_index(d, in->target_pc);
    }
    /* GP 0.8 and PolkaVM: a conditional branch whose target or fall-through is
     * not a valid block start traps unconditionally (GP 0.7 only checks a taken target).
     * Targets were resolved with the ops as decoded, and a fall-through is checked
     * before it can itself be turned into a trap. */
    if (isa != PVM_ISA_GP07)
        for (uint32_t i = 0; i + 1 < d->n_instrs; i++) {
            pvm_instr *in = &d->instrs[i];
            if (pvm_op_is_branch((pvm_op)in->op) &&
                (in->target == PVM_NO_INDEX || !pvm_decoded_is_jump_target(d, d->instrs[i + 1].pc)))
                in->op = PVM_OP_INVALID;
        }
    d->jt_len = jt_len;
    for (uint32_t i = 0; i < jt_len; i++) {
        d->jump_table[i] = jump_table[i];
        d->jump_table_index[i] =
            pvm_decoded_is_jump_target(d, jump_table[i]) ? pvm_decoded_index(d, jump_table[i]) : PVM_NO_INDEX;
    }
    return PVM_OK;
oom:
    pvm_decoded_free(d);
    return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory decoding %u bytes of code", code_len);
}

void pvm_decoded_free(pvm_decoded *d)
{
    free(d->instrs);
    free(d->blocks);
    free(d->pc_index);
    free(d->jump_table);
    free(d->jump_table_index);
    memset(d, 0, sizeof *d);
}
