/* What an embedder needs beyond running: import names, register names, a failed
 * host call that traps the guest into a defined state, compile time per stage,
 * sanitised names, the standard host calls, and a module cache that never reuses
 * a module for other bytes. Every test runs on every available backend. */
#include <stdio.h>
#include <string.h>
#include "pvm/hostcalls.h"
#include "test_util.h"

_Static_assert(PVM_REG_RA == 0 && PVM_REG_SP == 1 && PVM_REG_T0 == 2 && PVM_REG_S0 == 5 && PVM_REG_A0 == 7 &&
                   PVM_REG_A5 == 12,
               "register numbers are the encoding");

static pvm_backend backends[2] = {PVM_BACKEND_INTERP, PVM_BACKEND_JIT};

static void run_backends(void (*fn)(pvm_backend))
{
    for (int i = 0; i < 2; i++)
        if (pvm_backend_available(backends[i])) fn(backends[i]);
}

/* a0 = 41; ecalli 1 ("host_b"); a0 += 1; halt.  Imports: 0 = "host_a", 1 = "host_b". */
static pvm_builder *calls_host_b(void)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, 4096);
    pvm_builder_import(b, "host_a");
    pvm_builder_import(b, "host_b");
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, 41);
    pvm_emit_imm(b, PVM_OP_ECALLI, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, PVM_REG_A0, PVM_REG_A0, 1);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    return b;
}

static void imports_and_trap(pvm_backend be)
{
    test_vm t;
    test_vm_open(&t, calls_host_b(), be, PVM_GAS_SYNC, NULL);
    pvm_error err;
    pvm_result r;
    assert_int_equal(pvm_module_import_count(t.module), 2);
    assert_string_equal(pvm_module_import_name(t.module, 0), "host_a");
    assert_string_equal(pvm_module_import_name(t.module, 1), "host_b");
    assert_null(pvm_module_import_name(t.module, 2));
    uint32_t idx = 99;
    assert_int_equal(pvm_module_find_import(t.module, "host_b", &idx, &err), PVM_OK);
    assert_int_equal(idx, 1);
    assert_int_equal(pvm_module_find_import(t.module, "nope\x1b", &idx, &err), PVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "nope\\x1b")); /* the message is sanitised too */

    /* Not at a host call: trapping is a state error. */
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, NULL, 0, &err), PVM_OK);
    assert_int_equal(pvm_instance_trap(t.inst, &r, &err), PVM_ERR_STATE);
    pvm_instance_set_gas(t.inst, 100);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_ECALLI);
    assert_int_equal(r.ecalli, idx); /* bound by name */
    uint32_t ecalli_pc = r.pc;
    int64_t gas = pvm_instance_gas(t.inst);
    /* The host call fails: the host wrote a register, then traps the guest. */
    assert_int_equal(pvm_instance_set_reg(t.inst, PVM_REG_A1, 1234, &err), PVM_OK);
    memset(&r, 0xAB, sizeof r);
    assert_int_equal(pvm_instance_trap(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_PANIC);
    assert_int_equal(r.pc, ecalli_pc);
    /* Defined state: pc at the call, registers and gas as left, no further run until a new call. */
    assert_int_equal(pvm_instance_pc(t.inst), ecalli_pc);
    assert_int_equal(pvm_instance_reg(t.inst, PVM_REG_A0), 41);
    assert_int_equal(pvm_instance_reg(t.inst, PVM_REG_A1), 1234);
    assert_int_equal(pvm_instance_gas(t.inst), gas);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_ERR_STATE);
    assert_int_equal(pvm_instance_trap(t.inst, &r, &err), PVM_ERR_STATE);
    /* A new call works normally. */
    assert_int_equal(pvm_instance_prepare_call(t.inst, "main", 0, NULL, 0, &err), PVM_OK);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_ECALLI);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(r.kind, PVM_EXIT_HALT);
    assert_int_equal(pvm_instance_reg(t.inst, PVM_REG_A0), 42);
    /* Not a standard host call: pvm_hostcalls_service leaves it to the embedder. */
    test_vm_close(&t);
}
static void test_imports_and_trap(void **s) { run_backends(imports_and_trap); }

