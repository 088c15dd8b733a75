/* The recompiler's start filter (vm/jit/group_starts.c) against the list of fused
 * groups it is built from: every listed group's first and second op reach the
 * emitter the list names (or emit_grouped, which then tries emit_also, for
 * jit_also_after_grouped's ops), the filter admits no pair the list does not
 * name, and ops that start nothing take emit_one's way (memory, branch, other).
 * A group missing from the list is never fused: each rule's entry is its
 * admission, and this test holds the filter to the list. */
#include <stdio.h>
#include <string.h>
#include "tests/vm/test_util.h"
#include "vm/jit/group_starts.h"

static bool listed(const uint8_t *ops, unsigned op)
{
    for (; *ops != PVM_OP_COUNT; ops++)
        if (*ops == op) return true;
    return false;
}

/* Whether entry s (of width w) names n as a second op after its first op f. */
static bool names_pair(const jit_group_start *s, unsigned w, unsigned f, unsigned n)
{
    if (!(s->widths & w) || !listed(s->firsts, f)) return false;
    switch (s->second) {
    case JIT_SECOND_ANY: case JIT_SECOND_THEN_ADD64: return true;
    case JIT_SECOND_MEMORY: case JIT_SECOND_MEMORY_THEN_CARRY: case JIT_SECOND_MEMORY_ZERO_BRANCH:
        return pvm_op_mem_access((pvm_op)n).width != 0;
    case JIT_SECOND_OWN_BASE_LOAD: return jit_base_load((pvm_op)n);
    default: return listed(s->seconds, n); /* LISTED, RETARGET, ZERO_BRANCH (decision's block ends so), THEN_OR, BY_32 */
    }
}

/* What decision_with sets up besides the ops. */
typedef struct {
    unsigned third;      /* the op after the next */
    bool own_base;       /* the next one's a and b are the first's d */
    bool by_32, in_place; /* the first's immediate is 32; its a is its b */
    bool chained;         /* the next one's b is the first's a */
} setup;

/* The filter's decision for f, then n (writing neither operand: d, a, b distinct;
 * with own_base, a and b are f's d), then the third op, then a trap, all in one
 * block, which (for the filter) ends in a branch_eq_imm. */
static int decision_with(const jit_group_filter *flt, unsigned f, unsigned n, setup u)
{
    pvm_instr ins[4];
    memset(ins, 0, sizeof ins);
    unsigned third = u.third;
    bool own_base = u.own_base;
    ins[0] = (pvm_instr){.op = (uint8_t)f, .a = 1, .b = u.in_place ? 1 : 2, .d = 3, .imm = u.by_32 ? 32 : 0};
    ins[1] = (pvm_instr){.op = (uint8_t)n, .a = own_base ? 3 : 4, .b = own_base ? 3 : u.chained ? 1 : 5, .d = 6};
    ins[2] = (pvm_instr){.op = (uint8_t)third, .a = 6, .b = 7, .d = 6};
    ins[3] = (pvm_instr){.op = PVM_OP_TRAP, .block_start = 1};
    pvm_block block = {.first = 0, .count = 3, .target_block = PVM_NO_INDEX, .term_op = PVM_OP_BRANCH_EQ_IMM};
    pvm_decoded d;
    memset(&d, 0, sizeof d);
    d.instrs = ins, d.n_instrs = 4, d.blocks = &block;
    return jit_may_start_group(flt->next, flt->route[f], ins, 0, &d);
}

/* The decision where entry e's group needs it: its third op, its base register. */
static int decision_for(const jit_group_filter *flt, const jit_group_start *e, unsigned f, unsigned n)
{
    setup u = {.third = e->second == JIT_SECOND_MEMORY_THEN_CARRY ? PVM_OP_SET_LT_U
                        : e->second == JIT_SECOND_THEN_OR         ? PVM_OP_OR
                                                                  : PVM_OP_ADD_64,
               .own_base = e->second == JIT_SECOND_OWN_BASE_LOAD,
               .by_32 = e->second == JIT_SECOND_BY_32,
               .in_place = e->second == JIT_SECOND_ZERO_BRANCH || e->second == JIT_SECOND_MEMORY_ZERO_BRANCH,
               .chained = e->second == JIT_SECOND_CHAINED};
    return decision_with(flt, f, n, u);
}

