/* The fused groups by the ops they start with, and the filter cg_emit_instr reads.
 *
 * Each entry names a group's first op(s), which next ops it can have second, and
 * the emitter it goes to (kind 1: emit_grouped's chain, 2: emit_more_grouped's
 * emit_also). A group whose start is not listed here is never tried: a new rule
 * adds its entry here and nothing else (tests/jit/test_jit_group_starts.c checks
 * that every entry reaches its emitter). The list is a necessary condition only;
 * the emitters test the rest (registers, immediates, what follows).
 *
 * From it, once per process and width: per op a route (emit_one's way, or a class
 * of first ops) and per class a row over the next op, so that an instruction that
 * starts no group costs one table read, and one that may costs a second. Where two
 * entries meet on the same pair, kind 1 wins: emit_grouped tries its groups, and
 * emit_also after them only for jit_also_after_grouped's ops. */
#include "group_starts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define OPS(...) {__VA_ARGS__, PVM_OP_COUNT}
#define O(x) PVM_OP_##x
#define BOTH (JIT_WIDE | JIT_NARROW)

const jit_group_start jit_group_starts[] = {
    /* a run of 32-bit rotations and xors of 64-bit programs (returns 0 for narrow ones) */
    {"emit_xor_of_rotations", BOTH, 1, JIT_SECOND_ANY, OPS(O(ROT_R_32_IMM)), OPS(0)},
    /* a product-accumulate step: mul_upper_u_u; add_32 (carry in); add_32; mul_32; add_32; set_lt_u */
    {"emit_mul_accumulate", JIT_NARROW, 1, JIT_SECOND_LISTED, OPS(O(MUL_UPPER_U_U)), OPS(O(ADD_32))},
    /* mul_upper_u_u h, a, b and its mul_32 up to seven instructions on */
    {"emit_mul_halves", JIT_NARROW, 1, JIT_SECOND_ANY, OPS(O(MUL_UPPER_U_U)), OPS(0)},
    {"emit_compare_mask", BOTH, 1, JIT_SECOND_LISTED, OPS(O(SET_LT_U), O(SET_LT_U_IMM)),
     OPS(O(NEG_ADD_IMM_64), O(NEG_ADD_IMM_32))},
    /* xor, or sub, then set_lt_u_imm c, d, 1 or set_gt_u_imm c, d, 0: an (in)equality test */
    {"emit_equality", BOTH, 1, JIT_SECOND_LISTED, OPS(O(XOR), O(XOR_IMM), O(SUB_32), O(SUB_64)),
     OPS(O(SET_LT_U_IMM), O(SET_GT_U_IMM))},
    /* load_imm k; add d, x, k */
    {"emit_constant_add", JIT_WIDE, 1, JIT_SECOND_LISTED, OPS(O(LOAD_IMM)), OPS(O(ADD_64))},
    {"emit_constant_add", JIT_NARROW, 1, JIT_SECOND_LISTED, OPS(O(LOAD_IMM)), OPS(O(ADD_32))},
    /* load_imm k; mul d, x, k */
    {"emit_constant_mul", JIT_WIDE, 1, JIT_SECOND_LISTED, OPS(O(LOAD_IMM)), OPS(O(MUL_64))},
    {"emit_constant_mul", JIT_NARROW, 1, JIT_SECOND_LISTED, OPS(O(LOAD_IMM)), OPS(O(MUL_32))},
    /* a product by a constant (x << k, then a sub), a scaled add of a constant (x << k; load_imm; add) */
    {"emit_mul_const, emit_scaled_constant_add", BOTH, 1, JIT_SECOND_LISTED, OPS(O(SHLO_L_IMM_64), O(SHLO_L_IMM_32)),
     OPS(O(SUB_32), O(SUB_64), O(LOAD_IMM))},
    {"emit_zero_branch", BOTH, 1, JIT_SECOND_LISTED, OPS(O(AND), O(OR), O(XOR), O(AND_IMM), O(OR_IMM), O(XOR_IMM)),
     OPS(O(BRANCH_EQ_IMM), O(BRANCH_NE_IMM))},
    /* add; set_lt_u: the carry (emit_carry_group) */
    {"emit_fused_group (carry)", BOTH, 1, JIT_SECOND_LISTED, OPS(O(ADD_64), O(ADD_32), O(ADD_IMM_64), O(ADD_IMM_32)),
     OPS(O(SET_LT_U), O(SET_LT_U_IMM))},
    /* a load or store between the add and its compare (access_goes_first, jit_carry_store_in_order) */
    {"emit_fused_group (carry access)", BOTH, 1, JIT_SECOND_MEMORY_THEN_CARRY,
     OPS(O(ADD_64), O(ADD_32), O(ADD_IMM_64), O(ADD_IMM_32)), OPS(0)},
    /* a load from the sum into the sum's register (loads_into_own_base) */
    {"emit_fused_group (indexed access)", BOTH, 1, JIT_SECOND_OWN_BASE_LOAD, OPS(O(ADD_64), O(ADD_32)), OPS(0)},
    /* lea of a scaled add (and a load from it) */
    {"emit_fused_group (scaled adds)", BOTH, 1, JIT_SECOND_LISTED, OPS(O(SHLO_L_IMM_64), O(SHLO_L_IMM_32)),
     OPS(O(ADD_32), O(ADD_64))},
    /* shld/shrd/rorx from the left shift */
    {"emit_funnel_shift", BOTH, 1, JIT_SECOND_THEN_OR, OPS(O(SHLO_L_IMM_64), O(SHLO_L_IMM_32)),
     OPS(O(SHLO_R_IMM_32), O(SHLO_R_IMM_64))},
    /* extensions by shifts by 32, element loads */
    {"emit_fused_group (extensions, element loads)", JIT_WIDE, 1, JIT_SECOND_BY_32, OPS(O(SHLO_L_IMM_64)),
     OPS(O(SHLO_R_IMM_64), O(SHAR_R_IMM_64))},
    /* an element load whose index is an add_imm_64 (tried after emit_fused_group) */
    {"emit_element_load_after_add", JIT_WIDE, 1, JIT_SECOND_LISTED, OPS(O(ADD_IMM_64)), OPS(O(SHLO_L_IMM_64))},
    /* a bit field (tried after emit_fused_group) */
    {"emit_bit_field", JIT_NARROW, 1, JIT_SECOND_CHAINED, OPS(O(SHLO_L_IMM_32)), OPS(O(SHLO_R_IMM_32))},
    /* a stack array's element: shlo_l_imm_32; add_imm_32; add_32; load */
    {"emit_fused_group (stack array element)", JIT_NARROW, 1, JIT_SECOND_LISTED, OPS(O(SHLO_L_IMM_64), O(SHLO_L_IMM_32)),
     OPS(O(ADD_IMM_32))},
    {"emit_funnel_shift", BOTH, 1, JIT_SECOND_THEN_OR, OPS(O(SHLO_R_IMM_64), O(SHLO_R_IMM_32)),
     OPS(O(SHLO_L_IMM_32), O(SHLO_L_IMM_64))},
    /* a result taken by the consumer right after it (the ops retargets_into takes) */
    {"emit_into_consumer", BOTH, 2, JIT_SECOND_RETARGET,
     OPS(O(ROT_R_32_IMM), O(MUL_UPPER_U_U), O(SET_LT_U), O(SET_LT_U_IMM), O(AND), O(OR), O(XOR), O(AND_IMM), O(OR_IMM),
         O(XOR_IMM), O(ADD_64), O(ADD_32), O(ADD_IMM_64), O(ADD_IMM_32), O(SHLO_L_IMM_64), O(SHLO_L_IMM_32),
         O(SHLO_R_IMM_64), O(SHLO_R_IMM_32)),
     OPS(O(AND), O(OR), O(XOR), O(MUL_64), O(MUL_32), O(SUB_64), O(SUB_32))},
    /* add_imm t, s, k; set_lt_u_imm c, t, 1 or set_gt_u_imm c, t, 0 (the first pair is
     * emit_fused_group's too: emit_grouped tries emit_also after it) */
    {"emit_zero_test", BOTH, 2, JIT_SECOND_LISTED, OPS(O(ADD_IMM_64), O(ADD_IMM_32)), OPS(O(SET_GT_U_IMM), O(SET_LT_U_IMM))},
    /* two min/max of one kind in a row, reassociated (emit_min_max_chain); an add_imm_32 into
     * such a pair, compared over 32 bits (emit_add_into_min_max) */
    {"emit_min_max_chain", BOTH, 2, JIT_SECOND_LISTED, OPS(O(MIN), O(MIN_U), O(MAX), O(MAX_U)),
     OPS(O(MIN), O(MIN_U), O(MAX), O(MAX_U))},
    {"emit_add_into_min_max", JIT_WIDE, 2, JIT_SECOND_LISTED, OPS(O(ADD_IMM_32)), OPS(O(MIN), O(MIN_U), O(MAX), O(MAX_U))},
    /* add_imm d, d, k; loads, stores, lea/mov; branch_eq_imm/ne_imm d, 0 (emit_count_branch; after
     * a load or store, emit_grouped's carry access group first, then emit_also); after a lea or
     * mov only in a block that ends so (add_imm pairs are common) */
    {"emit_count_branch", BOTH, 2, JIT_SECOND_LISTED, OPS(O(ADD_IMM_64), O(ADD_IMM_32)),
     OPS(O(BRANCH_EQ_IMM), O(BRANCH_NE_IMM))},
    {"emit_count_branch", BOTH, 2, JIT_SECOND_ZERO_BRANCH, OPS(O(ADD_IMM_64), O(ADD_IMM_32)),
     OPS(O(ADD_IMM_64), O(ADD_IMM_32), O(LOAD_IMM), O(LOAD_IMM_64), O(MOVE_REG))},
    {"emit_count_branch", BOTH, 2, JIT_SECOND_MEMORY_ZERO_BRANCH, OPS(O(ADD_IMM_64), O(ADD_IMM_32)), OPS(0)},
    /* load_imm t, K; a two-register branch on t (emit_const_branch) */
    {"emit_const_branch", BOTH, 2, JIT_SECOND_LISTED, OPS(O(LOAD_IMM)),
     OPS(O(BRANCH_EQ), O(BRANCH_NE), O(BRANCH_LT_U), O(BRANCH_LT_S), O(BRANCH_GE_U), O(BRANCH_GE_S))},
    {"emit_mul_upper_add", JIT_WIDE, 2, JIT_SECOND_LISTED, OPS(O(MUL_UPPER_U_U)), OPS(O(ADD_64))},
    {"emit_scaled_add_past", BOTH, 2, JIT_SECOND_THEN_ADD64, OPS(O(SHLO_L_IMM_64)), OPS(0)},
};
const unsigned jit_group_starts_count = sizeof jit_group_starts / sizeof jit_group_starts[0];