/* pvm_write(2, 0x20000, 0) then pvm_exit(9), bound by name through the import table. */
static void standard_hostcalls(pvm_backend be)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_set_rw_data(b, NULL, 0, 4096);
    pvm_builder_import(b, "other");
    pvm_builder_import(b, PVM_HOSTCALL_NAME_WRITE);
    pvm_builder_import(b, PVM_HOSTCALL_NAME_EXIT);
    pvm_builder_export(b, "main", entry);
    pvm_builder_bind(b, entry);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, 3); /* fd 3: not stdout or stderr */
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A1, 0x20000);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A2, 0);
    pvm_emit_imm(b, PVM_OP_ECALLI, 1);
    pvm_emit_imm(b, PVM_OP_ECALLI, 0);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, PVM_REG_A0, 9);
    pvm_emit_imm(b, PVM_OP_ECALLI, 2);
    pvm_emit_none(b, PVM_OP_TRAP);
    test_vm t;
    test_vm_open(&t, b, be, PVM_GAS_NONE, NULL);
    pvm_result r = test_vm_call(&t, "main", NULL, 0);
    int status = -1;
    assert_int_equal(r.kind, PVM_EXIT_ECALLI);
    assert_string_equal(pvm_hostcall_name(t.inst, &r), PVM_HOSTCALL_NAME_WRITE);
    assert_int_equal(pvm_hostcalls_service(t.inst, &r, &status), PVM_HOSTCALL_RESUMABLE);
    assert_int_equal(pvm_instance_reg(t.inst, PVM_REG_A0), UINT64_MAX); /* bad fd: -1 */
    pvm_error err;
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_null(pvm_hostcall_name(t.inst, &r)); /* import 0 "other" */
    assert_int_equal(pvm_hostcalls_service(t.inst, &r, &status), PVM_HOSTCALL_NOT_STANDARD);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_OK);
    assert_int_equal(pvm_hostcalls_service(t.inst, &r, &status), PVM_HOSTCALL_EXITED);
    assert_int_equal(status, 9);
    assert_int_equal(pvm_instance_run(t.inst, &r, &err), PVM_ERR_STATE); /* exit never returns */
    test_vm_close(&t);
}
static void test_standard_hostcalls(void **s) { run_backends(standard_hostcalls); }

static void timings(pvm_backend be)
{
    test_vm t;
    test_vm_open(&t, calls_host_b(), be, PVM_GAS_SYNC, NULL);
    pvm_module_timings T = pvm_module_compile_timings(t.module);
    assert_true(T.total_ns > 0);
    assert_true(T.parse_ns + T.decode_ns + T.gas_ns + T.backend_ns <= T.total_ns);
    if (be == PVM_BACKEND_JIT) assert_true(T.backend_ns > 0);
    else assert_int_equal(T.backend_ns, 0);
    test_vm_close(&t);
}
static void test_timings(void **s) { run_backends(timings); }

static void test_sanitize(void **s)
{
    char out[64];
    assert_string_equal(pvm_sanitize_name("ok_name-1.2", out, sizeof out), "ok_name-1.2");
    assert_string_equal(pvm_sanitize_name("a\x1b[2J\n\\\xff", out, sizeof out), "a\\x1b[2J\\x0a\\x5c\\xff");
    /* Truncated at a whole escape, always terminated. */
    assert_string_equal(pvm_sanitize_name("ab\x01", out, 5), "ab");
    assert_string_equal(pvm_sanitize_name(NULL, out, sizeof out), "");
}

static uint8_t *program_bytes(pvm_builder *b, size_t *len)
{
    uint8_t *bytes;
    pvm_error err;
    assert_int_equal(pvm_builder_finish_polkavm(b, &bytes, len, &err), PVM_OK);
    pvm_builder_free(b);
    return bytes;
}

