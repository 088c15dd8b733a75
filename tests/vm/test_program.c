/* Program formats: good inputs load; bad ones are rejected with a message
 * naming the offset and the reason; none crash (run under ASan too). */
#include <string.h>
#include "test_util.h"

static pvm_engine *engine;

static int setup(void **s)
{
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    return pvm_engine_new(&cfg, &engine, NULL);
}
static int teardown(void **s)
{
    pvm_engine_free(engine);
    return 0;
}

static pvm_status load(const uint8_t *p, size_t n, pvm_format f, pvm_error *err)
{
    pvm_module *m = NULL;
    pvm_module_config mc = {.format = f, .isa = PVM_ISA_GP07};
    memset(err->msg, 0, sizeof err->msg);
    pvm_status st = pvm_module_compile(engine, p, n, &mc, NULL, &m, err);
    if (st == PVM_OK) pvm_module_release(m);
    return st;
}

#define EXPECT_REJECT(p, n, f, needle)                                                        \
    do {                                                                                      \
        pvm_error e_;                                                                         \
        assert_int_equal(load((p), (n), (f), &e_), PVM_ERR_BAD_PROGRAM);                      \
        if (!strstr(e_.msg, (needle))) fail_msg("message '%s' lacks '%s'", e_.msg, (needle)); \
    } while (0)

/* A small program with a jump table, exports, ro and rw data. */
static pvm_builder *sample(pvm_isa isa)
{
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label main_l = pvm_builder_label(b), target = pvm_builder_label(b);
    const uint8_t ro[] = {1, 2, 3}, rw[] = {4, 5};
    pvm_builder_set_ro_data(b, ro, 3, 4096);
    pvm_builder_set_rw_data(b, rw, 2, 8192);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "main", main_l);
    pvm_builder_bind(b, main_l);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 7, 42);
    pvm_emit_jump(b, PVM_OP_JUMP, target);
    pvm_builder_bind(b, target);
    pvm_builder_jump_table_add(b, target);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    return b;
}

static void finish(pvm_builder *b, pvm_format f, uint8_t **out, size_t *len)
{
    pvm_error err = {{0}};
    pvm_status st = f == PVM_FORMAT_POLKAVM       ? pvm_builder_finish_polkavm(b, out, len, &err)
                    : f == PVM_FORMAT_GP_STANDARD ? pvm_builder_finish_gp_standard(b, out, len, &err)
                                                  : pvm_builder_finish_gp(b, out, len, &err);
    if (st) fail_msg("builder: %s", err.msg);
    pvm_builder_free(b);
}

static void test_good_inputs(void **s)
{
    const pvm_format fs[] = {PVM_FORMAT_GP_BLOB, PVM_FORMAT_GP_STANDARD, PVM_FORMAT_POLKAVM};
    for (int i = 0; i < 3; i++) {
        uint8_t *p;
        size_t n;
        finish(sample(fs[i] == PVM_FORMAT_POLKAVM ? PVM_ISA_LATEST64 : PVM_ISA_GP07), fs[i], &p, &n);
        pvm_error err;
        if (load(p, n, fs[i], &err)) fail_msg("format %d: %s", fs[i], err.msg);
        free(p);
    }
}

/* Every strict prefix of a valid blob is rejected, never crashes. */
static void truncate_all(pvm_format f, pvm_isa isa, bool fix_container_length)
{
    uint8_t *p;
    size_t n;
    finish(sample(isa), f, &p, &n);
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *q = malloc(cut ? cut : 1);
        memcpy(q, p, cut);
        if (fix_container_length && cut >= 13)
            for (int k = 0; k < 8; k++) q[5 + k] = (uint8_t)((uint64_t)cut >> (8 * k));
        pvm_error err;
        pvm_status st = load(q, cut, f, &err);
        if (st != PVM_ERR_BAD_PROGRAM) fail_msg("format %d cut at %zu: status %d", f, cut, st);
        assert_true(strlen(err.msg) > 0);
        assert_null(strchr(err.msg, '\n'));
        free(q);
    }
    free(p);
}

static void test_truncated_gp(void **s) { truncate_all(PVM_FORMAT_GP_BLOB, PVM_ISA_GP07, false); }
static void test_truncated_gp_standard(void **s) { truncate_all(PVM_FORMAT_GP_STANDARD, PVM_ISA_GP07, false); }
static void test_truncated_container(void **s)
{
    truncate_all(PVM_FORMAT_POLKAVM, PVM_ISA_LATEST64, false);
    truncate_all(PVM_FORMAT_POLKAVM, PVM_ISA_LATEST64, true);
}

