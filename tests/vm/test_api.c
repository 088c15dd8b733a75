/* Embedder API: gas modes, resumable out-of-gas, host calls with memory
 * access, module cache ids, errors. Runs on every available backend. */
#include <string.h>
#include "bench/sandbox/guest_programs.h" /* bench/sandbox: guest_sum_loop */
#include "vm/memory/lazy_cost.h"
#include "test_util.h"

static pvm_backend backends[2] = {PVM_BACKEND_INTERP, PVM_BACKEND_JIT};

/* sum = 0; for (i = n; i; i--) sum += i; a0 = sum */
static pvm_builder *sum_loop(void)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    guest_export(b, "sum");
    guest_sum_loop(b, false);
    guest_halt(b);
    return b;
}

static void run_backends(void (*fn)(pvm_backend))
{
    for (int i = 0; i < 2; i++)
        if (pvm_backend_available(backends[i])) fn(backends[i]);
}

/* sum(100) on the sum loop with gas in mode, run until it stops: the start of the gas tests. */
static void run_sum_100(test_vm *t, pvm_backend be, pvm_gas_mode mode, int64_t gas, pvm_result *r)
{
    test_vm_open(t, sum_loop(), be, mode, NULL);
    uint64_t n = 100;
    pvm_error err;
    assert_int_equal(pvm_instance_prepare_call(t->inst, "sum", 0, &n, 1, &err), PVM_OK);
    pvm_instance_set_gas(t->inst, gas);
    assert_int_equal(pvm_instance_run(t->inst, r, &err), PVM_OK);
}

static void sync_oog_resume(pvm_backend be)
{
    test_vm t;
    pvm_error err;
    pvm_result r;
    run_sum_100(&t, be, PVM_GAS_SYNC, 50, &r);
    assert_int_equal(r.kind, PVM_EXIT_OUT_OF_GAS);
    /* Out of gas at a block start: gas left is less than the next block's cost, and unchanged by it. */
    int64_t left = pvm_instance_gas(t.inst), cost;
    assert_int_equal(pvm_module_block_cost(t.module, r.pc, &cost, &err), PVM_OK);
    assert_true(left >= 0 && left < cost);
    assert_int_equal(pvm_instance_pc(t.inst), r.pc);
    /* Resume repeatedly with small gas top-ups until it halts; total gas = one uninterrupted run. */
    int64_t spent = 50 - left;
    int resumes = 0;
    while (r.kind == PVM_EXIT_OUT_OF_GAS) {
        pvm_instance_set_gas(t.inst, pvm_instance_gas(t.inst) + 7);
        spent += 7;
        assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
        resumes++;
    }
    spent -= pvm_instance_gas(t.inst);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(t.inst, 7), 5050);
    assert_true(resumes > 10);
    /* 2 (entry) + 100 * 3 (loop) + 2 (exit) instructions under the unit model */
    assert_int_equal(spent, 2 + 300 + 2);
    test_vm_close(&t);
}
static void test_sync_oog_resume(void **s) { run_backends(sync_oog_resume); }

static void async_oog(pvm_backend be)
{
    test_vm t;
    pvm_error err;
    pvm_result r;
    run_sum_100(&t, be, PVM_GAS_ASYNC, 50, &r);
    assert_int_equal(r.kind, PVM_EXIT_OUT_OF_GAS);
    assert_true(pvm_instance_gas(t.inst) < 0);
    assert_true(pvm_instance_gas(t.inst) >= -3);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_ERR_STATE);
    assert_non_null(strstr(err.msg, "finished"));
    test_vm_close(&t);
}
static void test_async_oog(void **s) { run_backends(async_oog); }

/* store a0 to [rw]; ecalli 7; a1 = [rw]; a0 = a0 + a1; halt */
static pvm_builder *host_call_program(void)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, 4096);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U64, 7, 0x20000);
    pvm_emit_imm(b, PVM_OP_ECALLI, 7);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_U64, 8, 0x20000);
    pvm_emit_reg3(b, PVM_OP_ADD_64, 7, 7, 8);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    return b;
}

