/* Decoder: one linear walk over the code, following the bitmask, produces
 * every instruction with its operands, the basic blocks and resolved static
 * targets. Operand lengths come from the bitmask (skip), never the opcode. */
#include "decode.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "vm/util/error.h"
#include "vm/util/large_alloc.h"

/* An instruction's bytes from its opcode on: the operands of any kind lie in
 * the first 10 (reg_imm64: 2 + 8), and an 8-byte read at any operand offset
 * (at most 7) stays inside 16. Read in place, or near the end of the code from
 * a copy padded with zeros. */
typedef struct {
    uint8_t b[16];
} instr_bytes;

static inline const uint8_t *fetch(instr_bytes *pad, const uint8_t *code, uint32_t code_len, uint32_t pc)
{
    if ((uint64_t)pc + 16 <= code_len) return code + pc;
    uint32_t rest = code_len - pc; /* below 16 here */
    memset(pad->b, 0, 16);
    memcpy(pad->b, code + pc, rest < 16 ? rest : 16);
    return pad->b;
}

static inline uint64_t read_le(const uint8_t *x, unsigned at, unsigned n)
{
    uint64_t w;
    memcpy(&w, x + at, 8);
    return n >= 8 ? w : w & ((UINT64_C(1) << (8 * n)) - 1);
}

static inline unsigned clamp4(int x) { return x < 0 ? 0 : x > 4 ? 4 : (unsigned)x; }
static inline uint8_t reg(unsigned r) { return r > 12 ? 12 : (uint8_t)r; }

uint32_t pvm_decoded_middle_block(const pvm_decoded *d)
{
    uint32_t lo = 1, hi = d->n_blocks - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->blocks[mid].first < d->n_instrs / 2) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The index of the instruction at pc if pc is a valid jump target, else PVM_NO_INDEX. */
static inline uint32_t valid_target(const pvm_decoded *d, uint32_t pc)
{
    uint32_t i = pvm_decoded_index(d, pc);
    if (i == PVM_NO_INDEX || pc >= d->code_len) return PVM_NO_INDEX;
    const pvm_instr *in = &d->instrs[i];
    return in->block_start && in->op != PVM_OP_INVALID ? i : PVM_NO_INDEX;
}

bool pvm_decoded_is_jump_target(const pvm_decoded *d, uint32_t pc) { return valid_target(d, pc) != PVM_NO_INDEX; }

pvm_op pvm_decoded_op_at(const pvm_decoded *d, uint32_t pc)
{
    uint32_t i = pvm_decoded_index(d, pc);
    return i == PVM_NO_INDEX ? PVM_OP_INVALID : (pvm_op)d->instrs[i].op;
}

/* What the decoding loop needs of an opcode byte, in one lookup. */
enum { RAW_TERMINATOR = 1, RAW_HAS_TARGET = 2 };
typedef struct {
    uint8_t op, kind, flags, unused; /* four bytes: one load per instruction */
} raw_info;

static raw_info raw_info_of(pvm_op op)
{
    pvm_kind k = pvm_op_table[op].kind;
    return (raw_info){(uint8_t)op, (uint8_t)k,
                      (uint8_t)((pvm_op_is_terminator(op) ? RAW_TERMINATOR : 0) |
                                (pvm_kind_has_target(k) ? RAW_HAS_TARGET : 0)),
                      0};
}

/* Word k of the bitmask (mask_bytes long), zero past its end. */
static inline uint64_t mask_word(const uint8_t *mask, uint32_t mask_bytes, uint32_t k)
{
    uint64_t w = 0;
    uint64_t at = (uint64_t)k * 8;
    if (at + 8 <= mask_bytes) memcpy(&w, mask + at, 8);
    else if (at < mask_bytes) memcpy(&w, mask + at, mask_bytes - at);
    return w;
}

/* The decoding loop's state between chunks; decode_range keeps it in locals
 * while it runs (nothing it stores can alias them). */
typedef struct {
    const uint8_t *code;
    uint32_t code_len;
    pvm_instr *instrs;
    pvm_block *blocks;
    uint64_t *starts;
    uint32_t *targets; /* instructions with a static target, resolved once all are decoded */
    uint32_t n, n_blocks, n_targets;
    bool prev_term;
    uint8_t reg3_mask;
    const raw_info *info;
    raw_info invalid;
    /* decode_range's cursors (the counts above hold between its calls): the next
     * instruction, the next block, the next target, and word 2 of an instruction of
     * the current block (target none, block index) */
    pvm_instr *out;
    pvm_block *next_block;
    uint32_t *next_target;
    uint64_t w2;
} decoder;

/* Block n_blocks starts at instruction n. Its terminator's op is written when
 * the terminator is decoded: a block across the two threads' split has its
 * start written by one thread and its terminator by the other, field by field. */
static inline __attribute__((always_inline)) void new_block(decoder *s, uint32_t n)
{
    s->blocks[s->n_blocks].first = n;
    s->blocks[s->n_blocks++].target_block = PVM_NO_INDEX;
}

/* The registers of an operand byte: low nibble | high nibble << 8, each clamped to 12. */
#define REG_OF(x) ((x) > 12 ? 12 : (x))
#define RP(x) (uint16_t)(REG_OF((x) & 15) | REG_OF((x) >> 4) << 8)
#define RP4(x) RP(x), RP((x) + 1), RP((x) + 2), RP((x) + 3)
#define RP16(x) RP4(x), RP4((x) + 4), RP4((x) + 8), RP4((x) + 12)
#define RP64(x) RP16(x), RP16((x) + 16), RP16((x) + 32), RP16((x) + 48)
static const uint16_t reg_pair[256] = {RP64(0), RP64(64), RP64(128), RP64(192)};
/* reg() of a byte by a table (a REG3 op's third register: a load, no compare and cmov). */
#define RC4(x) REG_OF(x), REG_OF((x) + 1), REG_OF((x) + 2), REG_OF((x) + 3)
#define RC16(x) RC4(x), RC4((x) + 4), RC4((x) + 8), RC4((x) + 12)
#define RC64(x) RC16(x), RC16((x) + 16), RC16((x) + 32), RC16((x) + 48)
static const uint8_t reg_clamped[256] = {RC64(0), RC64(64), RC64(128), RC64(192)};