static void test_container_header(void **s)
{
    uint8_t *p;
    size_t n;
    finish(sample(PVM_ISA_LATEST64), PVM_FORMAT_POLKAVM, &p, &n);
    p[0] = 'X';
    EXPECT_REJECT(p, n, PVM_FORMAT_POLKAVM, "wrong magic");
    p[0] = 'P';
    p[4] = 9;
    EXPECT_REJECT(p, n, PVM_FORMAT_POLKAVM, "unsupported version 9");
    p[4] = 2;
    p[5] ^= 1;
    EXPECT_REJECT(p, n, PVM_FORMAT_POLKAVM, "header says");
    p[5] ^= 1;
    /* All four version bytes load (the code only uses ops common to all). */
    for (uint8_t v = 0; v < 4; v++) {
        p[4] = v;
        pvm_error err;
        if (load(p, n, PVM_FORMAT_POLKAVM, &err)) fail_msg("version %u: %s", v, err.msg);
    }
    free(p);
}

/* Hand-made containers for the section-level checks. */
static size_t container(uint8_t *out, const uint8_t *sections, size_t n)
{
    memcpy(out, "PVM\0\x02", 5);
    memcpy(out + 13, sections, n);
    size_t len = 13 + n;
    for (int k = 0; k < 8; k++) out[5 + k] = (uint8_t)((uint64_t)len >> (8 * k));
    return len;
}