static void ecalli_resume(pvm_backend be)
{
    test_vm t;
    test_vm_open(&t, host_call_program(), be, PVM_GAS_SYNC, NULL);
    uint64_t a = 1000;
    pvm_error err;
    pvm_result r;
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, &a, 1, &err), PVM_OK);
    pvm_instance_set_gas(t.inst, 100);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_ECALLI);
    assert_int_equal(r.ecalli, 7);
    int64_t gas_at_call = pvm_instance_gas(t.inst);
    assert_int_equal(gas_at_call, 100 - 5); /* the whole block was charged on entry */
    uint64_t v = 0;
    assert_int_equal(pvm_instance_read(t.inst, 0x20000, &v, 8, &err), PVM_OK);
    assert_int_equal(v, 1000);
    v = 234;
    assert_int_equal(pvm_instance_write(t.inst, 0x20000, &v, 8, &err), PVM_OK);
    assert_int_equal(pvm_instance_set_reg(t.inst, 7, 1, &err), PVM_OK);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(t.inst, 7), 235);
    assert_int_equal(pvm_instance_gas(t.inst), gas_at_call); /* resuming does not charge again */
    /* Host access errors name the page. */
    assert_int_equal(pvm_instance_read(t.inst, 0x50000, &v, 8, &err), PVM_ERR_OUT_OF_BOUNDS);
    assert_non_null(strstr(err.msg, "0x50000"));
    assert_int_equal(pvm_instance_write(t.inst, 0x20ffc, &v, 8, &err), PVM_ERR_OUT_OF_BOUNDS);
    assert_int_equal(pvm_instance_set_reg(t.inst, 13, 0, &err), PVM_ERR_INVALID_ARGUMENT);
    test_vm_close(&t);
}
static void test_ecalli_resume(void **s) { run_backends(ecalli_resume); }

/* A store to a read-only page panics in PolkaVM's Latest variants and is a page
 * fault in JamV1 / GP (pvm_isa_readonly_store_panics, vm/isa/isa.c). */
static void faults_isa(pvm_backend be, pvm_isa isa)
{
    pvm_builder *b = pvm_builder_new(isa);
    pvm_label f1 = pvm_builder_label(b), f2 = pvm_builder_label(b), f3 = pvm_builder_label(b);
    pvm_builder_set_ro_data(b, NULL, 0, 4096);
    pvm_builder_set_rw_data(b, NULL, 0, 4096);
    pvm_builder_export(b, "write_ro", f1);
    pvm_builder_export(b, "low", f2);
    pvm_builder_export(b, "straddle", f3);
    pvm_builder_bind(b, f1);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U8, 7, 0x10010);
    pvm_emit_none(b, PVM_OP_TRAP);
    pvm_builder_bind(b, f2);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_U8, 7, 0x100);
    pvm_emit_none(b, PVM_OP_TRAP);
    pvm_builder_bind(b, f3);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U64, 7, 0x30ffc); /* rw is at 0x30000: its last 4 bytes + 4 unmapped */
    pvm_emit_none(b, PVM_OP_TRAP);
    test_vm t;
    test_vm_open(&t, b, be, PVM_GAS_NONE, NULL);
    pvm_result r = test_vm_call(&t, "write_ro", NULL, 0);
    if (isa == PVM_ISA_JAMV1) {
        assert_int_equal(r.kind, PVM_EXIT_PAGE_FAULT);
        assert_int_equal(r.fault_address, 0x10000);
    } else {
        assert_int_equal(r.kind, PVM_EXIT_PANIC);
    }
    r = test_vm_call(&t, "low", NULL, 0);
    assert_int_equal(r.kind, PVM_EXIT_PANIC);
    uint64_t before = 0x1122334455667788ull, after;
    pvm_instance_write(t.inst, 0x30ff8, &before, 8, NULL);
    uint64_t arg = 0xAAAAAAAAAAAAAAAAull;
    r = test_vm_call(&t, "straddle", &arg, 1);
    assert_int_equal(r.kind, PVM_EXIT_PAGE_FAULT);
    assert_int_equal(r.fault_address, 0x31000);
    pvm_instance_read(t.inst, 0x30ff8, &after, 8, NULL);
    assert_int_equal(before, after); /* nothing partially written */
    test_vm_close(&t);
}
static void faults(pvm_backend be)
{
    faults_isa(be, PVM_ISA_LATEST64);
    faults_isa(be, PVM_ISA_JAMV1);
}
static void test_faults(void **s) { run_backends(faults); }