/* The most the filter admits after f, n: the largest decision over the third ops and
 * base registers any entry asks for (1 wins over 2, as in jit_may_start_group). */
static int decision_any(const jit_group_filter *flt, unsigned f, unsigned n)
{
    static const unsigned thirds[] = {PVM_OP_ADD_64, PVM_OP_SET_LT_U, PVM_OP_SET_LT_U_IMM, PVM_OP_OR};
    int best = 0;
    for (unsigned t = 0; t < sizeof thirds / sizeof thirds[0]; t++)
        for (unsigned bits = 0; bits < 16; bits++) {
            setup u = {.third = thirds[t], .own_base = bits & 1, .by_32 = bits & 2, .in_place = bits & 4, .chained = bits & 8};
            int got = decision_with(flt, f, n, u);
            if (got == 1 || (got == 2 && best == 0)) best = got;
        }
    return best;
}

static void every_listed_group_reaches_its_emitter(void **s)
{
    (void)s;
    for (unsigned narrow = 0; narrow < 2; narrow++) {
        const jit_group_filter *flt = jit_group_filter_get(narrow);
        unsigned w = narrow ? JIT_NARROW : JIT_WIDE;
        for (unsigned i = 0; i < jit_group_starts_count; i++) {
            const jit_group_start *e = &jit_group_starts[i];
            if (!(e->widths & w)) continue;
            for (const uint8_t *f = e->firsts; *f != PVM_OP_COUNT; f++) {
                if (flt->route[*f] < JIT_ROUTE_ALWAYS) {
                    fprintf(stderr, "%s: %s is not admitted (%s programs)\n", e->emitter, pvm_op_table[*f].name,
                            narrow ? "32-bit" : "64-bit");
                    fail();
                }
                for (unsigned n = 0; n < PVM_OP_COUNT; n++) {
                    if (!names_pair(e, w, *f, n)) continue;
                    int got = decision_for(flt, e, *f, n);
                    if (got == e->kind || (got == 1 && e->kind == 2 && jit_also_after_grouped((pvm_op)*f))) continue;
                    fprintf(stderr, "%s: %s then %s decides %d (%s programs)\n", e->emitter, pvm_op_table[*f].name,
                            pvm_op_table[n].name, got, narrow ? "32-bit" : "64-bit");
                    fail();
                }
            }
        }
    }
}

static void the_filter_admits_nothing_unlisted(void **s)
{
    (void)s;
    for (unsigned narrow = 0; narrow < 2; narrow++) {
        const jit_group_filter *flt = jit_group_filter_get(narrow);
        unsigned w = narrow ? JIT_NARROW : JIT_WIDE;
        for (unsigned f = 0; f < PVM_OP_COUNT; f++) {
            bool first = false;
            for (unsigned i = 0; i < jit_group_starts_count; i++)
                first |= (jit_group_starts[i].widths & w) && listed(jit_group_starts[i].firsts, f);
            unsigned route = flt->route[f];
            if (!first) { /* emit_one's way */
                unsigned want = pvm_op_mem_access((pvm_op)f).width ? JIT_ROUTE_MEMORY
                                : pvm_op_is_branch((pvm_op)f)       ? JIT_ROUTE_BRANCH
                                                                    : JIT_ROUTE_PLAIN;
                assert_int_equal(route, want);
                continue;
            }
            assert_true(route >= JIT_ROUTE_ALWAYS);
            assert_int_equal(pvm_op_mem_access((pvm_op)f).width, 0); /* cg_emit_instr sends it to emit_plain */
            assert_false(pvm_op_is_branch((pvm_op)f));
            for (unsigned n = 0; n < PVM_OP_COUNT; n++) {
                int got = decision_any(flt, f, n);
                assert_true(got >= 0 && got <= 2);
                if (!got) continue;
                bool named = false;
                for (unsigned i = 0; i < jit_group_starts_count; i++) named |= names_pair(&jit_group_starts[i], w, f, n);
                if (!named) {
                    fprintf(stderr, "%s then %s admitted (%d) by no entry\n", pvm_op_table[f].name, pvm_op_table[n].name, got);
                    fail();
                }
            }
        }
    }
}