static void test_container_sections(void **s)
{
    uint8_t buf[128];
    /* code: 0 jump entries, size 0, 1 byte of code (trap), bitmask 01 */
    const uint8_t ok[] = {6, 5, 0, 0, 1, 0, 1, 0};
    pvm_error err;
    assert_int_equal(load(buf, container(buf, ok, sizeof ok), PVM_FORMAT_POLKAVM, &err), PVM_OK);
    const uint8_t out_of_order[] = {6, 5, 0, 0, 1, 0, 1, 2, 0, 0};
    EXPECT_REJECT(buf, container(buf, out_of_order, sizeof out_of_order), PVM_FORMAT_POLKAVM, "out of order");
    const uint8_t bad_varint[] = {6, 0xFF, 0};
    EXPECT_REJECT(buf, container(buf, bad_varint, sizeof bad_varint), PVM_FORMAT_POLKAVM, "bad length");
    const uint8_t past_end[] = {2, 50, 1, 0};
    EXPECT_REJECT(buf, container(buf, past_end, sizeof past_end), PVM_FORMAT_POLKAVM, "runs past the end");
    const uint8_t short_mask[] = {6, 3, 0, 0, 9, 0};
    EXPECT_REJECT(buf, container(buf, short_mask, sizeof short_mask), PVM_FORMAT_POLKAVM, "runs past the section");
    const uint8_t mask_len[] = {6, 13, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    EXPECT_REJECT(buf, container(buf, mask_len, sizeof mask_len), PVM_FORMAT_POLKAVM, "bitmask is 1 bytes, code needs 2");
    const uint8_t unknown[] = {7, 0, 0};
    EXPECT_REJECT(buf, container(buf, unknown, sizeof unknown), PVM_FORMAT_POLKAVM, "unknown section id 7");
    const uint8_t debug_skipped[] = {6, 5, 0, 0, 1, 0, 1, 130, 2, 9, 9, 0};
    assert_int_equal(load(buf, container(buf, debug_skipped, sizeof debug_skipped), PVM_FORMAT_POLKAVM, &err), PVM_OK);
    const uint8_t no_code[] = {0};
    EXPECT_REJECT(buf, container(buf, no_code, sizeof no_code), PVM_FORMAT_POLKAVM, "no code section");
    const uint8_t mem_cfg_bad[] = {1, 4, 1, 1, 1, 1, 6, 5, 0, 0, 1, 0, 1, 0};
    EXPECT_REJECT(buf, container(buf, mem_cfg_bad, sizeof mem_cfg_bad), PVM_FORMAT_POLKAVM, "memory config");
    const uint8_t ro_too_big[] = {1, 3, 1, 0, 0, 2, 2, 7, 7, 6, 5, 0, 0, 1, 0, 1, 0};
    EXPECT_REJECT(buf, container(buf, ro_too_big, sizeof ro_too_big), PVM_FORMAT_POLKAVM, "exceeds ro_data_size");
    /* jump table entry 1 points into the middle of load_imm (not a block start) */
    const uint8_t jt_bad[] = {6, 9, 1, 1, 4, 1, 51, 7, 1, 0, 0x03, 0};
    EXPECT_REJECT(buf, container(buf, jt_bad, sizeof jt_bad), PVM_FORMAT_POLKAVM, "not a basic-block start");
    const uint8_t pad_bits[] = {6, 5, 0, 0, 1, 0, 0x81, 0};
    EXPECT_REJECT(buf, container(buf, pad_bits, sizeof pad_bits), PVM_FORMAT_POLKAVM, "padding bits");
    const uint8_t exports_bad[] = {5, 3, 1, 9, 5, 6, 5, 0, 0, 1, 0, 1, 0};
    EXPECT_REJECT(buf, container(buf, exports_bad, sizeof exports_bad), PVM_FORMAT_POLKAVM, "export 0 name");
}

static void test_gp_blob_errors(void **s)
{
    const uint8_t ok[] = {0, 0, 3, 190, 0x87, 9, 1};
    pvm_error err;
    assert_int_equal(load(ok, sizeof ok, PVM_FORMAT_GP_BLOB, &err), PVM_OK);
    const uint8_t trailing[] = {0, 0, 3, 190, 0x87, 9, 1, 0};
    EXPECT_REJECT(trailing, sizeof trailing, PVM_FORMAT_GP_BLOB, "trailing bytes");
    const uint8_t short_mask[] = {0, 0, 9, 190, 0x87, 9, 1, 1, 1, 1, 1, 1, 1};
    EXPECT_REJECT(short_mask, sizeof short_mask, PVM_FORMAT_GP_BLOB, "bitmask is 1 bytes, code needs 2");
    const uint8_t big_z[] = {1, 5, 1, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_REJECT(big_z, sizeof big_z, PVM_FORMAT_GP_BLOB, "entry size 5");
    const uint8_t jt_past[] = {1, 1, 1, 7, 0, 1};
    EXPECT_REJECT(jt_past, sizeof jt_past, PVM_FORMAT_GP_BLOB, "past the end of the code");
    const uint8_t huge_len[] = {0, 0, 0xF0, 0xff, 0xff, 0xff, 0xff};
    EXPECT_REJECT(huge_len, sizeof huge_len, PVM_FORMAT_GP_BLOB, "too large");
    /* GP 0.7 keeps invalid jump-table entries lazy: the program loads, the jump panics. */
    const uint8_t jt_mid[] = {1, 1, 3, 1, 51, 7, 1, 1};
    assert_int_equal(load(jt_mid, sizeof jt_mid, PVM_FORMAT_GP_BLOB, &err), PVM_OK);
}

static void test_gp_standard_layout_check(void **s)
{
    /* The program length field must match what follows. (The 3-byte size fields
     * cannot exceed 2^32 in total, so the GP layout bound is never hit here.) */
    const uint8_t ok[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 1, 0, 1};
    pvm_error err;
    if (load(ok, sizeof ok - 1, PVM_FORMAT_GP_STANDARD, &err) != PVM_ERR_BAD_PROGRAM) fail();
    const uint8_t bad[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 1, 0, 1};
    EXPECT_REJECT(bad, sizeof bad, PVM_FORMAT_GP_STANDARD, "program length 9 does not match");
}

/* Random byte flips of a valid container: never a crash, always ok or a message. */
static void test_mutations_do_not_crash(void **s)
{
    uint8_t *p;
    size_t n;
    finish(sample(PVM_ISA_LATEST64), PVM_FORMAT_POLKAVM, &p, &n);
    uint32_t seed = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        uint8_t *q = malloc(n);
        memcpy(q, p, n);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            q[(seed >> 8) % n] ^= (uint8_t)(1u << ((seed >> 4) % 8));
        }
        pvm_error err;
        pvm_status st = load(q, n, PVM_FORMAT_AUTO, &err);
        if (!(st == PVM_OK || (st == PVM_ERR_BAD_PROGRAM && err.msg[0])))
            fail_msg("iteration %d: status %d: %s", iter, st, err.msg);
        free(q);
    }
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_inputs),          cmocka_unit_test(test_truncated_gp),
        cmocka_unit_test(test_truncated_gp_standard), cmocka_unit_test(test_truncated_container),
        cmocka_unit_test(test_container_header),     cmocka_unit_test(test_container_sections),
        cmocka_unit_test(test_gp_blob_errors),       cmocka_unit_test(test_gp_standard_layout_check),
        cmocka_unit_test(test_mutations_do_not_crash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