/* Little-endian immediate of n bytes (n <= 4) at x + at, sign-extended to 64 bits. */
static inline uint64_t imm_at(const uint8_t *x, unsigned at, unsigned n)
{
    uint64_t w;
    memcpy(&w, x + at, 8);
    unsigned sh = (64 - 8 * n) & 63; /* n == 0: no shift, and the result is 0 */
    uint64_t v = (uint64_t)((int64_t)(w << sh) >> sh);
    return n ? v : 0;
}

/* imm_at(x, at, clamp4(skip - 1)) (the immediate after a register byte) by a table
 * over skip, which is at most 24 (decode_range's skips): the shift that sign-extends
 * it in the low byte, 0xFF in the high byte unless it has no bytes (then it is 0). */
#define IMM_E(n) ((n) ? (uint16_t)((64 - 8 * (n)) | 0xFF00) : 0)
static const uint16_t imm_after_reg[25] = {IMM_E(0), IMM_E(0), IMM_E(1), IMM_E(2), IMM_E(3), IMM_E(4), IMM_E(4),
                                           IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4),
                                           IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4),
                                           IMM_E(4), IMM_E(4), IMM_E(4), IMM_E(4)};

static inline uint64_t imm_after_reg_at(const uint8_t *x, unsigned at, uint32_t skip)
{
    uint64_t w;
    memcpy(&w, x + at, 8);
    unsigned e = imm_after_reg[skip], sh = e & 63;
    return (uint64_t)((int64_t)(w << sh) >> sh) & (uint64_t)(int64_t)(int8_t)(e >> 8);
}

/* pvm_instr as five 8-byte words, written once each (decode_range). */
_Static_assert(sizeof(pvm_instr) == 40 && offsetof(pvm_instr, op) == 0 && offsetof(pvm_instr, a) == 1 &&
                   offsetof(pvm_instr, b) == 2 && offsetof(pvm_instr, d) == 3 && offsetof(pvm_instr, len) == 4 &&
                   offsetof(pvm_instr, block_start) == 5 && offsetof(pvm_instr, xop) == 6 &&
                   offsetof(pvm_instr, pc) == 8 && offsetof(pvm_instr, target_pc) == 12 &&
                   offsetof(pvm_instr, target) == 16 && offsetof(pvm_instr, block) == 20 &&
                   offsetof(pvm_instr, imm) == 24 && offsetof(pvm_instr, imm2) == 32,
               "pvm_instr layout as decode_range writes it");

/* Word 0 of an instruction's register fields (a at byte 1, b at 2, d at 3) and
 * its immediates and target pc, from the bytes x at pc (skip bytes of operands). */
typedef struct {
    uint64_t regs, imm, imm2;
    uint32_t target_pc;
} operands;

_Static_assert(PVM_KIND_COUNT == 13, "decode_operands has a case for every kind");

static inline __attribute__((always_inline)) operands decode_operands(const uint8_t *x, uint32_t pc, pvm_kind kind,
                                                                     uint32_t skip, uint8_t reg3_mask)
{
    operands o = {0, 0, 0, 0};
    uint64_t rp; /* low nibble's register | high nibble's << 8, read where needed */
    unsigned lx, ly;
    switch (kind) {
    case PVM_KIND_NONE: break;
    case PVM_KIND_IMM: o.imm = imm_at(x, 1, clamp4((int)skip)); break;
    case PVM_KIND_OFF: o.target_pc = pc + (uint32_t)imm_at(x, 1, clamp4((int)skip)); break;
    case PVM_KIND_REG_IMM64:
        o.regs = (uint64_t)(reg_pair[x[1]] & 0xFF) << 8;
        o.imm = read_le(x, 2, 8);
        break;
    case PVM_KIND_IMM_IMM:
        lx = clamp4(x[1] & 7);
        ly = clamp4((int)skip - (int)lx - 1);
        o.imm = imm_at(x, 2, lx);
        o.imm2 = imm_at(x, 2 + lx, ly);
        break;
    case PVM_KIND_REG_IMM:
        o.regs = (uint64_t)(reg_pair[x[1]] & 0xFF) << 8;
        o.imm = imm_after_reg_at(x, 2, skip);
        break;
    case PVM_KIND_REG_IMM_IMM:
    case PVM_KIND_REG_IMM_OFF:
        o.regs = (uint64_t)(reg_pair[x[1]] & 0xFF) << 8;
        lx = clamp4((x[1] >> 4) & 7);
        ly = clamp4((int)skip - (int)lx - 1);
        o.imm = imm_at(x, 2, lx);
        o.imm2 = imm_at(x, 2 + lx, ly);
        if (kind == PVM_KIND_REG_IMM_OFF) o.target_pc = pc + (uint32_t)o.imm2;
        break;
    case PVM_KIND_REG_REG: /* d = low nibble, a = high */
        rp = reg_pair[x[1]];
        o.regs = (rp >> 8) << 8 | (rp & 0xFF) << 24;
        break;
    case PVM_KIND_REG_REG_IMM: /* apart from REG_REG_OFF: one case would test the kind again */
        o.regs = (uint64_t)reg_pair[x[1]] << 8;
        o.imm = imm_after_reg_at(x, 2, skip);
        break;
    case PVM_KIND_REG_REG_OFF:
        o.regs = (uint64_t)reg_pair[x[1]] << 8;
        o.imm = imm_after_reg_at(x, 2, skip);
        o.target_pc = pc + (uint32_t)o.imm;
        break;
    case PVM_KIND_REG_REG_IMM_IMM:
        o.regs = (uint64_t)reg_pair[x[1]] << 8;
        lx = clamp4(x[2] & 7);
        ly = clamp4((int)skip - (int)lx - 2);
        o.imm = imm_at(x, 3, lx);
        o.imm2 = imm_at(x, 3 + lx, ly);
        break;
    case PVM_KIND_REG3: /* GP: rD = min(12, whole byte); PolkaVM: low nibble */
        o.regs = (uint64_t)reg_pair[x[1]] << 8 | (uint64_t)reg_clamped[x[2] & reg3_mask] << 24;
        break;
    default: __builtin_unreachable(); /* the kinds above are all (raw_info_of) */
    }
    return o;
}

