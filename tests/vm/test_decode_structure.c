/* The decoder's program structure against a plain byte-by-byte reading of the
 * rules (the decoder walks the bitmask a word at a time and keeps pc -> index
 * as a bitmap with ranks): where instructions start (bitmask bits, pc 0, a gap
 * filler 25 bytes after a start with no bit in its next 24 bytes, the trap at
 * the end), their lengths and ops, the blocks, every pc's index, the static
 * targets and the GP 0.8 / PolkaVM rule that turns a branch with an invalid
 * target or fall-through into a trap. Random programs of every length around
 * the 64-bit word boundaries, bitmasks from dense to sparse, every variant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/program/decode.h"

#define MAX_CODE 300

typedef struct {
    uint32_t n;
    uint32_t pc[MAX_CODE + 2], len[MAX_CODE + 2], op[MAX_CODE + 2];
    uint32_t index[MAX_CODE + 8]; /* pc -> instruction, PVM_NO_INDEX if none */
} reference;

static bool mask_bit(const uint8_t *mask, uint32_t len, uint32_t i)
{
    return i >= len || ((mask[i >> 3] >> (i & 7)) & 1);
}

static void reference_starts(pvm_isa isa, const uint8_t *code, uint32_t len, const uint8_t *mask, reference *r)
{
    const uint8_t *optab = pvm_isa_decode_table(isa);
    for (uint32_t i = 0; i < MAX_CODE + 8; i++) r->index[i] = PVM_NO_INDEX;
    r->n = 0;
    uint32_t pc = 0;
    for (;;) {
        r->index[pc] = r->n;
        r->pc[r->n] = pc;
        if (pc >= len) {
            r->len[r->n] = 1;
            r->op[r->n++] = PVM_OP_INVALID;
            return;
        }
        uint32_t skip = 0;
        while (skip < 24 && !mask_bit(mask, len, pc + 1 + skip)) skip++;
        r->len[r->n] = 1 + skip;
        r->op[r->n++] = mask_bit(mask, len, pc) ? optab[code[pc]] : PVM_OP_INVALID;
        pc += 1 + skip;
    }
}