/* A program that loads its first rw-data byte into a0 and halts; data[0] = first. */
static uint8_t *program_with_data(uint8_t first, size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    uint8_t data[64] = {first, 1, 2, 3};
    pvm_builder_set_rw_data(b, data, sizeof data, 4096);
    pvm_label entry = pvm_builder_label(b);
    pvm_builder_bind(b, entry);
    pvm_builder_export(b, "main", entry);
    pvm_emit_none(b, PVM_OP_TRAP);
    return program_bytes(b, len);
}

/* Derived ids name all the bytes, data included, even though a compile without an
 * id does not hash the data (the name is made when first asked for): programs that
 * differ only in their data get different modules and unsuffixed ids, the same in
 * any order on any engine, and compiling the same bytes again finds the module. */
static void test_derived_ids_cover_data(void **s)
{
    (void)s;
    size_t lp, lq;
    uint8_t *p = program_with_data(7, &lp), *q = program_with_data(8, &lq);
    assert_int_equal(lp, lq);
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
    pvm_engine *e1, *e2;
    pvm_error err;
    pvm_module *p1, *q1, *p1again, *q2, *p2, *found;
    assert_int_equal(pvm_engine_new(&cfg, &e1, &err), PVM_OK);
    assert_int_equal(pvm_engine_new(&cfg, &e2, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e1, p, lp, NULL, NULL, &p1, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e1, q, lq, NULL, NULL, &q1, &err), PVM_OK);
    assert_ptr_not_equal(p1, q1);
    assert_int_equal(pvm_module_compile(e1, p, lp, NULL, NULL, &p1again, &err), PVM_OK);
    assert_ptr_equal(p1again, p1);
    /* the other order on another engine, ids asked for in the other order too */
    assert_int_equal(pvm_module_compile(e2, q, lq, NULL, NULL, &q2, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e2, p, lp, NULL, NULL, &p2, &err), PVM_OK);
    assert_string_equal(pvm_module_id(q2), pvm_module_id(q1));
    assert_string_equal(pvm_module_id(p2), pvm_module_id(p1));
    assert_string_not_equal(pvm_module_id(p1), pvm_module_id(q1));
    assert_null(strchr(pvm_module_id(p1) + 2, '-')); /* no collision suffix */
    assert_null(strchr(pvm_module_id(q1) + 2, '-'));
    assert_int_equal(pvm_module_lookup(e1, pvm_module_id(q1), &found, &err), PVM_OK);
    assert_ptr_equal(found, q1);
    pvm_module_release(found);
    /* an explicit id equal to a derived one: that module if the bytes are its own */
    assert_int_equal(pvm_module_compile(e2, q, lq, NULL, pvm_module_id(q2), &found, &err), PVM_OK);
    assert_ptr_equal(found, q2);
    assert_int_equal(pvm_module_compile(e2, p, lp, NULL, pvm_module_id(q2), &found, &err), PVM_ERR_INVALID_ARGUMENT);
    pvm_engine_free(e1);
    pvm_engine_free(e2);
    free(p);
    free(q);
}