/* The instruction at pc, skip bytes of operands, of raw kind ri, its bytes at
 * x (16 readable). The caller sets its bit in starts where the bitmask does
 * not (decode_range). */
static inline __attribute__((always_inline)) void append_at(decoder *s, uint32_t pc, uint32_t skip, raw_info ri,
                                                            const uint8_t *x)
{
    bool start = s->prev_term;
    /* the block and target bookkeeping before the operands: less is live across their switch;
     * one test for the common instruction, which starts no block, ends none and has no target */
    s->prev_term = ri.flags & RAW_TERMINATOR;
    if (__builtin_expect((ri.flags & (RAW_TERMINATOR | RAW_HAS_TARGET)) | start, 0)) {
        if (start) { /* the instruction's index, from the cursor: only here and for a target */
            s->next_block->first = (uint32_t)(s->out - s->instrs);
            s->next_block->target_block = PVM_NO_INDEX;
            s->next_block++;
            s->w2 += UINT64_C(1) << 32;
        }
        if (ri.flags & RAW_TERMINATOR) s->next_block[-1].term_op = ri.op;
        if (ri.flags & RAW_HAS_TARGET) *s->next_target++ = (uint32_t)(s->out - s->instrs);
    }
    operands o = decode_operands(x, pc, (pvm_kind)ri.kind, skip, s->reg3_mask);
    /* len (1 + skip, below 256) in byte 4, block_start in byte 5, xop 0 */
    uint64_t w0 = ri.op | o.regs | (uint64_t)(1 + skip + ((uint32_t)start << 8)) << 32;
    uint64_t w1 = pc | (uint64_t)o.target_pc << 32;
    uint8_t *at = (uint8_t *)s->out; /* built in place, each word stored once */
    memcpy(at, &w0, 8);
    memcpy(at + 8, &w1, 8);
    memcpy(at + 16, &s->w2, 8);
    memcpy(at + 24, &o.imm, 8);
    memcpy(at + 32, &o.imm2, 8);
    s->out++;
}

static inline __attribute__((always_inline)) void append(decoder *s, uint32_t pc, uint32_t skip, raw_info ri)
{
    instr_bytes pad;
    append_at(s, pc, skip, ri, fetch(&pad, s->code, s->code_len, pc));
}

/* An instruction at cur that ends before next: gap fillers every 25 bytes
 * (a skip is at most 24), then the one at the last of them. Only the first
 * can have its bitmask bit (cur_bit); the others' bits go into starts. */
static inline __attribute__((always_inline)) void append_until(decoder *s, uint32_t *cur, bool *cur_bit, uint32_t next)
{
    if (__builtin_expect(next - *cur <= 25 && *cur_bit, 1)) { /* the common case: no gap filler */
        append(s, *cur, next - *cur - 1, s->info[s->code[*cur]]);
        return;
    }
    for (;;) {
        if (!*cur_bit) s->starts[*cur >> 6] |= UINT64_C(1) << (*cur & 63);
        raw_info ri = *cur_bit ? s->info[s->code[*cur]] : s->invalid;
        if (next - *cur <= 25) {
            append(s, *cur, next - *cur - 1, ri);
            return;
        }
        append(s, *cur, 24, ri);
        *cur += 25;
        *cur_bit = false;
    }
}

/* x - k, or 0 below k. */
static inline uint32_t code_len_minus(uint32_t x, uint32_t k) { return x > k ? x - k : 0; }

/* The instructions from cur (an instruction start; cur_bit: its bitmask bit is
 * set) up to end (the next chunk's first instruction, or code_len), walking the
 * bitmask's set bits word by word: each one starts an instruction (and so does
 * pc 0, a trap without its bit). The state lives in a local copy while the loop
 * runs. starts holds the bitmask's bits below code_len already (prefill_starts). */
