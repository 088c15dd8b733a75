/* Mixed programs: seeded, realistic loops that do not flatter the machine. Each program is
 * one loop whose body is a chain of basic blocks; block lengths, the opcode of every
 * instruction and the distance from an instruction to the producer of its operand are drawn
 * from the benchmark guests' own distributions (guest_mix_data.h), of their rv64 builds or
 * of their rv32 builds, alternately: a blend of the two would be a program neither target
 * produces (32-bit halves of 64-bit arithmetic next to 64-bit ops). Loads and stores stay in
 * the 4 KiB rw page (the memory hierarchy is measured elsewhere); indirect ones take an
 * address computed from an operand (one and_imm), so they sit in dependency chains as in
 * the guests. Divisions, shifts and multiplies see whatever values the mix has produced.
 * Dependency depth follows the guests too: an instruction's first operand continues the
 * block's longest chain while that chain stays within the guests' share of the block
 * (critical_path_ppm: 0.53 rv64, 0.46 rv32; the programs measure 0.50, 0.47), else it is
 * drawn at the guests' producer distances like every other operand (0.42 for the old blend
 * of both targets without this).
 *
 * Every conditional branch skips the next block when taken (an if-then), on one of three
 * patterns: 60% predictable (the trip counter against a constant: one direction almost
 * always), 35% periodic (counter & 3: a period-4 pattern a history predictor learns), 5%
 * data-random (a bit of an LCG stepped right before it: a multiply per random branch
 * rather than one per trip, which was 1% of the instructions on top of the guests'
 * multiplies). The random share sets how often the programs mispredict (a random branch,
 * and the periodic ones in the blocks it skips at random); 5% matches the guests' measured
 * rate (a tournament predictor model over each guest's branch trace mispredicts 3.8% / 4.4%
 * of their conditional branches rv64 / rv32, 0.43 / 0.40 per 100 instructions; these
 * programs 4.6% / 4.9%, 0.51 / 0.48 per 100 under the same model, tests/calibrate/
 * test_mixed.c). It was 15%, a stated choice when directions were not measured, and gave
 * twice the guests' mispredictions. Jumps go to the next block, jump_ind through the jump
 * table to the next block, load_imm_jump likewise.
 *
 * Which instructions really ran is not tracked here: the calibration counts them exactly
 * from an interpreter profile of the program (dynamic_mix.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "generators.h"
#include "guest_mix_data.h"
#include "vm/isa/isa.h"
#include "vm/util/splitmix.h"

enum { R_ZERO = R_T2, R_BASE = R_S0, R_LCG = R_A5 };
static const unsigned DATA_REGS[] = {R_T1, R_S1, R_A0, R_A1, R_A2, R_A3, R_A4};
#define N_DATA (sizeof DATA_REGS / sizeof DATA_REGS[0])
#define MIX_RW_BYTES 4096u
#define LCG_MUL_IMM 0x5851F42D  /* = 1 mod 4: with an odd increment, full period mod 2^64 */
#define LCG_ADD_IMM 0x14057B7F
enum { MIN_BLOCKS = 6, MAX_BLOCKS = 24 };
enum { PREDICTABLE_PERCENT = 60, RANDOM_PERCENT = 5 }; /* of conditional branches; the rest periodic */

static uint32_t below(uint64_t *rng, uint32_t n)
{
    return (uint32_t)(util_splitmix64(rng) % n);
}

/* Index drawn with probability weight[i] / sum over n weights; -1 if all are 0. */
static int draw(uint64_t *rng, const uint32_t *weight, int n)
{
    uint64_t total = 0;
    for (int i = 0; i < n; i++) total += weight[i];
    if (!total) return -1;
    uint64_t x = util_splitmix64(rng) % total;
    for (int i = 0; i < n; i++) {
        if (x < weight[i]) return i;
        x -= weight[i];
    }
    return n - 1;
}

/* Ops the generator can place inside a block: measurable, not a terminator, not a host
 * call (ecalli, sbrk, memset are priced by their own programs). */
