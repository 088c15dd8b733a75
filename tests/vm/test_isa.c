/* The ISA table: per-variant numbering, operand kinds, and the decoder's
 * reading of every operand kind. */
#include <stdio.h>
#include <string.h>
#include "vm/program/decode.h"
#include "test_util.h"

static int count_ops(pvm_isa isa)
{
    int n = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) n += pvm_isa_encode_opcode(isa, (pvm_op)op) >= 0;
    return n;
}

static void test_opcode_counts(void **s)
{
    assert_int_equal(count_ops(PVM_ISA_GP07), 139);
    assert_int_equal(count_ops(PVM_ISA_JAMV1), 139);
    assert_int_equal(count_ops(PVM_ISA_LATEST64), 141);
    assert_int_equal(count_ops(PVM_ISA_REVIVEV1), 138);
    /* Latest32 drops the 64-bit-only ops. */
    int b64 = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++) b64 += !!(pvm_op_table[op].flags & PVM_ISA_B64);
    assert_int_equal(count_ops(PVM_ISA_LATEST32), 141 - b64);
}

static void test_numbering_roundtrip(void **s)
{
    for (int v = 0; v < PVM_ISA_COUNT; v++) {
        int seen[256] = {0};
        for (int op = 0; op < PVM_OP_INVALID; op++) {
            int n = pvm_isa_encode_opcode((pvm_isa)v, (pvm_op)op);
            if (n < 0) continue;
            assert_true(n < 256);
            assert_int_equal(seen[n]++, 0); /* no two ops share a byte */
            assert_int_equal(pvm_isa_decode_opcode((pvm_isa)v, (uint8_t)n), op);
        }
        for (int b = 0; b < 256; b++)
            if (!seen[b]) assert_int_equal(pvm_isa_decode_opcode((pvm_isa)v, (uint8_t)b), PVM_OP_INVALID);
    }
}

/* Mnemonics name one op each, both ways; anything else names none. */
static void test_names_roundtrip(void **s)
{
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        pvm_op named = PVM_OP_COUNT;
        assert_true(pvm_op_from_name(pvm_op_table[op].name, &named));
        assert_int_equal(named, op);
    }
    pvm_op named = PVM_OP_COUNT;
    assert_false(pvm_op_from_name("add", &named));
    assert_false(pvm_op_from_name("add_64 ", &named));
    assert_false(pvm_op_from_name("", &named));
    assert_false(pvm_op_from_name(NULL, &named));
    assert_int_equal(named, PVM_OP_COUNT);
}

static void test_variant_differences(void **s)
{
    /* GP 0.7.x: sbrk = 101, count_set_bits_64 = 102; JamV1: sbrk gone, 102..111 shifted down, unlikely = 2. */
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_GP07, 101), PVM_OP_SBRK);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_GP07, 102), PVM_OP_COUNT_SET_BITS_64);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_JAMV1, 101), PVM_OP_COUNT_SET_BITS_64);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_JAMV1, 110), PVM_OP_REVERSE_BYTES);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_JAMV1, 111), PVM_OP_INVALID);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_JAMV1, 2), PVM_OP_UNLIKELY);
    assert_int_equal(pvm_isa_encode_opcode(PVM_ISA_JAMV1, PVM_OP_SBRK), -1);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_LATEST64, 3), PVM_OP_UNLIKELY);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_LATEST64, 2), PVM_OP_MEMSET);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_GP07, 2), PVM_OP_INVALID);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_LATEST32, 200), PVM_OP_INVALID); /* add_64 */
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_LATEST32, 190), PVM_OP_ADD_32);
    assert_int_equal(pvm_isa_decode_opcode(PVM_ISA_REVIVEV1, 101), PVM_OP_INVALID);
    assert_true(pvm_op_is_terminator(PVM_OP_BRANCH_GE_S));
    assert_false(pvm_op_is_terminator(PVM_OP_ECALLI));
    assert_false(pvm_op_is_terminator(PVM_OP_UNLIKELY));
}