static jit_group_filter filters[2]; /* [narrow] */
static pthread_once_t built[2] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};

static bool listed(const uint8_t *ops, unsigned op)
{
    for (; *ops != PVM_OP_COUNT; ops++)
        if (*ops == op) return true;
    return false;
}

/* What an entry's kind of second (JIT_SECOND_*) puts in its next ops' entries: a flag
 * (a test of jit_may_start_group), or none (0: the entry's kind alone), over which next
 * ops: those the entry lists, every load and store, the loads from a base, or all. */
enum { OVER_LISTED, OVER_MEMORY, OVER_BASE_LOADS, OVER_ALL };
static const struct {
    uint16_t flag;
    uint8_t over;
} second_marks[] = {
    [JIT_SECOND_LISTED] = {0, OVER_LISTED},
    [JIT_SECOND_MEMORY] = {0, OVER_MEMORY},
    [JIT_SECOND_RETARGET] = {JIT_NEXT_RETARGET, OVER_LISTED},
    [JIT_SECOND_THEN_ADD64] = {JIT_NEXT_THIRD, OVER_ALL},
    [JIT_SECOND_ZERO_BRANCH] = {JIT_NEXT_ZERO_BRANCH, OVER_LISTED},
    [JIT_SECOND_MEMORY_ZERO_BRANCH] = {JIT_NEXT_ZERO_BRANCH, OVER_MEMORY},
    [JIT_SECOND_CHAINED] = {JIT_NEXT_CHAINED, OVER_LISTED},
    [JIT_SECOND_BY_32] = {JIT_NEXT_BY_32, OVER_LISTED},
    [JIT_SECOND_THEN_OR] = {JIT_NEXT_THEN_OR, OVER_LISTED},
    [JIT_SECOND_MEMORY_THEN_CARRY] = {JIT_NEXT_CARRY, OVER_MEMORY},
    [JIT_SECOND_OWN_BASE_LOAD] = {JIT_NEXT_OWN_BASE, OVER_BASE_LOADS},
};