static inline __attribute__((always_inline)) void decode_range_body(decoder *state, const uint8_t *bitmask,
                                                                    uint32_t mask_bytes, uint32_t cur, bool cur_bit,
                                                                    uint32_t end)
{
    decoder s = *state;
    s.out = s.instrs + s.n;
    s.next_block = s.blocks + s.n_blocks;
    s.next_target = s.targets + s.n_targets;
    s.w2 = PVM_NO_INDEX | (uint64_t)(s.n_blocks - 1) << 32; /* the first instruction here may start block 0 */
    /* Where the next set bit is read straight from the bitmask, after the
     * instruction at cur: 8 bytes at (cur + 1) / 8 give at least 57 bits, and the
     * skip is the distance to the first (at most 24: a gap filler follows then,
     * its bit not set). Up to limit: the next start is below end, the 8 bytes
     * lie in the bitmask and the instruction's 16 bytes in the code. */
    uint64_t limit = end;
    if (limit > (code_len_minus(s.code_len, 16))) limit = code_len_minus(s.code_len, 16);
    if (limit > (uint64_t)code_len_minus(mask_bytes, 8) * 8) limit = (uint64_t)code_len_minus(mask_bytes, 8) * 8;
    uint64_t fast_end = limit > 25 ? limit - 25 : 0; /* cur + 25 < limit */
    uint64_t pos = cur; /* cur, 64 bits wide in the loop: one register for the pc and the indices */
    while (pos < fast_end) {
        uint64_t from = pos + 1;
        uint64_t bits;
        memcpy(&bits, bitmask + (from >> 3), 8);
        bits >>= from & 7;
        uint32_t skip = (uint32_t)__builtin_ctzll(bits | UINT64_C(1) << 24);
        if (__builtin_expect(cur_bit, 1)) {
            append_at(&s, (uint32_t)pos, skip, s.info[s.code[pos]], s.code + pos);
        } else { /* a gap filler, or pc 0 without its bit */
            s.starts[pos >> 6] |= UINT64_C(1) << (pos & 63);
            append_at(&s, (uint32_t)pos, skip, s.invalid, s.code + pos);
        }
        cur_bit = bits >> skip & 1;
        pos = from + skip;
    }
    cur = (uint32_t)pos;
    /* The rest word by word. */
    uint32_t first_word = cur / 64, end_words = (uint32_t)(((uint64_t)end + 63) / 64);
    for (uint32_t k = first_word; k < end_words && mask_bytes; k++) {
        uint64_t w = mask_word(bitmask, mask_bytes, k);
        if (k == first_word) w &= ~((UINT64_C(2) << (cur & 63)) - 1); /* after cur (2 << 63 is 0: none) */
        if (k == end_words - 1 && end % 64) w &= (UINT64_C(1) << (end % 64)) - 1;
        while (w) {
            uint32_t p = k * 64 + (uint32_t)__builtin_ctzll(w);
            w &= w - 1;
            append_until(&s, &cur, &cur_bit, p);
            cur = p;
            cur_bit = true;
        }
    }
    if (end > cur) append_until(&s, &cur, &cur_bit, end);
    s.n = (uint32_t)(s.out - s.instrs);
    s.n_blocks = (uint32_t)(s.next_block - s.blocks);
    s.n_targets = (uint32_t)(s.next_target - s.targets);
    *state = s;
}

/* decode_range_body with BMI2 where the host has it: its shifts by a variable amount
 * (the bitmask's bits from pc + 1, the immediates' sign extension) then need not go
 * through cl, which freed registers the loop spilled. */
static __attribute__((target("bmi2"))) void decode_range_bmi2(decoder *state, const uint8_t *bitmask,
                                                             uint32_t mask_bytes, uint32_t cur, bool cur_bit,
                                                             uint32_t end)
{
    decode_range_body(state, bitmask, mask_bytes, cur, cur_bit, end);
}
static void decode_range_base(decoder *state, const uint8_t *bitmask, uint32_t mask_bytes, uint32_t cur, bool cur_bit,
                              uint32_t end)
{
    decode_range_body(state, bitmask, mask_bytes, cur, cur_bit, end);
}
static void decode_range(decoder *state, const uint8_t *bitmask, uint32_t mask_bytes, uint32_t cur, bool cur_bit,
                         uint32_t end)
{
    if (__builtin_cpu_supports("bmi2")) decode_range_bmi2(state, bitmask, mask_bytes, cur, cur_bit, end);
    else decode_range_base(state, bitmask, mask_bytes, cur, cur_bit, end);
}

/* starts = the bitmask's bits below code_len: every one starts an instruction;
 * decode_range adds the others (gap fillers, pc 0 without its bit), and the
 * caller the implicit trap at code_len. */
static void prefill_starts(uint64_t *starts, size_t words, const uint8_t *bitmask, uint32_t mask_bytes, uint32_t code_len)
{
    for (size_t k = 0; k < words; k++) {
        uint64_t w = mask_word(bitmask, mask_bytes, (uint32_t)k);
        uint64_t at = (uint64_t)k * 64;
        if (at >= code_len) w = 0;
        else if (code_len - at < 64) w &= (UINT64_C(1) << (code_len - at)) - 1;
        starts[k] = w;
    }
}

/* A large program is decoded in two chunks on two threads: instructions
 * before pc split on this one, the others on a second. The second does not
 * know how many blocks the first has, nor, where the first has gap fillers,
 * how many instructions: it decodes into the arrays from an upper bound of the
 * first's count on (ahead; exact without fillers, as in compiled code), as if
 * its first instruction started a block; once the first chunk is decoded (the
 * first thread posts its counts) the second thread moves its instructions (only
 * if the bound was not exact), blocks and targets down into place and gives them
 * their final indices (place_second: one pass over the second chunk, on the
 * thread that just wrote it; counting the first chunk's instructions one by one
 * on the second thread cost more). split is the first set bit of a word of the bitmask whose
 * previous set bit lies in the previous words less than 26 bytes before it:
 * the first chunk then ends without gap fillers at or after that word, so the
 * two threads never write the same word of starts, nor the same entry of any
 * array. The result is the serial one. */
#define SPLIT_MIN_INSTRS 32768

/* The pc where the second chunk starts (see above), or 0: decode on one thread.
 * Searched from 133/256 of the code on: the first decodes a little more, since
 * the second starts later (chosen when the second also ranked the starts and
 * shifted all its block indices after the first chunk, which the two threads now
 * share: place_second, rank_and_shift; by Ir alone the large rv64 guest's first
 * chunk is now ~0.6 M Ir longer than the second, some 100 us of a thread's start). */