static void test_mem_access_table(void **s)
{
    pvm_mem_access a = pvm_op_mem_access(PVM_OP_LOAD_IND_I16);
    assert_int_equal(a.width, 2);
    assert_true(a.is_signed);
    assert_false(a.is_store);
    a = pvm_op_mem_access(PVM_OP_STORE_IMM_IND_U64);
    assert_int_equal(a.width, 8);
    assert_true(a.is_store);
    assert_int_equal(pvm_op_mem_access(PVM_OP_LOAD_IMM).width, 0);
    assert_int_equal(pvm_op_mem_access(PVM_OP_LOAD_IMM_JUMP).width, 0);
    assert_int_equal(pvm_op_mem_access(PVM_OP_ADD_64).width, 0);
}

/* The class columns agree with each other and with the operand kinds: a
 * load group op reads memory, a store writes it, only they touch memory;
 * branches, jumps and control ops are the terminators; every op has a
 * pipeline class and the load/store/branch classes are exactly those groups. */
static void test_class_columns_agree(void **s)
{
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        const pvm_op_info *i = &pvm_op_table[op];
        pvm_op_group g = pvm_op_group_of((pvm_op)op);
        pvm_mem_access m = pvm_op_mem_access((pvm_op)op);
        assert_true(g < PVM_GROUP_COUNT);
        assert_true(i->pipeline_class < PVM_CLASS_COUNT);
        if (g == PVM_GROUP_LOAD) assert_true(m.width && !m.is_store);
        else if (g == PVM_GROUP_STORE) assert_true(m.width && m.is_store && !m.is_signed);
        else assert_int_equal(m.width, 0);
        assert_true(m.width == 0 || m.width == 1 || m.width == 2 || m.width == 4 || m.width == 8);
        bool ends = g == PVM_GROUP_BRANCH || g == PVM_GROUP_JUMP || g == PVM_GROUP_JUMP_IND ||
                    (g == PVM_GROUP_CONTROL && op != PVM_OP_UNLIKELY);
        if (ends != pvm_op_is_terminator((pvm_op)op)) fail_msg("%s: group %s vs terminator flag", i->name, pvm_group_name(g));
        assert_int_equal(g == PVM_GROUP_LOAD, i->pipeline_class == PVM_CLASS_LOAD);
        assert_int_equal(g == PVM_GROUP_STORE, i->pipeline_class == PVM_CLASS_STORE);
        assert_int_equal(g == PVM_GROUP_BRANCH, i->pipeline_class == PVM_CLASS_BRANCH);
        assert_int_equal(g == PVM_GROUP_DIV, i->pipeline_class == PVM_CLASS_DIV);
        /* The memory column spells out what the mnemonic says (a cross-check, not a source). */
        if (m.width) {
            char want[8];
            snprintf(want, sizeof want, "_%c%d", m.is_signed ? 'i' : 'u', m.width * 8);
            const char *suffix = strrchr(i->name, '_');
            assert_non_null(suffix);
            assert_string_equal(suffix, want);
        }
        /* The remainder flag: the rem_* divisions, nothing else (a cross-check, not a source). */
        bool rem = g == PVM_GROUP_DIV && strncmp(i->name, "rem_", 4) == 0;
        if (rem != pvm_op_is_remainder((pvm_op)op)) fail_msg("%s: remainder flag", i->name);
        /* The bitwise-logic flag: and/or/xor/xnor and their forms (a cross-check, not a source). */
        bool logic = g == PVM_GROUP_ALU && (strncmp(i->name, "and", 3) == 0 || strncmp(i->name, "or", 2) == 0 ||
                                            strncmp(i->name, "xor", 3) == 0 || strcmp(i->name, "xnor") == 0);
        if (logic != pvm_op_is_bitwise_logic((pvm_op)op)) fail_msg("%s: bitwise-logic flag", i->name);
        /* The 32-bit flag: the register ops named *_32 or *_32_*, present in Latest32 (a cross-check). */
        const char *at = strstr(i->name, "_32");
        bool w32 = !pvm_op_mem_access((pvm_op)op).width && at && (at[3] == '\0' || at[3] == '_');
        if (w32 != pvm_op_is_32bit((pvm_op)op)) fail_msg("%s: 32-bit flag", i->name);
        if (w32) assert_int_not_equal(pvm_isa_encode_opcode(PVM_ISA_LATEST32, (pvm_op)op), -1);
        /* The signed flag: the _s forms, shar, max, min (a cross-check). */
        size_t len = strlen(i->name);
        bool sgn = strstr(i->name, "_s_") != NULL || (len > 2 && strcmp(i->name + len - 2, "_s") == 0) ||
                   strncmp(i->name, "shar_", 5) == 0 || strcmp(i->name, "max") == 0 || strcmp(i->name, "min") == 0;
        if (sgn != pvm_op_is_signed((pvm_op)op)) fail_msg("%s: signed flag", i->name);
    }
    assert_string_equal(pvm_group_name(PVM_GROUP_JUMP_IND), "jump_ind");
    assert_string_equal(pvm_group_name(PVM_GROUP_COUNT), "?");
    assert_string_equal(pvm_pipeline_class_name(PVM_CLASS_MUL_UPPER_SU), "mul_upper_su");
}