/* a0 = 5; [0x50000] = a0 (unmapped); a0 += 1; fallthrough | a0 += 10; halt.
 * The host maps the page after the fault and runs again: the run continues at
 * the store, and the first block (4 instructions) is not charged a second time. */
static void page_fault_resume(pvm_backend be)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_JAMV1);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, 5);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U64, PVM_REG_A0, 0x50000);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, PVM_REG_A0, PVM_REG_A0, 1);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, PVM_REG_A0, PVM_REG_A0, 10);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    test_vm t;
    test_vm_open(&t, b, be, PVM_GAS_SYNC, NULL);
    pvm_error err;
    pvm_result r;
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, NULL, 0, &err), PVM_OK);
    pvm_instance_set_gas(t.inst, 100);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_PAGE_FAULT);
    assert_int_equal(r.fault_address, 0x50000);
    assert_int_equal(pvm_instance_gas(t.inst), 96);
    assert_int_equal(pvm_instance_map(t.inst, 0x50000, 4096, PVM_ACCESS_WRITE, &err), PVM_OK);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_gas(t.inst), 94); /* 100 - 4 - 2, not 100 - 4 - 4 - 2 */
    assert_int_equal(pvm_instance_reg(t.inst, PVM_REG_A0), 16);
    uint64_t v = 0;
    assert_int_equal(pvm_instance_read(t.inst, 0x50000, &v, 8, &err), PVM_OK);
    assert_int_equal(v, 5);
    /* The host may also choose the pc itself: set_pc enters (and charges) the block again. */
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, NULL, 0, &err), PVM_OK);
    pvm_instance_set_gas(t.inst, 100);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT); /* mapped now */
    assert_int_equal(pvm_instance_gas(t.inst), 94);
    test_vm_close(&t);
}
static void test_page_fault_resume(void **s) { run_backends(page_fault_resume); }

/* The same under a cost model with uneven block costs (as the GP 0.8 paging vectors use):
 * gas after the resumed run = initial - cost(first block) - cost(second block). */
static void page_fault_resume_pipeline(pvm_backend be)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_JAMV1);
    pvm_label entry = pvm_builder_label(b), second = pvm_builder_label(b);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, 5);
    pvm_emit_reg_reg_imm(b, PVM_OP_MUL_IMM_64, PVM_REG_A1, PVM_REG_A0, 7);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U64, PVM_REG_A1, 0x50000);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_U64, PVM_REG_A2, 0x50000);
    pvm_emit_none(b, PVM_OP_FALLTHROUGH);
    pvm_builder_bind(b, second);
    pvm_emit_reg3(b, PVM_OP_ADD_64, PVM_REG_A0, PVM_REG_A0, PVM_REG_A2);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    pvm_cost_model *cm;
    pvm_error err;
    assert_int_equal(pvm_cost_model_new("pipeline-l2hit", &cm, &err), PVM_OK);
    test_vm t;
    test_vm_open(&t, b, be, PVM_GAS_SYNC, cm);
    uint32_t pc_second;
    int64_t c1, c2;
    assert_int_equal(pvm_module_find_export(t.module, "main", &pc_second, &err), PVM_OK);
    assert_int_equal(pvm_module_block_cost(t.module, pc_second, &c1, &err), PVM_OK);
    pvm_result r;
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, NULL, 0, &err), PVM_OK);
    pvm_instance_set_gas(t.inst, 10000);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_PAGE_FAULT);
    assert_int_equal(pvm_instance_gas(t.inst), 10000 - c1);
    assert_int_equal(pvm_instance_map(t.inst, 0x50000, 4096, PVM_ACCESS_WRITE, &err), PVM_OK);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_module_block_cost(t.module, r.pc, &c2, &err), PVM_OK);
    assert_true(c1 > 1 && c2 >= 1);
    assert_int_equal(pvm_instance_gas(t.inst), 10000 - c1 - c2);
    assert_int_equal(pvm_instance_reg(t.inst, PVM_REG_A0), 40);
    test_vm_close(&t);
    pvm_cost_model_free(cm);
}
static void test_page_fault_resume_pipeline(void **s) { run_backends(page_fault_resume_pipeline); }