/* Entry s's mark on next op n: its flag, or its kind (emit_grouped's (1) wins over
 * emit_more_grouped's). */
static void mark(const jit_group_start *s, uint16_t flag, unsigned n, uint8_t kind[], uint16_t flags[])
{
    if (flag) flags[n] |= flag;
    else if (s->kind == 1 || !kind[n]) kind[n] = s->kind;
}

/* The row of first op f in programs of width w (what each next op makes of it); whether
 * an entry starts with f there at all, and whether one does whatever follows. */
static void op_row(unsigned w, unsigned f, uint16_t row[PVM_OP_COUNT], bool *starts, bool *always)
{
    uint8_t kind[PVM_OP_COUNT] = {0};
    uint16_t flags[PVM_OP_COUNT] = {0};
    *starts = *always = false;
    for (unsigned i = 0; i < jit_group_starts_count; i++) {
        const jit_group_start *s = &jit_group_starts[i];
        if (!(s->widths & w) || !listed(s->firsts, f)) continue;
        *starts = true;
        if (s->second == JIT_SECOND_ANY) {
            if (s->kind == 1) *always = true;
            continue;
        }
        uint16_t flag = second_marks[s->second].flag;
        switch (second_marks[s->second].over) {
        case OVER_LISTED:
            for (const uint8_t *n = s->seconds; *n != PVM_OP_COUNT; n++) mark(s, flag, *n, kind, flags);
            break;
        case OVER_MEMORY:
            for (unsigned n = 0; n < PVM_OP_COUNT; n++)
                if (pvm_op_mem_access((pvm_op)n).width) mark(s, flag, n, kind, flags);
            break;
        case OVER_BASE_LOADS:
            for (unsigned n = 0; n < PVM_OP_COUNT; n++)
                if (jit_base_load((pvm_op)n)) mark(s, flag, n, kind, flags);
            break;
        default: /* OVER_ALL */
            for (unsigned n = 0; n < PVM_OP_COUNT; n++) mark(s, flag, n, kind, flags);
        }
    }
    /* emit_grouped's kind needs no more tests; emit_more_grouped's is what is left when no
     * flag's test gives a 1 (jit_may_start_group) */
    for (unsigned n = 0; n < PVM_OP_COUNT; n++) row[n] = kind[n] == 1 ? 1 : kind[n] | flags[n];
}