static uint32_t split_pc(const uint8_t *bitmask, uint32_t mask_bytes, uint32_t code_len)
{
    uint32_t words = mask_bytes / 8; /* whole words only */
    uint32_t from = (uint32_t)((uint64_t)code_len * 133 / 256 / 64);
    for (uint32_t k = from; k > 0 && k < words && k < from + 64; k++) {
        uint64_t w = mask_word(bitmask, mask_bytes, k);
        if (!w) continue;
        uint32_t p = k * 64 + (uint32_t)__builtin_ctzll(w);
        uint64_t before = mask_word(bitmask, mask_bytes, k - 1);
        if (before && p - ((k - 1) * 64 + 63 - (uint32_t)__builtin_clzll(before)) <= 25 && p < code_len) return p;
    }
    return 0;
}

/* Whether no run of 25 or more clear bits starts below split: then no gap
 * filler does (a filler follows 25 bytes without a start). Tested on 64-bit
 * windows at every 32-bit offset (a run of 25 from p lies in the window that
 * starts at p rounded down to 32); bits past the bitmask read as clear. */
static bool no_long_runs(const uint8_t *bitmask, uint32_t mask_bytes, uint32_t split)
{
    uint32_t at = 0, end = (split + 7) / 8; /* at: the window's first byte */
    uint64_t any = 0;
    for (; at < end && at + 8 <= mask_bytes; at += 4) { /* whole windows: no test per window */
        uint64_t z;
        memcpy(&z, bitmask + at, 8);
        z = ~z; /* bit i: byte at * 8 + i starts nothing; then runs of 2, 4, 8, 16 and 25 of them from i */
        z &= z >> 1;
        z &= z >> 2;
        z &= z >> 4;
        z &= z >> 8;
        any |= z & z >> 9;
    }
    return !any && at >= end; /* a window past the bitmask's end: as if a long gap, the bound stays */
}

/* The same, first by a cheaper test: a run of 25 clear bits holds two whole
 * clear bytes in a row, which compiled code (instructions of at most 11 bytes)
 * never has; only where it does are the runs looked for. */
static bool no_long_gaps(const uint8_t *bitmask, uint32_t mask_bytes, uint32_t split)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    uint32_t at = 0, end = (split + 7) / 8;
    for (; at < end && at + 8 <= mask_bytes; at += 7) { /* the pairs of bytes from at to at + 6 */
        uint64_t w;
        memcpy(&w, bitmask + at, 8);
        uint64_t t = w | w >> 8 | UINT64_C(0xFF) << 56; /* byte i (< 7): bytes i and i + 1 of w */
        if ((t - ones) & ~t & highs) return no_long_runs(bitmask, mask_bytes, split); /* a clear pair */
    }
    return at >= end;
}

/* Bits set in n bytes at p, and the ranks of n words (rank[i]: bits set in the words
 * before i), with the popcnt instruction where the host has it: a baseline build (no
 * -mpopcnt) counts a word in a dozen instructions (util_popcount64), and decoding
 * counts the bitmask twice and ranks the starts once, a word per 64 bytes of code.
 * One body each, inlined into a popcnt and a baseline copy (hw: which count). */
static inline __attribute__((always_inline)) uint64_t count_word(uint64_t w, bool hw)
{
    return hw ? (uint64_t)__builtin_popcountll(w) : util_popcount64(w);
}

static inline __attribute__((always_inline)) uint64_t bits_in_body(const uint8_t *p, size_t n, bool hw)
{
    uint64_t bits = 0;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t w;
        memcpy(&w, p + k, 8);
        bits += count_word(w, hw);
    }
    for (; k < n; k++) bits += count_word(p[k], hw);
    return bits;
}

static inline __attribute__((always_inline)) void ranks_body(uint32_t *rank, const uint64_t *w, size_t n, bool hw)
{
    uint32_t r = 0;
    for (size_t i = 0; i < n; i++) rank[i] = r, r += (uint32_t)count_word(w[i], hw);
}

static __attribute__((target("popcnt"))) uint64_t bits_in_popcnt(const uint8_t *p, size_t n) { return bits_in_body(p, n, true); }
static uint64_t bits_in_soft(const uint8_t *p, size_t n) { return bits_in_body(p, n, false); }
static __attribute__((target("popcnt"))) void ranks_popcnt(uint32_t *rank, const uint64_t *w, size_t n) { ranks_body(rank, w, n, true); }
static void ranks_soft(uint32_t *rank, const uint64_t *w, size_t n) { ranks_body(rank, w, n, false); }

/* valid_target with the count by count_word(hw) (pvm_decoded_index counts without popcnt). */
static inline __attribute__((always_inline)) uint32_t valid_target_body(const pvm_decoded *d, uint32_t pc, bool hw)
{
    if (pc >= d->code_len) return PVM_NO_INDEX;
    uint64_t w = d->starts[pc >> 6], below = w & ((UINT64_C(2) << (pc & 63)) - 1);
    if (!((w >> (pc & 63)) & 1)) return PVM_NO_INDEX;
    uint32_t i = d->start_rank[pc >> 6] + (uint32_t)count_word(below, hw) - 1;
    const pvm_instr *in = &d->instrs[i];
    return in->block_start && in->op != PVM_OP_INVALID ? i : PVM_NO_INDEX;
}

/* The static targets of instructions targets[0..n) as instruction indices, and each
 * terminator's target block. Also, where the ISA wants it (traps set), whether each of them
 * is a conditional branch that must trap: GP 0.8 and PolkaVM trap a branch whose target or
 * fall-through is not a valid block start (GP 0.7 only checks a taken target). The ops are
 * the decoded ones here: nothing changes an op until every target is resolved (a branch
 * turned into a trap would otherwise stop being a valid target of another, earlier or not),
 * and then pvm_decode_program_threads turns the flagged branches into traps. n_real: the
 * instructions before the implicit trap at the end (the fall-through of the last one). */
