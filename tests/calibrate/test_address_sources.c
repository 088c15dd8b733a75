/* The address-source measure (costmodel/microbench/address_sources.h) on a program whose
 * every access's source is known, and the block trace it runs on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "costmodel/microbench/address_sources.h"
#include "costmodel/microbench/frame.h"
#include "costmodel/microbench/microbench.h"
#include "pvm/pvm.h"
#include "vm/isa/isa.h"

enum { TRIPS = 100 };

/* One trip: a load through sp (stack); one through the trip counter (no load behind it:
 * other); one through the value that load gave, 2 instructions later (<= 4); six filler
 * ops, then one through the sp load's value, 12 after it (<= 16). */
static void build(mb_program *p)
{
    memset(p, 0, sizeof *p);
    mb_frame f;
    assert_int_equal(mb_frame_begin(&f, 4096), 0);
    pvm_builder *b = f.b;
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, R_SP, MB_RW_ADDR);
    mb_frame_loop_top(&f);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, R_A1, R_SP, 8);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, R_A2, R_COUNTER, 0xff8);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, R_A3, R_A2, MB_RW_ADDR);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, R_A4, R_A3, 0xff8);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, R_A0, R_A4, MB_RW_ADDR);
    for (int i = 0; i < 6; i++) pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, R_S1, R_S1, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_AND_IMM, R_A5, R_A1, 0xff8);
    pvm_emit_reg_reg_imm(b, PVM_OP_LOAD_IND_U64, R_A0, R_A5, MB_RW_ADDR);
    mb_frame_loop_end(&f);
    char err[256];
    if (mb_frame_finish(&f, R_A0, p, err, sizeof err) != 0) fail_msg("%s", err);
}

static void every_access_in_its_bucket(void **unused)
{
    (void)unused;
    mb_program p;
    build(&p);
    uint64_t arg = TRIPS;
    mb_address_sources a;
    char err[256];
    if (mb_address_sources_measure(p.blob, p.blob_len, NULL, 0, 0, "main", &arg, 1, &a, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(a.accesses, 4 * TRIPS);
    assert_int_equal(a.bucket[MB_ADDR_STACK], TRIPS);
    assert_int_equal(a.bucket[MB_ADDR_OTHER], TRIPS);
    assert_int_equal(a.bucket[MB_ADDR_LOADED_4], TRIPS);
    assert_int_equal(a.bucket[MB_ADDR_LOADED_16], TRIPS);
    assert_int_equal(a.bucket[MB_ADDR_LOADED_64], 0);
    /* the path: 13 instructions a trip and the loop's own, each counted once */
    assert_true(a.instructions >= 13 * TRIPS && a.instructions <= 16 * TRIPS + 8);
    mb_program_free(&p);
}

static unsigned entries;
static void count_entry(void *ctx, uint32_t pc)
{
    (void)ctx;
    (void)pc;
    entries++;
}

/* The block trace: one call per block entered, on the interpreter (as many as its block
 * count says); refused on the recompiler. */
static void block_trace_counts_entries(void **unused)
{
    (void)unused;
    mb_program p;
    build(&p);
    for (int backend = 0; backend < 2; backend++) {
        if (backend && !pvm_backend_available(PVM_BACKEND_JIT)) continue;
        pvm_engine_config c = {.backend = backend ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, .gas_mode = PVM_GAS_NONE};
        pvm_engine *e;
        pvm_module *m;
        pvm_instance *in;
        pvm_error perr = {{0}};
        assert_int_equal(pvm_engine_new(&c, &e, &perr), PVM_OK);
        assert_int_equal(pvm_module_compile(e, p.blob, p.blob_len, NULL, NULL, &m, &perr), PVM_OK);
        assert_int_equal(pvm_instance_new(m, &in, &perr), PVM_OK);
        pvm_status st = pvm_instance_set_block_trace(in, count_entry, NULL, &perr);
        if (backend) {
            assert_int_equal(st, PVM_ERR_UNSUPPORTED);
            assert_non_null(strstr(perr.msg, "block trace"));
        } else {
            assert_int_equal(st, PVM_OK);
            uint64_t arg = TRIPS;
            assert_int_equal(pvm_instance_prepare_call(in, "main", 0, &arg, 1, &perr), PVM_OK);
            pvm_result res;
            entries = 0;
            assert_int_equal(pvm_instance_run(in, &res, &perr), PVM_OK);
            assert_int_equal(res.kind, PVM_EXIT_HALT);
            assert_true(entries > TRIPS);
            assert_int_equal(entries, pvm_instance_stats(in).blocks);
        }
        pvm_instance_free(in);
        pvm_module_release(m);
        pvm_engine_free(e);
    }
    mb_program_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_access_in_its_bucket),
        cmocka_unit_test(block_trace_counts_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