static void test_cache_ids(void **s)
{
    pvm_builder *b = sum_loop();
    uint8_t *bytes;
    size_t len;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, &len, &err), PVM_OK);
    pvm_builder_free(b);
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    pvm_engine *e1, *e2;
    assert_int_equal(pvm_engine_new(&cfg, &e1, &err), PVM_OK);
    assert_int_equal(pvm_engine_new(&cfg, &e2, &err), PVM_OK);
    pvm_module *m1, *m2, *m3, *m4;
    assert_int_equal(pvm_module_compile(e1, bytes, len, NULL, "guest-1", &m1, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e1, bytes, len, NULL, "guest-1", &m2, &err), PVM_OK);
    assert_ptr_equal(m1, m2);
    assert_int_equal(pvm_module_lookup(e1, "guest-1", &m3, &err), PVM_OK);
    assert_ptr_equal(m1, m3);
    assert_int_equal(pvm_module_lookup(e1, "nope", &m3, &err), PVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "nope"));
    /* Derived ids are deterministic across engines. */
    assert_int_equal(pvm_module_compile(e1, bytes, len, NULL, NULL, &m3, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e2, bytes, len, NULL, NULL, &m4, &err), PVM_OK);
    assert_string_equal(pvm_module_id(m3), pvm_module_id(m4));
    /* The same bytes and config without an id again: that module (m3's quick hash
     * is computed only now, no derived module was there to compare when it was
     * compiled); another page size: a module of its own. */
    pvm_module *m5, *m6, *m7;
    assert_int_equal(pvm_module_compile(e1, bytes, len, NULL, NULL, &m5, &err), PVM_OK);
    assert_ptr_equal(m5, m3);
    pvm_module_config big = {.format = PVM_FORMAT_AUTO, .isa = PVM_ISA_GP07, .page_size = 16384};
    assert_int_equal(pvm_module_compile(e1, bytes, len, &big, NULL, &m6, &err), PVM_OK);
    assert_ptr_not_equal(m6, m3);
    assert_int_equal(pvm_module_compile(e1, bytes, len, &big, NULL, &m7, &err), PVM_OK);
    assert_ptr_equal(m7, m6);
    pvm_module_release(m7);
    pvm_module_release(m6);
    pvm_module_release(m5);
    uint32_t pc;
    assert_int_equal(pvm_module_find_export(m1, "missing", &pc, &err), PVM_ERR_NOT_FOUND);
    pvm_instance *in;
    assert_int_equal(pvm_instance_new(m1, &in, &err), PVM_OK);
    uint64_t args[7] = {0};
    assert_int_equal(pvm_instance_prepare_call(in, "sum", 0, args, 7, &err), PVM_ERR_INVALID_ARGUMENT);
    pvm_instance_free(in);
    pvm_module_release(m1);
    pvm_module_release(m2);
    pvm_module_release(m3);
    pvm_engine_free(e1);
    pvm_engine_free(e2);
    free(bytes);
    /* Bad engine configs. */
    cfg.gas_mode = (pvm_gas_mode)9;
    assert_int_equal(pvm_engine_new(&cfg, &e1, &err), PVM_ERR_INVALID_ARGUMENT);
}