/* Decode raw bytes (all bits of the bitmask given) as one program. */
static void decode_raw(pvm_isa isa, const uint8_t *code, uint32_t n, const uint8_t *mask, pvm_decoded *d)
{
    pvm_error err;
    assert_int_equal(pvm_decode_program(isa, code, n, mask, NULL, 0, d, &err), PVM_OK);
}

static void test_operand_kinds(void **s)
{
    pvm_decoded d;
    /* reg3: add_32 r9 = r7 + r8 (the README example). */
    const uint8_t add32[] = {190, 0x87, 9}, m1[] = {1, 0};
    decode_raw(PVM_ISA_GP07, add32, 3, m1, &d);
    assert_int_equal(d.instrs[0].op, PVM_OP_ADD_32);
    assert_int_equal(d.instrs[0].a, 7);
    assert_int_equal(d.instrs[0].b, 8);
    assert_int_equal(d.instrs[0].d, 9);
    assert_int_equal(d.n_instrs, 2); /* plus the implicit trap at the end */
    assert_int_equal(d.instrs[1].pc, 3);
    pvm_decoded_free(&d);
    /* load_imm sign-extends: 04 07 f6 -> r7 = -10 (GP: 51 = load_imm). */
    const uint8_t li[] = {51, 0x07, 0xf6};
    decode_raw(PVM_ISA_GP07, li, 3, m1, &d);
    assert_int_equal(d.instrs[0].imm, (uint64_t)-10);
    pvm_decoded_free(&d);
    /* Register nibbles above 12 clamp to 12; reg_reg puts the destination in the low nibble. */
    const uint8_t mv[] = {100, 0xF3};
    decode_raw(PVM_ISA_GP07, mv, 2, m1, &d);
    assert_int_equal(d.instrs[0].d, 3);
    assert_int_equal(d.instrs[0].a, 12);
    pvm_decoded_free(&d);
    /* reg_imm_off: branch_eq_imm r1, 5, +0 with lX from the high nibble. */
    const uint8_t br[] = {81, 0x11, 5, 0, 0, 0, 0};
    decode_raw(PVM_ISA_GP07, br, 7, m1, &d);
    assert_int_equal(d.instrs[0].a, 1);
    assert_int_equal(d.instrs[0].imm, 5);
    assert_int_equal(d.instrs[0].target_pc, 0);
    assert_int_equal(d.instrs[0].target, 0);
    pvm_decoded_free(&d);
    /* Immediates longer than 4 bytes are clamped; reading past the code gives zeros. */
    const uint8_t ecall[] = {10, 0x01, 0x02, 0x03, 0x84, 0x99};
    decode_raw(PVM_ISA_GP07, ecall, 6, m1, &d);
    assert_int_equal(d.instrs[0].imm, (uint64_t)(int64_t)(int32_t)0x84030201);
    pvm_decoded_free(&d);
    /* reg_reg_imm_imm: load_imm_jump_ind a=1 b=2 x=-1 (1 byte) y=0x10 */
    const uint8_t lij[] = {180, 0x21, 1, 0xff, 0x10};
    decode_raw(PVM_ISA_GP07, lij, 5, m1, &d);
    assert_int_equal(d.instrs[0].a, 1);
    assert_int_equal(d.instrs[0].b, 2);
    assert_int_equal(d.instrs[0].imm, UINT64_MAX);
    assert_int_equal(d.instrs[0].imm2, 0x10);
    pvm_decoded_free(&d);
    /* reg_imm64 reads 8 raw bytes. */
    const uint8_t li64[] = {20, 0x03, 1, 2, 3, 4, 5, 6, 7, 0x88};
    decode_raw(PVM_ISA_GP07, li64, 10, m1, &d);
    assert_int_equal(d.instrs[0].imm, 0x8807060504030201ull);
    pvm_decoded_free(&d);
    /* GP: rD of reg3 is min(12, whole byte); PolkaVM variants take the low nibble. */
    const uint8_t r3[] = {200, 0x21, 0x13};
    decode_raw(PVM_ISA_GP07, r3, 3, m1, &d);
    assert_int_equal(d.instrs[0].d, 12);
    pvm_decoded_free(&d);
    decode_raw(PVM_ISA_LATEST64, r3, 3, m1, &d);
    assert_int_equal(d.instrs[0].d, 3);
    pvm_decoded_free(&d);
}