static bool body_op(int op)
{
    return mb_op_measurable(op) && !pvm_op_is_terminator((pvm_op)op) && pvm_op_group_of((pvm_op)op) != PVM_GROUP_HOST;
}

static bool is_alu(int op)
{
    pvm_op_group g = pvm_op_group_of((pvm_op)op);
    return body_op(op) && (g == PVM_GROUP_ALU || g == PVM_GROUP_BITS || g == PVM_GROUP_SHIFT || g == PVM_GROUP_COMPARE);
}

typedef struct mix_state {
    pvm_builder *b;
    uint64_t rng;
    int written[64]; /* data register written by each instruction of the block, -1 if none */
    unsigned pos;    /* instructions emitted in the current block */
    int depth[16];   /* longest dependent chain (instructions) ending in the register's value, 0 if
                        not written in this block */
    int longest;     /* the block's longest dependent chain so far */
    const mb_guest_mix *mix; /* the target whose distributions the program draws from */
    uint32_t body_weight[PVM_OP_COUNT], term_weight[PVM_OP_COUNT];
} mix_state;

static unsigned any_data(mix_state *m)
{
    return DATA_REGS[below(&m->rng, N_DATA)];
}

/* The data register holding the end of the block's longest chain, -1 if none. */
static int deepest(const mix_state *m)
{
    int best = -1;
    for (size_t i = 0; i < N_DATA; i++)
        if (m->depth[DATA_REGS[i]] > 0 && (best < 0 || m->depth[DATA_REGS[i]] > m->depth[best])) best = (int)DATA_REGS[i];
    return best;
}

/* The first source of an instruction: while the block's longest chain is shorter than the
 * guests' share of its instructions (critical_path_ppm), the end of that chain, so
 * that the blocks are as deep as the guests'; else drawn like any operand (source). */
static unsigned source(mix_state *m);
static unsigned first_source(mix_state *m)
{
    int deep = deepest(m);
    if (deep >= 0 && (double)(m->longest + 1) <= (double)m->mix->critical_path_ppm * 1e-6 * (double)(m->pos + 1))
        return (unsigned)deep;
    return source(m);
}

/* A source register: the producer 1, 2, 3 or 4+ instructions back, or (none) a register
 * not written in this block, with the guests' distance shares. */
static unsigned source(mix_state *m)
{
    int bucket = draw(&m->rng, m->mix->dep_distance_ppm, MB_MIX_DEP_BUCKETS);
    if (bucket >= 0 && bucket < 4) {
        unsigned back = bucket < 3 ? (unsigned)bucket + 1 : 4 + below(&m->rng, 4);
        if (back <= m->pos && m->written[m->pos - back] >= 0) return (unsigned)m->written[m->pos - back];
    }
    for (int tries = 0; tries < 8; tries++) { /* "none": prefer a register the block has not written */
        unsigned r = any_data(m);
        bool fresh = true;
        for (unsigned k = 0; k < m->pos; k++)
            if (m->written[k] == (int)r) fresh = false;
        if (fresh) return r;
    }
    return any_data(m);
}

static int64_t rw_offset(mix_state *m)
{
    return 8 * (int64_t)below(&m->rng, MIX_RW_BYTES / 8);
}

/* One instruction emitted: it writes reg (-1: none) after reading registers a and b (-1:
 * none), so its chain is one longer than the longer of theirs. */
static void note(mix_state *m, int reg, int a, int b)
{
    int d = 1 + (a >= 0 ? m->depth[a] : 0);
    if (b >= 0 && 1 + m->depth[b] > d) d = 1 + m->depth[b];
    if (d > m->longest) m->longest = d;
    if (reg >= 0) m->depth[reg] = d;
    if (m->pos < 64) m->written[m->pos] = reg;
    m->pos++;
}