static void mid_block_entry(pvm_backend be)
{
    test_vm t;
    test_vm_open(&t, sum_loop(), be, PVM_GAS_SYNC, NULL);
    pvm_error err;
    pvm_result r;
    /* Enter the loop block at its second instruction: the whole block (3) is charged. */
    uint32_t loop_pc;
    pvm_module_find_export(t.module, "sum", &loop_pc, &err);
    pvm_instance_prepare_call(t.inst, "sum", 0, NULL, 0, &err);
    pvm_instance_set_reg(t.inst, 7, 1, &err);
    pvm_instance_set_reg(t.inst, 8, 0, &err);
    /* entry block: load_imm (2 bytes) + branch_eq_imm (6 bytes); loop at 8, its 2nd instruction at 11 */
    int64_t cost;
    assert_int_equal(pvm_module_block_cost(t.module, 11, &cost, &err), PVM_OK);
    assert_int_equal(cost, 3);
    assert_int_equal(pvm_instance_set_pc(t.inst, 11, &err), PVM_OK);
    pvm_instance_set_gas(t.inst, 3 + 2);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_gas(t.inst), 0);
    test_vm_close(&t);
}
static void test_mid_block_entry(void **s) { run_backends(mid_block_entry); }

/* Public lazy-page switch: each first write of a page pays the read and the write charge. */
static void lazy_pages_api(pvm_backend be)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, 3 * 4096);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    for (int i = 0; i < 3; i++) pvm_emit_reg_imm(b, PVM_OP_STORE_U8, 7, 0x20000 + i * 4096);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U8, 7, 0x20001); /* same page again: no charge */
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    test_vm t;
    test_vm_open(&t, b, be, PVM_GAS_SYNC, NULL);
    pvm_error err;
    assert_int_equal(pvm_instance_set_lazy_pages(t.inst, "bogus", &err), PVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(pvm_instance_set_lazy_pages(t.inst, "mprotect", &err), PVM_OK);
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, NULL, 0, &err), PVM_OK);
    pvm_instance_set_gas(t.inst, 100000);
    pvm_result r;
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(100000 - pvm_instance_gas(t.inst), 5 + 3 * (PVM_LAZY_GAS_READ + PVM_LAZY_GAS_WRITE));
    test_vm_close(&t);
}
static void test_lazy_pages_api(void **s) { run_backends(lazy_pages_api); }

/* PolkaVM aux region: read-only for the guest, writable by the host; the stack moves below it. */
static void test_aux_region(void **s)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label f = pvm_builder_label(b), g = pvm_builder_label(b);
    pvm_builder_set_stack_size(b, 4096);
    pvm_builder_export(b, "read", f);
    pvm_builder_export(b, "write", g);
    pvm_builder_bind(b, f);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_U64, 7, (int32_t)0xFFFE0000u);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    pvm_builder_bind(b, g);
    pvm_emit_reg_imm(b, PVM_OP_STORE_U64, 7, (int32_t)0xFFFE0000u);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    uint8_t *bytes;
    size_t len;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, &len, &err), PVM_OK);
    pvm_builder_free(b);
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_module_config mc = {.format = PVM_FORMAT_POLKAVM, .page_size = 4096, .aux_size = 100};
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e, bytes, len, &mc, NULL, &m, &err), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    uint64_t v = 0x1234;
    assert_int_equal(pvm_instance_write(in, 0xFFFE0000u, &v, 8, &err), PVM_OK);
    assert_int_equal(pvm_instance_page_access(in, 0xFFFE0000u), PVM_ACCESS_READ);
    pvm_result r;
    pvm_instance_prepare_call(in, "read", 0, NULL, 0, &err);
    assert_int_equal(pvm_instance_reg(in, 1), 0xFFFD0000u); /* sp: 64 KiB below the aux region */
    assert_int_equal(pvm_instance_run(in, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(in, 7), 0x1234);
    pvm_instance_prepare_call(in, "write", 0, NULL, 0, &err);
    assert_int_equal(pvm_instance_run(in, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_PANIC); /* Latest64: a store to a read-only page traps */
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sync_oog_resume), cmocka_unit_test(test_async_oog),
        cmocka_unit_test(test_ecalli_resume),   cmocka_unit_test(test_faults),
        cmocka_unit_test(test_cache_ids),       cmocka_unit_test(test_mid_block_entry),
        cmocka_unit_test(test_lazy_pages_api),  cmocka_unit_test(test_aux_region),
        cmocka_unit_test(test_page_fault_resume), cmocka_unit_test(test_page_fault_resume_pipeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