/* The conditions on the next instruction: in the same block, and for a
 * consumer writing neither operand; the add_64 after it for a scaled add past one op. */
static void the_next_instruction_decides(void **s)
{
    (void)s;
    const jit_group_filter *flt = jit_group_filter_get(false);
    pvm_instr ins[4];
    memset(ins, 0, sizeof ins);
    ins[0] = (pvm_instr){.op = PVM_OP_ADD_64, .a = 1, .b = 2, .d = 3};
    ins[1] = (pvm_instr){.op = PVM_OP_SET_LT_U, .a = 3, .b = 1, .d = 4};
    ins[2] = (pvm_instr){.op = PVM_OP_ADD_64, .a = 4, .b = 5, .d = 4};
    ins[3] = (pvm_instr){.op = PVM_OP_TRAP, .block_start = 1};
    pvm_decoded d;
    memset(&d, 0, sizeof d);
    d.instrs = ins, d.n_instrs = 4;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 1);
    ins[1].block_start = 1; /* another block */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 0);
    ins[1].block_start = 0;
    /* the last instruction is never asked about: it is the implicit trap, which starts nothing */
    assert_true(flt->route[PVM_OP_INVALID] < JIT_ROUTE_ALWAYS && flt->route[PVM_OP_TRAP] < JIT_ROUTE_ALWAYS);
    assert_true(jit_group_filter_get(true)->route[PVM_OP_INVALID] < JIT_ROUTE_ALWAYS);
    ins[1] = (pvm_instr){.op = PVM_OP_XOR, .a = 3, .b = 1, .d = 4}; /* a consumer */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 2);
    ins[1].d = 3; /* writes an operand: x86 does it in one instruction already */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 0);
    ins[0] = (pvm_instr){.op = PVM_OP_SHLO_L_IMM_64, .a = 3, .b = 1, .imm = 3};
    ins[1] = (pvm_instr){.op = PVM_OP_MOVE_REG, .a = 8, .d = 5}; /* then add_64 */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 2);
    ins[2].op = PVM_OP_ADD_32;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 0);
    ins[2] = (pvm_instr){.op = PVM_OP_ADD_64, .block_start = 1};
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 0);
    pvm_block block = {.first = 0, .count = 3, .target_block = PVM_NO_INDEX, .term_op = PVM_OP_BRANCH_NE_IMM};
    d.blocks = &block;
    ins[0] = (pvm_instr){.op = PVM_OP_ADD_IMM_64, .a = 3, .b = 3, .imm = (uint64_t)-1};
    ins[1] = (pvm_instr){.op = PVM_OP_MOVE_REG, .a = 8, .d = 5}; /* then the block's branch on zero */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 2);
    block.term_op = PVM_OP_BRANCH_LT_U_IMM; /* not a test against zero */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 0);
    /* a load or store after an add: only with the carry's compare after it, or as a load
     * from the sum into its own register */
    ins[0] = (pvm_instr){.op = PVM_OP_ADD_64, .a = 1, .b = 2, .d = 3};
    ins[1] = (pvm_instr){.op = PVM_OP_STORE_IND_U64, .a = 4, .b = 5};
    ins[2] = (pvm_instr){.op = PVM_OP_SET_LT_U, .a = 3, .b = 1, .d = 4};
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 1);
    ins[2].op = PVM_OP_ADD_64;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 0);
    ins[2].op = PVM_OP_SET_LT_U, ins[2].block_start = 1; /* the compare in the next block */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 0);
    ins[2].block_start = 0, ins[2].op = PVM_OP_ADD_64;
    ins[1] = (pvm_instr){.op = PVM_OP_LOAD_IND_U64, .a = 3, .b = 3}; /* into its own base */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 1);
    ins[1].a = 4; /* into another register */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 0);
    ins[1].op = PVM_OP_LOAD_U64, ins[1].a = 3; /* an absolute address: no base */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_64], ins, 0, &d), 0);
    ins[0].op = PVM_OP_ADD_IMM_64; /* an add_imm in a block that ends in a zero test: emit_count_branch */
    block.term_op = PVM_OP_BRANCH_NE_IMM;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 0); /* not in place */
    ins[0].b = ins[0].a;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 2);
    block.count = 7; /* the branch six instructions on: too far */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 0);
    block.count = 6;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 2);
    block.count = 3;
    ins[2].op = PVM_OP_SET_LT_U_IMM;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_ADD_IMM_64], ins, 0, &d), 1);
    /* a right shift, a left shift: a funnel shift only with an or after them */
    ins[0] = (pvm_instr){.op = PVM_OP_SHLO_R_IMM_64, .a = 3, .b = 1, .imm = 8};
    ins[1] = (pvm_instr){.op = PVM_OP_SHLO_L_IMM_64, .a = 4, .b = 2, .imm = 56};
    ins[2] = (pvm_instr){.op = PVM_OP_OR, .a = 3, .b = 4, .d = 5};
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_R_IMM_64], ins, 0, &d), 1);
    ins[1].imm = 3; /* 8 + 3 */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_R_IMM_64], ins, 0, &d), 0);
    ins[1].imm = 56, ins[2].op = PVM_OP_ADD_64;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_R_IMM_64], ins, 0, &d), 0);
    /* a left shift, a right shift: a funnel shift with an or after them, else only by 32
     * (an extension, an element load) */
    ins[0] = (pvm_instr){.op = PVM_OP_SHLO_L_IMM_64, .a = 3, .b = 1, .imm = 44};
    ins[1] = (pvm_instr){.op = PVM_OP_SHLO_R_IMM_64, .a = 3, .b = 3, .imm = 20};
    ins[2] = (pvm_instr){.op = PVM_OP_LOAD_IMM, .a = 5};
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 0);
    ins[2].op = PVM_OP_OR;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 1);
    ins[1].imm = 44; /* 44 + 44: no funnel shift */
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 0);
    ins[1].imm = 20;
    ins[2].op = PVM_OP_LOAD_IMM, ins[0].imm = 32;
    assert_int_equal(jit_may_start_group(flt->next, flt->route[PVM_OP_SHLO_L_IMM_64], ins, 0, &d), 1);
    /* a narrow left shift, then a right shift of its result: a bit field (else a funnel shift only) */
    const jit_group_filter *nf = jit_group_filter_get(true);
    ins[0] = (pvm_instr){.op = PVM_OP_SHLO_L_IMM_32, .a = 3, .b = 1, .imm = 3};
    ins[1] = (pvm_instr){.op = PVM_OP_SHLO_R_IMM_32, .a = 3, .b = 3, .imm = 5};
    ins[2] = (pvm_instr){.op = PVM_OP_LOAD_IMM, .a = 5};
    assert_int_equal(jit_may_start_group(nf->next, nf->route[PVM_OP_SHLO_L_IMM_32], ins, 0, &d), 1);
    ins[1].b = 2;
    assert_int_equal(jit_may_start_group(nf->next, nf->route[PVM_OP_SHLO_L_IMM_32], ins, 0, &d), 0);
    assert_int_equal(flt->route[PVM_OP_ROT_R_32_IMM], JIT_ROUTE_ALWAYS); /* looks further itself */
    assert_int_equal(jit_group_filter_get(true)->route[PVM_OP_MUL_UPPER_U_U], JIT_ROUTE_ALWAYS);
    assert_true(flt->route[PVM_OP_MUL_UPPER_U_U] >= JIT_ROUTE_CLASS); /* 64-bit: by the next op */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_listed_group_reaches_its_emitter),
                                       cmocka_unit_test(the_filter_admits_nothing_unlisted),
                                       cmocka_unit_test(the_next_instruction_decides)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