static void emit_body_op(mix_state *m, int op, int *extra)
{
    *extra = 0;
    pvm_builder *b = m->b;
    pvm_mem_access mem = pvm_op_mem_access((pvm_op)op);
    unsigned d = any_data(m), s1 = first_source(m), s2 = source(m);
    int64_t imm = (int64_t)(util_splitmix64(&m->rng) % 65536) - 32768;
    int written = -1, read1 = -1, read2 = -1;
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG3:
        pvm_emit_reg3(b, op, d, s1, s2), written = (int)d, read1 = (int)s1, read2 = (int)s2;
        break;
    case PVM_KIND_REG_REG_IMM:
        if (mem.width) {
            /* Indirect accesses go through a computed address, as in the guests: one and_imm
             * keeps a value (drawn like any operand) inside the rw page. It counts as one of
             * the block's instructions (the caller's *extra). */
            unsigned t = any_data(m);
            pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, t, s1, (int64_t)(MIX_RW_BYTES - 8));
            note(m, (int)t, (int)s1, -1);
            *extra = 1;
            read1 = (int)t;
            if (mem.is_store) {
                unsigned value = s2 == t ? d : s2;
                pvm_emit_reg_reg_imm(b, op, value, t, MB_RW_ADDR), read2 = (int)value;
            } else {
                pvm_emit_reg_reg_imm(b, op, d, t, MB_RW_ADDR), written = (int)d;
            }
        } else
            pvm_emit_reg_reg_imm(b, op, d, s1, imm & 63 ? imm : imm + 1), written = (int)d, read1 = (int)s1;
        break;
    case PVM_KIND_REG_REG:
        pvm_emit_reg_reg(b, op, d, s1), written = (int)d, read1 = (int)s1;
        break;
    case PVM_KIND_REG_IMM:
        if (mem.width && mem.is_store)
            pvm_emit_reg_imm(b, op, s1, MB_RW_ADDR + rw_offset(m)), read1 = (int)s1;
        else if (mem.width)
            pvm_emit_reg_imm(b, op, d, MB_RW_ADDR + rw_offset(m)), written = (int)d;
        else
            pvm_emit_reg_imm(b, op, d, imm), written = (int)d;
        break;
    case PVM_KIND_REG_IMM_IMM:
        pvm_emit_reg_imm_imm(b, op, R_BASE, rw_offset(m), imm);
        break;
    case PVM_KIND_IMM_IMM:
        pvm_emit_imm_imm(b, op, MB_RW_ADDR + rw_offset(m), imm);
        break;
    case PVM_KIND_REG_IMM64:
        pvm_emit_reg_imm64(b, op, d, util_splitmix64(&m->rng)), written = (int)d;
        break;
    default: /* unlikely and other operand-less ops */
        pvm_emit_none(b, op);
        break;
    }
    note(m, written, read1, read2);
}

/* The register a conditional branch tests, made by the pattern's setup instructions. */
static unsigned branch_operand(mix_state *m, bool *predictable)
{
    uint32_t pattern = below(&m->rng, 100);
    *predictable = pattern < PREDICTABLE_PERCENT;
    if (pattern < PREDICTABLE_PERCENT) return R_COUNTER;
    unsigned t = any_data(m);
    bool periodic = pattern < 100 - RANDOM_PERCENT;
    if (periodic) { /* periodic: counter & 3 */
        pvm_emit_reg_reg_imm(m->b, PVM_OP_AND_IMM, t, R_COUNTER, 3);
    } else { /* data-random: the LCG stepped, one bit of it */
        pvm_emit_reg_reg_imm(m->b, PVM_OP_MUL_IMM_64, R_LCG, R_LCG, LCG_MUL_IMM);
        note(m, R_LCG, R_LCG, -1);
        pvm_emit_reg_reg_imm(m->b, PVM_OP_ADD_IMM_64, R_LCG, R_LCG, LCG_ADD_IMM);
        note(m, R_LCG, R_LCG, -1);
        pvm_emit_reg_reg_imm(m->b, PVM_OP_SHLO_R_IMM_64, t, R_LCG, 33 + below(&m->rng, 24));
        note(m, (int)t, -1, -1);
        pvm_emit_reg_reg_imm(m->b, PVM_OP_AND_IMM, t, t, 1);
    }
    note(m, (int)t, periodic ? -1 : (int)t, -1);
    return t;
}