/* The cache never returns a module for bytes other than its own, whatever the id says. */
static void test_cache_compares_bytes(void **s)
{
    size_t la, lb;
    uint8_t *a = program_bytes(calls_host_b(), &la);
    pvm_builder *bb = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_emit_none(bb, PVM_OP_TRAP);
    uint8_t *b = program_bytes(bb, &lb);
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
    pvm_engine *e, *other;
    pvm_error err;
    pvm_module *ma, *ma2, *mb, *mx;
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    assert_int_equal(pvm_engine_new(&cfg, &other, &err), PVM_OK);
    /* B's derived id, learnt on another engine. */
    assert_int_equal(pvm_module_compile(other, b, lb, NULL, NULL, &mx, &err), PVM_OK);
    char b_id[64];
    snprintf(b_id, sizeof b_id, "%s", pvm_module_id(mx));
    /* A cached under B's derived id: as if the hash of A collided with B's. */
    assert_int_equal(pvm_module_compile(e, a, la, NULL, b_id, &ma, &err), PVM_OK);
    /* Explicit id reused with other bytes: refused. */
    assert_int_equal(pvm_module_compile(e, b, lb, NULL, b_id, &mb, &err), PVM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err.msg, "already used by a different program"));
    /* Derived id: B gets its own module under a suffixed id, never A's code. */
    assert_int_equal(pvm_module_compile(e, b, lb, NULL, NULL, &mb, &err), PVM_OK);
    assert_ptr_not_equal(mb, ma);
    assert_int_equal(pvm_module_code_size(mb), pvm_module_code_size(mx));
    assert_string_not_equal(pvm_module_id(mb), b_id);
    assert_int_equal(strncmp(pvm_module_id(mb), b_id, strlen(b_id)), 0);
    /* Same bytes and id: the cached module. */
    assert_int_equal(pvm_module_compile(e, a, la, NULL, b_id, &ma2, &err), PVM_OK);
    assert_ptr_equal(ma2, ma);
    pvm_module_config cfg16 = {.format = PVM_FORMAT_AUTO, .page_size = 16384};
    assert_int_equal(pvm_module_compile(e, a, la, &cfg16, b_id, &mx, &err), PVM_ERR_INVALID_ARGUMENT); /* other config */
    pvm_engine_free(e);
    pvm_engine_free(other);
    free(a);
    free(b);
}

/* .polkavm memory sizes that round up to 2^32 are rejected (they used to wrap to 0), and
 * a GP blob without code still has its jump table checked; GP blobs take every ISA variant. */
static void test_hostile_sizes(void **s)
{
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    pvm_engine *e;
    pvm_module *m;
    pvm_error err;
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    for (int which = 0; which < 3; which++) {
        for (uint32_t size = 0xFFFFF001u; size != 0; size = size == 0xFFFFFFFFu ? 0 : 0xFFFFFFFFu) {
            pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
            if (which == 0) pvm_builder_set_ro_data(b, (const uint8_t *)"r", 1, size);
            if (which == 1) pvm_builder_set_rw_data(b, (const uint8_t *)"w", 1, size);
            if (which == 2) pvm_builder_set_stack_size(b, size);
            pvm_emit_none(b, PVM_OP_TRAP);
            size_t len;
            uint8_t *bytes = program_bytes(b, &len);
            assert_int_equal(pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err), PVM_ERR_BAD_PROGRAM);
            assert_non_null(strstr(err.msg, "does not fit"));
            free(bytes);
        }
    }
    static const uint8_t empty_code_jt[] = {1, 1, 0, 0}; /* |j| = 1, z = 1, |c| = 0, j0 = 0 */
    pvm_module_config gp = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_GP07};
    assert_int_equal(pvm_module_compile(e, empty_code_jt, sizeof empty_code_jt, &gp, NULL, &m, &err), PVM_ERR_BAD_PROGRAM);
    assert_non_null(strstr(err.msg, "past the end of the code"));
    static const uint8_t trap_blob[] = {0, 0, 1, 0, 1}; /* one trap */
    for (int isa = 0; isa < PVM_ISA_COUNT; isa++) {
        gp.isa = (pvm_isa)isa;
        assert_int_equal(pvm_module_compile(e, trap_blob, sizeof trap_blob, &gp, NULL, &m, &err), PVM_OK);
        assert_int_equal(pvm_module_isa(m), isa);
        pvm_module_release(m);
    }
    pvm_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_imports_and_trap), cmocka_unit_test(test_standard_hostcalls),
        cmocka_unit_test(test_timings),          cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_cache_compares_bytes),
        cmocka_unit_test(test_derived_ids_cover_data), cmocka_unit_test(test_hostile_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