static inline __attribute__((always_inline)) void resolve_body(pvm_decoded *d, const uint32_t *targets, uint32_t n,
                                                               uint8_t *traps, uint32_t n_real, bool hw)
{
    for (uint32_t t = 0; t < n; t++) {
        uint32_t i = targets[t];
        pvm_instr *in = &d->instrs[i];
        uint32_t at = valid_target_body(d, in->target_pc, hw);
        if (at != PVM_NO_INDEX) {
            in->target = at;
            if (pvm_op_is_terminator((pvm_op)in->op)) d->blocks[in->block].target_block = d->instrs[at].block;
        }
        if (traps)
            traps[t] = pvm_op_is_branch((pvm_op)in->op) &&
                       (at == PVM_NO_INDEX || i + 1 >= n_real || d->instrs[i + 1].op == PVM_OP_INVALID);
    }
}
static __attribute__((target("popcnt"))) void resolve_popcnt(pvm_decoded *d, const uint32_t *targets, uint32_t n,
                                                             uint8_t *traps, uint32_t n_real)
{
    resolve_body(d, targets, n, traps, n_real, true);
}
static void resolve_soft(pvm_decoded *d, const uint32_t *targets, uint32_t n, uint8_t *traps, uint32_t n_real)
{
    resolve_body(d, targets, n, traps, n_real, false);
}

static uint64_t bits_in(const uint8_t *p, size_t n)
{
    return __builtin_cpu_supports("popcnt") ? bits_in_popcnt(p, n) : bits_in_soft(p, n);
}

/* At most this many instructions (so blocks and targets) start before split:
 * one per bitmask bit, a gap filler per 25 bytes, and pc 0 (unless its bit is
 * set). Exact when no gap filler lies before split (compiled code has none):
 * the second chunk's instructions are then in place from the start. */
static uint32_t first_chunk_bound(const uint8_t *bitmask, uint32_t mask_bytes, uint32_t split)
{
    uint32_t bits = (uint32_t)bits_in(bitmask, split / 8); /* whole bytes, then the bits of split's byte below it */
    if (split % 8) bits += (uint32_t)util_popcount64(bitmask[split / 8] & ((1u << (split % 8)) - 1));
    uint32_t pc0 = !(bitmask[0] & 1);
    return bits + pc0 + (no_long_gaps(bitmask, mask_bytes, split) ? 0 : split / 25);
}

typedef struct {
    decoder s;
    const uint8_t *bitmask;
    uint32_t mask_bytes, split, ahead;
    /* The first chunk's state, posted once it is decoded: the second thread
     * then moves its own chunk into place (below) while the first goes on. */
    const decoder *first;
    /* decoded: the second chunk is (its state in s holds still); posted: the first is;
     * placed: the second moved into place (but for the block indices the first shifts);
     * ranked: the first ranked the starts and shifted its share of the indices */
    bool decoded, posted, placed, ranked;
    pthread_mutex_t lock;
    pthread_cond_t post;
    pvm_decoded *d;
    size_t words; /* of starts */
    uint8_t *traps; /* resolve's flags, one per target (NULL: GP 0.7) */
    uint32_t n_real; /* both chunks' instructions, once placed */
} second_chunk;

/* The second chunk moved into place after the first (f: the first's final
 * state): it continues the first's last block unless that one ended in a
 * terminator, then its first block is that block (its terminator's op goes
 * there). Writes only the second chunk's entries and the arrays past the
 * first's; the counts in c->s stay the second chunk's own (decode_all adds). */
/* The second chunk's instructions from its first (at index f->n once placed) and
 * the amount their block indices go down (modulo 2^32). */
static uint32_t second_count(const second_chunk *c) { return c->s.n - c->ahead; }
static uint32_t second_shift(const decoder *f, const second_chunk *c)
{
    return f->n_blocks - !f->prev_term - c->ahead;
}
/* Whether the first thread shifts the upper half of the second chunk's block indices
 * (the second the lower): only when the chunk is in place from the start (no move). */
static bool shift_shared(const decoder *f, const second_chunk *c) { return f->n == c->ahead; }

static void shift_blocks(pvm_instr *in, uint32_t n, uint32_t shift)
{
    for (uint32_t i = 0; i < n; i++) in[i].block += shift;
}

static void place_second(const decoder *f, second_chunk *c)
{
    uint32_t ahead = c->ahead;
    bool joined = !f->prev_term;
    uint32_t n2 = second_count(c), blocks2 = c->s.n_blocks - ahead;
    uint32_t block_base = f->n_blocks - joined; /* the second chunk's first block */
    if (joined) {
        f->instrs[ahead].block_start = 0;
        /* its terminator's op, if the second chunk has that terminator */
        if (blocks2 > 1 || pvm_op_is_terminator((pvm_op)c->s.instrs[ahead + n2 - 1].op))
            f->blocks[block_base].term_op = f->blocks[ahead].term_op;
    }
    c->n_real = f->n + n2; /* (what both threads' resolve reads as the end) */
    /* instructions down into place, their block indices final */
    pvm_instr *to = f->instrs + f->n;
    if (f->n != ahead) memmove(to, f->instrs + ahead, (size_t)n2 * sizeof *to);
    shift_blocks(to, shift_shared(f, c) ? n2 / 2 : n2, second_shift(f, c)); /* the first thread the rest */
    /* blocks: the second chunk's (but for the one it continues) after the first's */
    for (uint32_t b = joined; b < blocks2; b++) {
        pvm_block *bt = &f->blocks[block_base + b];
        *bt = f->blocks[ahead + b];
        bt->first = bt->first - ahead + f->n;
    }
    /* its static targets after the first chunk's, in pc order as one chunk would have them */
    for (uint32_t t = 0; t < c->s.n_targets; t++) f->targets[f->n_targets + t] = c->s.targets[t] - ahead + f->n;
}