static void emit_terminator(mix_state *m, int op, pvm_label next, pvm_label skip)
{
    pvm_builder *b = m->b;
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_OFF:
        pvm_emit_jump(b, op, next);
        break;
    case PVM_KIND_REG_IMM: /* jump_ind through the table */
        pvm_emit_reg_imm(b, op, R_ZERO, pvm_builder_jump_table_add(b, next));
        break;
    case PVM_KIND_REG_REG_IMM_IMM: /* load_imm_jump_ind */
        pvm_emit_reg_reg_imm_imm(b, op, any_data(m), R_ZERO, 0, pvm_builder_jump_table_add(b, next));
        break;
    case PVM_KIND_REG_IMM_OFF:
        if (!pvm_op_is_branch((pvm_op)op)) { /* load_imm_jump */
            pvm_emit_reg_imm_jump(b, op, any_data(m), 1, next);
        } else {
            bool predictable;
            unsigned r = branch_operand(m, &predictable);
            /* predictable: the counter (>= 1) against 0 or a huge constant; else the 0/1..3
             * value against 1. */
            int64_t imm = predictable ? (below(&m->rng, 2) ? 0 : 0x7fffffff) : 1;
            pvm_emit_reg_imm_jump(b, op, r, imm, skip);
        }
        break;
    case PVM_KIND_REG_REG_OFF: {
        bool predictable;
        unsigned r = branch_operand(m, &predictable);
        pvm_emit_reg_reg_jump(b, op, r, R_ZERO, skip);
        break;
    }
    default: /* fallthrough, trap-free terminators without operands */
        pvm_emit_none(b, PVM_OP_FALLTHROUGH);
        break;
    }
}