static void test_skip_and_blocks(void **s)
{
    /* A byte without its bitmask bit is a trap; a gap longer than 24 bytes
     * puts an implicit trap at pc+25; blocks start after terminators. */
    uint8_t code[40] = {0};
    uint8_t mask[5] = {0};
    code[0] = 1; /* fallthrough */
    mask[0] = 1 | 2; /* instructions at 0 and 1 */
    code[1] = 51; /* load_imm with a long gap after it */
    pvm_decoded d;
    decode_raw(PVM_ISA_GP07, code, 40, mask, &d);
    assert_int_equal(d.instrs[0].op, PVM_OP_FALLTHROUGH);
    assert_int_equal(d.instrs[1].pc, 1);
    assert_true(d.instrs[1].block_start);
    assert_int_equal(d.instrs[1].len, 25); /* skip capped at 24 */
    assert_int_equal(d.instrs[2].pc, 26);
    assert_int_equal(d.instrs[2].op, PVM_OP_INVALID);
    assert_false(pvm_decoded_is_jump_target(&d, 26));
    assert_true(pvm_decoded_is_jump_target(&d, 1));
    assert_false(pvm_decoded_is_jump_target(&d, 2));
    pvm_decoded_free(&d);
}

/* GP 0.8 / PolkaVM: a branch with an invalid target or fall-through traps
 * whether taken or not; GP 0.7 keeps it (it panics only when taken). */
static void test_strict_branches(void **s)
{
    /* branch_eq_imm r0, 0, +2 (into its own operands), then trap */
    const uint8_t code[] = {81, 0x00, 2, 0}, mask[] = {0x9};
    pvm_decoded d;
    decode_raw(PVM_ISA_GP07, code, 4, mask, &d);
    assert_int_equal(d.instrs[0].op, PVM_OP_BRANCH_EQ_IMM);
    pvm_decoded_free(&d);
    decode_raw(PVM_ISA_JAMV1, code, 4, mask, &d);
    assert_int_equal(d.instrs[0].op, PVM_OP_INVALID);
    pvm_decoded_free(&d);
    /* a valid branch to itself, last instruction: its fall-through is the end of the code */
    const uint8_t last[] = {81, 0x00, 0, 0}, m2[] = {0x1};
    decode_raw(PVM_ISA_LATEST64, last, 4, m2, &d);
    assert_int_equal(d.instrs[0].op, PVM_OP_INVALID);
    pvm_decoded_free(&d);
}