static void ranks(pvm_decoded *d, size_t words)
{
    if (__builtin_cpu_supports("popcnt")) ranks_popcnt(d->start_rank, d->starts, words);
    else ranks_soft(d->start_rank, d->starts, words);
}

static void resolve(pvm_decoded *d, const uint32_t *targets, uint32_t n, uint8_t *traps, uint32_t n_real)
{
    if (__builtin_cpu_supports("popcnt")) resolve_popcnt(d, targets, n, traps, n_real);
    else resolve_soft(d, targets, n, traps, n_real);
}

/* Decodes the second chunk, then (once the first is decoded) moves it into place
 * while the first thread ranks the starts and shifts its share of the block
 * indices (rank_and_shift), and resolves its own static targets while the first
 * thread resolves the first chunk's: each writes only its own instructions and
 * the blocks their terminators end (a block across the split ends in the second). */
static void *decode_second(void *arg)
{
    second_chunk *c = arg;
    util_thread_usage u0 = util_thread_usage_now();
    decode_range(&c->s, c->bitmask, c->mask_bytes, c->split, true, c->s.code_len);
    pthread_mutex_lock(&c->lock);
    c->decoded = true;
    pthread_cond_broadcast(&c->post);
    while (!c->posted) pthread_cond_wait(&c->post, &c->lock);
    pthread_mutex_unlock(&c->lock);
    place_second(c->first, c);
    pthread_mutex_lock(&c->lock);
    c->placed = true;
    pthread_cond_broadcast(&c->post);
    while (!c->ranked) pthread_cond_wait(&c->post, &c->lock);
    pthread_mutex_unlock(&c->lock);
    resolve(c->d, c->first->targets + c->first->n_targets, c->s.n_targets,
            c->traps ? c->traps + c->first->n_targets : NULL, c->n_real);
    c->d->second_thread = util_thread_usage_since(&u0);
    return NULL;
}

/* The first thread's part of placing the second chunk, once both are decoded: it
 * ranks the starts (all final: the trap past the end, added later, changes no rank)
 * and shifts the upper half of the second chunk's block indices, while the second
 * thread moves its blocks and targets into place and shifts the lower half. */
static void rank_and_shift(second_chunk *c)
{
    const decoder *f = c->first;
    ranks(c->d, c->words);
    if (shift_shared(f, c)) {
        uint32_t n2 = second_count(c);
        shift_blocks(f->instrs + f->n + n2 / 2, n2 - n2 / 2, second_shift(f, c));
    }
}

/* All instructions before code_len: in two chunks on two threads when large enough
 * (then the starts ranked and the static targets resolved too: the result is not 0). */
static uint32_t decode_all(decoder *s, pvm_decoded *d, size_t words, const uint8_t *bitmask, uint32_t mask_bytes,
                           size_t cap, bool threads, uint8_t *traps)
{
    uint32_t split = threads && mask_bytes && cap >= SPLIT_MIN_INSTRS ? split_pc(bitmask, mask_bytes, s->code_len) : 0;
    uint32_t ahead = split ? first_chunk_bound(bitmask, mask_bytes, split) : 0;
    second_chunk c = {.s = *s, .bitmask = bitmask, .mask_bytes = mask_bytes, .split = split, .ahead = ahead, .first = s,
                      .d = d, .words = words, .traps = traps};
    c.s.n = c.s.n_blocks = ahead; /* its indices start there; its first instruction starts a block */
    c.s.prev_term = true;
    c.s.targets = s->targets + ahead;
    c.s.n_targets = 0;
    pthread_t thread;
    bool sync_ok = split && pthread_mutex_init(&c.lock, NULL) == 0;
    if (sync_ok && pthread_cond_init(&c.post, NULL) != 0) {
        pthread_mutex_destroy(&c.lock);
        sync_ok = false;
    }
    if (!sync_ok || pthread_create(&thread, NULL, decode_second, &c) != 0) {
        if (sync_ok) {
            pthread_cond_destroy(&c.post);
            pthread_mutex_destroy(&c.lock);
        }
        decode_range(s, bitmask, mask_bytes, 0, mask_bytes && (bitmask[0] & 1), s->code_len);
        return 0;
    }
    decode_range(s, bitmask, mask_bytes, 0, bitmask[0] & 1, split);
    pthread_mutex_lock(&c.lock);
    c.posted = true; /* s holds still until the join: the second thread reads it */
    pthread_cond_broadcast(&c.post);
    while (!c.decoded) pthread_cond_wait(&c.post, &c.lock);
    pthread_mutex_unlock(&c.lock);
    rank_and_shift(&c);
    pthread_mutex_lock(&c.lock);
    c.ranked = true;
    pthread_cond_broadcast(&c.post);
    while (!c.placed) pthread_cond_wait(&c.post, &c.lock);
    pthread_mutex_unlock(&c.lock);
    resolve(d, s->targets, s->n_targets, traps, c.n_real);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&c.post);
    pthread_mutex_destroy(&c.lock);
    bool joined = !s->prev_term;
    s->n += c.s.n - ahead;
    s->n_blocks = s->n_blocks - joined + c.s.n_blocks - ahead;
    s->n_targets += c.s.n_targets;
    s->prev_term = c.s.prev_term;
    return split;
}