int mb_build_mixed(const mb_spec *s, mb_program *out, char *err, size_t err_len)
{
    if (s->size < 1 || s->size > MAX_BLOCKS) {
        snprintf(err, err_len, "%s: %llu blocks, the generator makes 1..%d", s->name, (unsigned long long)s->size,
                 MAX_BLOCKS);
        return -1;
    }
    if (s->mix_target < 0 || s->mix_target >= MB_GUEST_TARGETS) {
        snprintf(err, err_len, "%s: no guest distribution %d", s->name, s->mix_target);
        return -1;
    }
    mb_frame f;
    if (mb_frame_begin(&f, MIX_RW_BYTES) != 0) {
        snprintf(err, err_len, "%s: out of memory", s->name);
        return -1;
    }
    mix_state m = {.b = f.b, .rng = s->seed, .mix = &MB_GUEST_MIX[s->mix_target]};
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        m.body_weight[op] = body_op(op) ? m.mix->op_ppm[op] : 0;
        bool term = op != PVM_OP_TRAP && op < PVM_OP_INVALID && pvm_op_is_terminator((pvm_op)op) &&
                    mb_op_measurable(op);
        m.term_weight[op] = term ? m.mix->op_ppm[op] : 0;
    }
    /* An indirect access brings its address op (one and_imm) and takes two of the block's
     * slots. That op is address arithmetic, which the guests' own counts hold among their
     * ALU ops (add, shift): the ALU ops are drawn that much less often, so that the
     * accesses keep the guests' share of the instructions and, with the and_imms, so do the
     * ALU ops (drawing the accesses twice as often instead put the and_imms on top of the
     * guests' ALU ops). The and_imm stands for 32-bit adds in rv32 code, so those programs
     * have fewer 32-bit ops than the guests (0.26 of their instructions against 0.44); a
     * 32-bit op cannot keep addresses aligned in one instruction, and unaligned random
     * addresses make partly overlapping stores and loads that the guests do not have. */
    uint64_t alu = 0, addressing = 0;
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        if (is_alu(op)) alu += m.body_weight[op];
        if (pvm_op_mem_access((pvm_op)op).width && pvm_op_table[op].kind == PVM_KIND_REG_REG_IMM)
            addressing += m.mix->op_ppm[op];
    }
    for (int op = 0; op < PVM_OP_COUNT; op++)
        if (is_alu(op)) m.body_weight[op] = alu > addressing ? (uint32_t)(m.body_weight[op] * (alu - addressing) / alu) : 0;
    pvm_builder *b = f.b;
    for (size_t i = 0; i < N_DATA; i++) pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, DATA_REGS[i], util_splitmix64(&m.rng));
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_ZERO, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_BASE, MB_RW_ADDR);
    pvm_emit_reg_imm64(b, PVM_OP_LOAD_IMM_64, R_LCG, util_splitmix64(&m.rng));
    mb_frame_loop_top(&f);
    uint32_t n_blocks = (uint32_t)s->size;
    pvm_label labels[MAX_BLOCKS + 2];
    for (uint32_t i = 0; i <= n_blocks + 1; i++) labels[i] = pvm_builder_label(b);
    pvm_builder_bind(b, labels[0]);
    uint64_t length_rng = s->seed ^ 0xA5A5A5A5A5A5A5A5ull;
    for (uint32_t i = 0; i < n_blocks; i++) {
        if (i) pvm_builder_bind(b, labels[i]);
        int len = draw(&length_rng, m.mix->block_len_ppm, MB_MIX_MAX_BLOCK_LEN + 1);
        if (len < 1) len = 1;
        m.pos = 0;
        m.longest = 0;
        memset(m.depth, 0, sizeof m.depth);
        for (int k = 0; k + 1 < len; k++) {
            int op = draw(&m.rng, m.body_weight, PVM_OP_COUNT), extra = 0;
            if (op >= 0) emit_body_op(&m, op, &extra);
            k += extra;
        }
        int term = draw(&m.rng, m.term_weight, PVM_OP_COUNT);
        /* The last block's branch target is the loop tail, so the loop test always runs. */
        pvm_label skip = i + 2 <= n_blocks ? labels[i + 2] : labels[n_blocks];
        emit_terminator(&m, term >= 0 ? term : PVM_OP_FALLTHROUGH, labels[i + 1], skip);
    }
    pvm_builder_bind(b, labels[n_blocks]);
    mb_frame_loop_end(&f);
    for (size_t i = 1; i < N_DATA; i++) pvm_emit_reg3(b, PVM_OP_XOR, R_A0, R_A0, DATA_REGS[i]);
    return mb_frame_finish(&f, R_A0, out, err, err_len);
}

int mb_mixed_specs(uint64_t seed, size_t count, uint64_t instructions_per_call, mb_spec **out)
{
    *out = NULL;
    mb_spec *specs = calloc(count ? count : 1, sizeof *specs);
    if (!specs) return -1;
    uint64_t rng = seed;
    for (size_t i = 0; i < count; i++) {
        mb_spec *s = &specs[i];
        s->family = MB_MIXED;
        s->op = -1;
        s->seed = util_splitmix64(&rng);
        s->mix_target = (int)(i % MB_GUEST_TARGETS);
        uint64_t shape = s->seed;
        s->size = MIN_BLOCKS + below(&shape, MAX_BLOCKS - MIN_BLOCKS + 1);
        /* About instructions_per_call per call at the guests' mean block length (~8). */
        s->units = (uint32_t)s->size;
        s->trips = instructions_per_call / (8 * s->size);
        if (s->trips < 1) s->trips = 1;
        snprintf(s->series, sizeof s->series, "mix");
        snprintf(s->name, sizeof s->name, "mix.%s.%016llx.B%llu", MB_GUEST_MIX[s->mix_target].target,
                 (unsigned long long)s->seed, (unsigned long long)s->size);
    }
    *out = specs;
    return 0;
}