/* Every op of every variant round-trips through the builder and the decoder. */
static void test_builder_roundtrip_all_ops(void **s)
{
    for (int v = 0; v < PVM_ISA_COUNT; v++) {
        pvm_builder *b = pvm_builder_new((pvm_isa)v);
        pvm_label l = pvm_builder_label(b);
        pvm_builder_bind(b, l);
        int n = 0;
        for (int op = 0; op < PVM_OP_INVALID; op++) {
            if (pvm_isa_encode_opcode((pvm_isa)v, (pvm_op)op) < 0) continue;
            n++;
            switch (pvm_op_table[op].kind) {
            case PVM_KIND_NONE: pvm_emit_none(b, op); break;
            case PVM_KIND_IMM: pvm_emit_imm(b, op, -3); break;
            case PVM_KIND_REG_IMM64: pvm_emit_reg_imm64(b, op, 4, 0x123456789abcdefull); break;
            case PVM_KIND_IMM_IMM: pvm_emit_imm_imm(b, op, 0x12345, -2); break;
            case PVM_KIND_OFF: pvm_emit_jump(b, op, l); break;
            case PVM_KIND_REG_IMM: pvm_emit_reg_imm(b, op, 5, 1000); break;
            case PVM_KIND_REG_IMM_IMM: pvm_emit_reg_imm_imm(b, op, 6, -129, 7); break;
            case PVM_KIND_REG_IMM_OFF: pvm_emit_reg_imm_jump(b, op, 7, 300, l); break;
            case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, 8, 9); break;
            case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, 10, 11, INT32_MIN); break;
            case PVM_KIND_REG_REG_OFF: pvm_emit_reg_reg_jump(b, op, 12, 0, l); break;
            case PVM_KIND_REG_REG_IMM_IMM: pvm_emit_reg_reg_imm_imm(b, op, 1, 2, 3, -4); break;
            case PVM_KIND_REG3: pvm_emit_reg3(b, op, 3, 4, 5); break;
            default: fail();
            }
        }
        uint8_t *blob;
        size_t len;
        pvm_error err = {{0}};
        pvm_status st = v == PVM_ISA_GP07 ? pvm_builder_finish_gp(b, &blob, &len, &err)
                                          : pvm_builder_finish_polkavm(b, &blob, &len, &err);
        if (st) fail_msg("%s: %s", pvm_isa_name((pvm_isa)v), err.msg);
        pvm_builder_free(b);
        pvm_engine *e;
        pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
        assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
        pvm_module *m;
        pvm_module_config mc = {.format = PVM_FORMAT_AUTO, .isa = PVM_ISA_GP07};
        st = pvm_module_compile(e, blob, len, &mc, NULL, &m, &err);
        if (st) fail_msg("%s: %s", pvm_isa_name((pvm_isa)v), err.msg);
        assert_int_equal(pvm_module_instruction_count(m), n + 1);
        assert_int_equal(pvm_module_isa(m), v);
        pvm_engine_free(e);
        free(blob);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opcode_counts),        cmocka_unit_test(test_numbering_roundtrip),
        cmocka_unit_test(test_variant_differences),  cmocka_unit_test(test_mem_access_table),
        cmocka_unit_test(test_class_columns_agree),  cmocka_unit_test(test_names_roundtrip),
        cmocka_unit_test(test_operand_kinds),        cmocka_unit_test(test_skip_and_blocks),
        cmocka_unit_test(test_builder_roundtrip_all_ops), cmocka_unit_test(test_strict_branches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