pvm_status pvm_decode_program(pvm_isa isa, const uint8_t *code, uint32_t code_len, const uint8_t *bitmask,
                              const uint32_t *jump_table, uint32_t jt_len, pvm_decoded *d, pvm_error *err)
{
    return pvm_decode_program_threads(isa, code, code_len, bitmask, jump_table, jt_len, true, d, err);
}

pvm_status pvm_decode_program_threads(pvm_isa isa, const uint8_t *code, uint32_t code_len, const uint8_t *bitmask,
                                      const uint32_t *jump_table, uint32_t jt_len, bool threads, pvm_decoded *d,
                                      pvm_error *err)
{
    memset(d, 0, sizeof *d);
    d->isa = isa;
    d->is_64bit = pvm_isa_is_64bit(isa);
    d->code = code;
    d->code_len = code_len;
    d->bitmask = bitmask;
    uint32_t mask_bytes = bitmask ? (code_len + 7) / 8 : 0;
    /* Instructions: one per bitmask bit, the gap fillers (at most one per 25
     * bytes), pc 0 and the trap at the end. Arrays sized by that bound are
     * only touched as far as they are used. */
    size_t cap = (size_t)code_len / 25 + 2 + (size_t)bits_in(bitmask, mask_bytes);
    size_t words = ((size_t)code_len + 1 + 63) / 64; /* bits 0..code_len */
    const uint8_t *optab = pvm_isa_decode_table(isa);
    raw_info info[256];
    for (int b = 0; b < 256; b++) info[b] = raw_info_of((pvm_op)optab[b]);
    decoder s = {.code = code, .code_len = code_len, .prev_term = true, .info = info,
                 .invalid = raw_info_of(PVM_OP_INVALID),
                 .reg3_mask = (isa == PVM_ISA_GP07 || isa == PVM_ISA_JAMV1) ? 0xFF : 0x0F};
    d->instrs = s.instrs = util_alloc_large(cap * sizeof(pvm_instr));
    d->instrs_cap = (uint32_t)cap;
    d->blocks = s.blocks = util_alloc_large(cap * sizeof(pvm_block));
    s.targets = util_alloc_large(cap * sizeof(uint32_t));
    d->starts = s.starts = util_alloc_large(words * sizeof *d->starts);
    d->start_rank = util_alloc_large(words * sizeof *d->start_rank);
    d->jump_table = malloc((jt_len ? jt_len : 1) * sizeof(uint32_t));
    d->jump_table_index = malloc((jt_len ? jt_len : 1) * sizeof(uint32_t));
    if (!d->instrs || !d->blocks || !s.targets || !d->starts || !d->start_rank || !d->jump_table ||
        !d->jump_table_index)
        goto oom;

    /* GP 0.8 and PolkaVM trap a conditional branch whose target or fall-through is not a
     * valid block start: resolve flags them (one byte per target), then they are turned
     * into traps here, once every target is resolved with the ops as decoded. */
    uint8_t *traps = isa != PVM_ISA_GP07 ? util_alloc_large(cap) : NULL;
    if (isa != PVM_ISA_GP07 && !traps) goto oom;
    prefill_starts(s.starts, words, bitmask, mask_bytes, code_len);
    d->split_pc = decode_all(&s, d, words, bitmask, mask_bytes, cap, threads, traps);
    uint32_t n_real = s.n;
    /* The implicit trap past the end of the code. */
    uint32_t n = s.n++;
    if (s.prev_term) new_block(&s, n);
    d->blocks[s.n_blocks - 1].term_op = PVM_OP_INVALID;
    d->instrs[n] = (pvm_instr){.op = PVM_OP_INVALID, .len = 1, .pc = code_len, .block_start = s.prev_term,
                               .block = s.n_blocks - 1, .target = PVM_NO_INDEX};
    d->starts[code_len >> 6] |= UINT64_C(1) << (code_len & 63);
    d->n_instrs = s.n;
    d->n_blocks = s.n_blocks;
    for (uint32_t b = 0; b + 1 < d->n_blocks; b++) d->blocks[b].count = d->blocks[b + 1].first - d->blocks[b].first;
    d->blocks[d->n_blocks - 1].count = d->n_instrs - d->blocks[d->n_blocks - 1].first;
    if (!d->split_pc) { /* (two threads: done in decode_all) */
        ranks(d, words);
        resolve(d, s.targets, s.n_targets, traps, n_real); /* static targets, once every instruction is in place */
    }
    if (traps) {
        for (uint32_t t = 0; t < s.n_targets; t++)
            if (traps[t]) { /* a branch ends its block */
                pvm_instr *in = &d->instrs[s.targets[t]];
                in->op = d->blocks[in->block].term_op = PVM_OP_INVALID;
            }
        util_free_large(traps, cap);
    }
    util_free_large(s.targets, cap * sizeof(uint32_t));
    d->jt_len = jt_len;
    for (uint32_t i = 0; i < jt_len; i++) {
        d->jump_table[i] = jump_table[i];
        d->jump_table_index[i] = valid_target(d, jump_table[i]);
    }
    return PVM_OK;
oom:
    util_free_large(s.targets, cap * sizeof(uint32_t));
    pvm_decoded_free(d);
    return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory decoding %u bytes of code", code_len);
}

void pvm_decoded_free(pvm_decoded *d)
{
    size_t words = ((size_t)d->code_len + 1 + 63) / 64;
    util_free_large(d->instrs, (size_t)d->instrs_cap * sizeof(pvm_instr));
    util_free_large(d->blocks, (size_t)d->instrs_cap * sizeof(pvm_block));
    util_free_large(d->starts, words * sizeof *d->starts);
    util_free_large(d->start_rank, words * sizeof *d->start_rank);
    free(d->jump_table);
    free(d->jump_table_index);
    memset(d, 0, sizeof *d);
}