static void build_width(unsigned w, jit_group_filter *f)
{
    unsigned classes = 0;
    for (unsigned op = 0; op < PVM_OP_COUNT; op++) {
        bool starts, always;
        uint16_t row[PVM_OP_COUNT];
        op_row(w, op, row, &starts, &always);
        bool memory = pvm_op_mem_access((pvm_op)op).width, branch = pvm_op_is_branch((pvm_op)op);
        if (starts && (memory || branch)) abort(); /* cg_emit_instr sends a start op that fuses nothing to emit_plain */
        if (starts && op == PVM_OP_MUL_32) abort(); /* cg_emit_instr skips emit_mul_halves's mul_32 on the plain route only */
        if (!starts) {
            f->route[op] = memory ? JIT_ROUTE_MEMORY : branch ? JIT_ROUTE_BRANCH : JIT_ROUTE_PLAIN;
            continue;
        }
        if (always) {
            f->route[op] = JIT_ROUTE_ALWAYS;
            continue;
        }
        unsigned c = 0;
        while (c < classes && memcmp(f->next[c], row, sizeof row) != 0) c++;
        if (c == classes) {
            if (classes == JIT_GROUP_CLASSES) abort(); /* raise JIT_GROUP_CLASSES */
            memcpy(f->next[classes++], row, sizeof row);
        }
        f->route[op] = (uint8_t)(JIT_ROUTE_CLASS + c);
    }
}

static void build_wide(void) { build_width(JIT_WIDE, &filters[0]); }
static void build_narrow(void) { build_width(JIT_NARROW, &filters[1]); }

const jit_group_filter *jit_group_filter_get(bool narrow)
{
    pthread_once(&built[narrow], narrow ? build_narrow : build_wide); /* only the width a program needs */
    return &filters[narrow];
}