static bool reference_jump_target(const reference *r, const pvm_decoded *d, uint32_t len, uint64_t pc)
{
    if (pc >= len) return false;
    uint32_t i = r->index[pc];
    return i != PVM_NO_INDEX && d->instrs[i].block_start && r->op[i] != PVM_OP_INVALID;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* Opcode bytes mostly of real ops (branches and jumps often), operand bytes random. */
static void random_program(pvm_isa isa, uint8_t *code, uint32_t len, uint8_t *mask, unsigned density)
{
    static const pvm_op favourites[] = {PVM_OP_BRANCH_EQ, PVM_OP_BRANCH_LT_U_IMM, PVM_OP_JUMP, PVM_OP_LOAD_IMM_JUMP,
                                        PVM_OP_ADD_64, PVM_OP_TRAP, PVM_OP_FALLTHROUGH, PVM_OP_LOAD_IMM};
    memset(mask, 0, (MAX_CODE + 7) / 8 + 8);
    for (uint32_t i = 0; i < len; i++) {
        code[i] = (uint8_t)next();
        if (next() % 100 < density) {
            mask[i >> 3] |= (uint8_t)(1u << (i & 7));
            int byte = pvm_isa_encode_opcode(isa, favourites[next() % 8]);
            if (next() % 2 && byte >= 0) code[i] = (uint8_t)byte;
            if (next() % 3 == 0) code[i + 1 < len ? i + 1 : i] = (uint8_t)(next() % 8); /* a short jump offset */
        }
    }
    if (len && next() % 4 == 0) mask[0] &= 0xFE; /* pc 0 without its bit */
    if (len > 8 && next() % 3 == 0) mask[(len - 1) >> 3] |= 0xF0; /* bits past the end of the code */
}

static void check_program(pvm_isa isa, const uint8_t *code, uint32_t len, const uint8_t *mask)
{
    static reference r;
    reference_starts(isa, code, len, mask, &r);
    pvm_decoded d;
    pvm_error err;
    uint32_t jt[3] = {0, len / 2, len + 3};
    assert_int_equal(pvm_decode_program(isa, code, len, mask, jt, 3, &d, &err), PVM_OK);
    assert_int_equal(d.n_instrs, r.n);
    uint32_t block = 0;
    for (uint32_t i = 0; i < r.n; i++) {
        const pvm_instr *in = &d.instrs[i];
        assert_int_equal(in->pc, r.pc[i]);
        assert_int_equal(in->len, r.len[i]);
        bool start = i == 0 || pvm_op_is_terminator((pvm_op)r.op[i - 1]);
        assert_int_equal(in->block_start, start);
        if (start && i) block++;
        assert_int_equal(in->block, block);
        assert_int_equal(d.blocks[block].first + (i - d.blocks[block].first), i);
    }
    assert_int_equal(d.n_blocks, block + 1);
    uint32_t counted = 0;
    for (uint32_t b = 0; b < d.n_blocks; b++) {
        assert_int_equal(d.blocks[b].first, counted);
        assert_true(d.blocks[b].count > 0);
        counted += d.blocks[b].count;
    }
    assert_int_equal(counted, r.n);
    for (uint32_t pc = 0; pc < len + 8; pc++) assert_int_equal(pvm_decoded_index(&d, pc), r.index[pc]);
    assert_int_equal(pvm_decoded_index(&d, UINT32_MAX), PVM_NO_INDEX);
    /* Targets as decoded, then branches with a bad target or fall-through trap (not in GP 0.7). */
    uint32_t want_target[MAX_CODE + 2];
    for (uint32_t i = 0; i < r.n; i++) {
        pvm_kind k = pvm_op_table[r.op[i]].kind;
        bool has = k == PVM_KIND_OFF || k == PVM_KIND_REG_IMM_OFF || k == PVM_KIND_REG_REG_OFF;
        const pvm_instr *in = &d.instrs[i];
        want_target[i] = has && reference_jump_target(&r, &d, len, in->target_pc) ? r.index[in->target_pc] : PVM_NO_INDEX;
        assert_int_equal(in->target, want_target[i]);
    }
    for (uint32_t b = 0; b < d.n_blocks; b++) { /* the block of its last instruction's target, as decoded */
        uint32_t last = d.blocks[b].first + d.blocks[b].count - 1, t = want_target[last];
        bool term = last + 1 == r.n || pvm_op_is_terminator((pvm_op)r.op[last]);
        assert_true(term);
        assert_int_equal(d.blocks[b].target_block, t == PVM_NO_INDEX ? PVM_NO_INDEX : d.instrs[t].block);
    }
    for (uint32_t i = 0; i < r.n; i++) {
        uint32_t want = r.op[i];
        if (isa != PVM_ISA_GP07 && i + 1 < r.n && pvm_op_is_branch((pvm_op)want) &&
            (want_target[i] == PVM_NO_INDEX || !reference_jump_target(&r, &d, len, r.pc[i + 1])))
            want = PVM_OP_INVALID;
        r.op[i] = want; /* in pc order: a later branch sees this one as it is now */
        assert_int_equal(d.instrs[i].op, want);
    }
    for (uint32_t b = 0; b < d.n_blocks; b++) { /* each block's record of its last instruction: op as it is now */
        uint32_t last = d.blocks[b].first + d.blocks[b].count - 1;
        assert_int_equal(d.blocks[b].term_op, d.instrs[last].op);
    }
    for (int k = 0; k < 3; k++) {
        uint32_t want = reference_jump_target(&r, &d, len, jt[k]) ? r.index[jt[k]] : PVM_NO_INDEX;
        assert_int_equal(d.jump_table_index[k], want);
        assert_int_equal(d.jump_table[k], jt[k]);
    }
    pvm_decoded_free(&d);
}

static void test_random_programs(void **state)
{
    (void)state;
    static const pvm_isa isas[] = {PVM_ISA_GP07, PVM_ISA_JAMV1, PVM_ISA_LATEST32, PVM_ISA_LATEST64};
    static const unsigned densities[] = {100, 60, 30, 8, 2, 0};
    uint8_t code[MAX_CODE + 8], mask[(MAX_CODE + 7) / 8 + 8];
    for (uint32_t len = 0; len <= MAX_CODE; len++)
        for (unsigned di = 0; di < 6; di++)
            for (unsigned v = 0; v < 4; v++) {
                random_program(isas[v], code, len, mask, densities[di]);
                check_program(isas[v], code, len, mask);
            }
}

/* Instruction starts on both sides of every word boundary of the start bitmap. */
static void test_word_boundaries(void **state)
{
    (void)state;
    uint8_t code[200] = {0}, mask[32] = {0};
    for (uint32_t pc = 0; pc < 200; pc++) code[pc] = 1; /* fallthrough */
    for (uint32_t pc = 0; pc < 200; pc += (pc % 64 > 60 || pc % 64 < 2) ? 1 : 7) mask[pc >> 3] |= (uint8_t)(1u << (pc & 7));
    for (uint32_t len = 60; len <= 200; len++) check_program(PVM_ISA_LATEST64, code, len, mask);
}

/* Decodes on one thread and on two: the same result. Returns where the second thread started. */
static uint32_t check_two_threads(pvm_isa isa, const uint8_t *code, uint32_t len, const uint8_t *mask, const uint32_t *jt)
{
    pvm_decoded one, two;
    pvm_error err;
    assert_int_equal(pvm_decode_program_threads(isa, code, len, mask, jt, 3, false, &one, &err), PVM_OK);
    assert_int_equal(pvm_decode_program_threads(isa, code, len, mask, jt, 3, true, &two, &err), PVM_OK);
    assert_int_equal(one.split_pc, 0);
    /* the second thread's CPU time is reported (pvm_module_timings.decode_cpu_ns[1]), none without it */
    assert_int_equal(one.second_thread.cpu_ns, 0);
    assert_true(two.second_thread.cpu_ns > 0);
    uint32_t from = (uint32_t)((uint64_t)len * 133 / 256 / 64 * 64); /* decode.c: searched from 133/256 of the code */
    assert_true(two.split_pc >= from && two.split_pc < from + 64 * 64);
    assert_int_equal(two.n_instrs, one.n_instrs);
    assert_int_equal(two.n_blocks, one.n_blocks);
    assert_memory_equal(two.instrs, one.instrs, (size_t)one.n_instrs * sizeof *one.instrs);
    assert_memory_equal(two.blocks, one.blocks, (size_t)one.n_blocks * sizeof *one.blocks);
    size_t words = ((size_t)len + 1 + 63) / 64;
    assert_memory_equal(two.starts, one.starts, words * sizeof *one.starts);
    assert_memory_equal(two.start_rank, one.start_rank, words * sizeof *one.start_rank);
    assert_memory_equal(two.jump_table_index, one.jump_table_index, 3 * sizeof *jt);
    uint32_t split = two.split_pc;
    pvm_decoded_free(&one);
    pvm_decoded_free(&two);
    return split;
}

/* A large program is decoded in two chunks on two threads: the same result as
 * on one, for programs whose middle is dense, sparse (gap fillers) or a mix
 * (the split moves on past words whose first start follows a long gap), and
 * whether the instruction before the split ends its block (the second chunk
 * starts a block) or not (the second chunk continues the first's last block). */
static void test_two_threads_as_one(void **state)
{
    (void)state;
    enum { LEN = 400000 };
    uint8_t *code = malloc(LEN + 16), *mask = calloc((LEN + 7) / 8 + 8, 1);
    assert_non_null(code);
    assert_non_null(mask);
    static const pvm_isa isas[] = {PVM_ISA_GP07, PVM_ISA_JAMV1, PVM_ISA_LATEST32, PVM_ISA_LATEST64};
    for (unsigned v = 0; v < 8; v++) {
        pvm_isa isa = isas[v % 4];
        memset(mask, 0, (LEN + 7) / 8 + 8);
        for (uint32_t i = 0; i < LEN; i++) {
            code[i] = (uint8_t)next();
            /* stretches of 512 bytes: dense, sparse, or with gaps of 20..40 bytes */
            unsigned kind = (i / 512 + v) % 3, density = kind == 0 ? 40 : kind == 1 ? 1 : 0;
            bool start = kind == 2 ? i % (20 + (i / 512) % 21) == 0 : next() % 100 < density;
            if (start) {
                mask[i >> 3] |= (uint8_t)(1u << (i & 7));
                if (next() % 2) code[i] = (uint8_t)pvm_isa_encode_opcode(isa, next() % 3 ? PVM_OP_ADD_64 : PVM_OP_BRANCH_EQ);
            }
        }
        uint32_t jt[3] = {0, LEN / 2, LEN + 3};
        uint32_t split = check_two_threads(isa, code, LEN, mask, jt);
        /* the instruction before the split (a bitmask start, at most 25 bytes before it) as a trap, then as an add */
        uint32_t prev = split - 1;
        while (!(mask[prev >> 3] >> (prev & 7) & 1)) prev--;
        code[prev] = (uint8_t)pvm_isa_encode_opcode(isa, PVM_OP_TRAP);
        assert_int_equal(check_two_threads(isa, code, LEN, mask, jt), split);
        code[prev] = (uint8_t)pvm_isa_encode_opcode(isa, PVM_OP_ADD_64);
        assert_int_equal(check_two_threads(isa, code, LEN, mask, jt), split);
        /* a branch before the split whose fall-through, the second chunk's first instruction,
         * is an invalid opcode, then a branch to nowhere (a trap once resolved: the first
         * branch still sees it as decoded, a valid block start) */
        uint32_t first = split;
        while (!(mask[first >> 3] >> (first & 7) & 1)) first++;
        const uint8_t *ops = pvm_isa_decode_table(isa);
        unsigned bad = 255;
        while (ops[bad] != PVM_OP_INVALID) bad--;
        code[prev] = (uint8_t)pvm_isa_encode_opcode(isa, PVM_OP_BRANCH_EQ);
        code[first] = (uint8_t)bad;
        assert_int_equal(check_two_threads(isa, code, LEN, mask, jt), split);
        code[first] = (uint8_t)pvm_isa_encode_opcode(isa, PVM_OP_BRANCH_EQ);
        assert_int_equal(check_two_threads(isa, code, LEN, mask, jt), split);
    }
    free(code);
    free(mask);
}

/* Compiled code's bitmask: a start at least every 11 bytes, so the second thread
 * knows the first's count exactly and decodes in place (decode.c: no_long_gaps).
 * Variants: pc 0 without its bit (a gap filler there); gaps of 20 bytes (two clear
 * bitmask bytes in a row, but no 25 clear bits: still exact); a gap of 40 bytes
 * before the middle (fillers: the bound and the move down) or only after it. */
static void test_two_threads_dense(void **state)
{
    (void)state;
    enum { LEN = 300000 };
    uint8_t *code = malloc(LEN + 16), *mask = calloc((LEN + 7) / 8 + 8, 1);
    assert_non_null(code);
    assert_non_null(mask);
    for (unsigned v = 0; v < 8; v++) {
        pvm_isa isa = v % 2 ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32;
        memset(mask, 0, (LEN + 7) / 8 + 8);
        uint32_t long_gap = v / 2 == 2 ? LEN / 4 : v / 2 == 3 ? LEN * 3 / 4 : LEN; /* where a 40-byte gap goes */
        for (uint32_t i = v % 4 == 1 ? 3 : 0; i < LEN;) {
            mask[i >> 3] |= (uint8_t)(1u << (i & 7));
            code[i] = (uint8_t)pvm_isa_encode_opcode(isa, next() % 4 ? PVM_OP_ADD_64 : PVM_OP_BRANCH_EQ);
            for (uint32_t k = 1; k < 12 && i + k < LEN; k++) code[i + k] = (uint8_t)next();
            uint32_t step = 1 + (uint32_t)(next() % 11);
            if (v >= 2 && i % 5000 < 11) step = 20; /* two clear bytes in a row, no filler */
            if (i < long_gap && i + step >= long_gap) step = 40;
            i += step;
        }
        uint32_t jt[3] = {0, LEN / 2, LEN + 3};
        check_two_threads(isa, code, LEN, mask, jt);
    }
    free(code);
    free(mask);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_programs),
        cmocka_unit_test(test_word_boundaries),
        cmocka_unit_test(test_two_threads_as_one),
        cmocka_unit_test(test_two_threads_dense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
