/* The interpreter's dynamic jumps (DJUMP in vm/interp/interp_loop.inc): the jump table
 * entry is found by one rotate and one unsigned compare, which must send every address
 * that is not an entry (odd, 0, the halt address, past the table) to the slow path. For
 * jump_ind and load_imm_jump_ind, in every gas mode, a sweep of addresses (every one from
 * 0 to past the table, the halt address and its neighbours, the largest ones, values whose
 * upper 32 bits are set) ends as on the recompiler: exit, pc, gas and registers; and the
 * ones that name an entry reach its target. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vm/state/vm_state.h"
#include "vm/interp/interp.h"
#include "vm/isa/isa.h"
#include "pvm/builder.h"

enum { ADDR_REG = 7, OUT_REG = 2, LINK_REG = 3, N_TARGETS = 3, N_ENTRIES = 5 };

/* pc 0: a dynamic jump through ADDR_REG (jump_ind, or load_imm_jump_ind that also sets
 * LINK_REG to 77), offset `off`; then three targets, each sets OUT_REG to 1, 2 or 3 and
 * jumps to ra (the halt address); then a trap. The jump table: targets 1, 2, 3, 1, then
 * the trap. */
static void program(bool with_link, int64_t off, uint8_t **blob, size_t *len)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_JAMV1);
    assert_non_null(b);
    pvm_label t[N_TARGETS], trap = pvm_builder_label(b);
    for (int i = 0; i < N_TARGETS; i++) t[i] = pvm_builder_label(b);
    if (with_link) pvm_emit_reg_reg_imm_imm(b, PVM_OP_LOAD_IMM_JUMP_IND, LINK_REG, ADDR_REG, 77, off);
    else pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, ADDR_REG, off);
    for (int i = 0; i < N_TARGETS; i++) {
        pvm_builder_bind(b, t[i]);
        pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, OUT_REG, i + 1);
        pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, PVM_REG_RA, 0);
    }
    pvm_builder_bind(b, trap);
    pvm_emit_none(b, PVM_OP_TRAP);
    assert_int_equal(pvm_builder_jump_table_add(b, t[0]), 2);
    pvm_builder_jump_table_add(b, t[1]);
    pvm_builder_jump_table_add(b, t[2]);
    pvm_builder_jump_table_add(b, t[0]);
    assert_int_equal(pvm_builder_jump_table_add(b, trap), 2 * N_ENTRIES);
    pvm_error err;
    assert_int_equal(pvm_builder_finish_gp_standard(b, blob, len, &err), PVM_OK);
    pvm_builder_free(b);
}

typedef struct end {
    pvm_result res;
    int64_t gas;
    uint64_t out, link;
} end;

static end run_one(const uint8_t *blob, size_t len, int backend, pvm_gas_mode mode, uint64_t addr)
{
    pvm_engine_config cfg = {backend ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, mode, NULL};
    pvm_module_config mc = {.format = PVM_FORMAT_GP_STANDARD, .isa = PVM_ISA_JAMV1, .page_size = 4096};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_error err;
    assert_int_equal(pvm_engine_new(&cfg, &e, &err), PVM_OK);
    assert_int_equal(pvm_module_compile(e, blob, len, &mc, NULL, &m, &err), PVM_OK);
    assert_int_equal(pvm_instance_new(m, &in, &err), PVM_OK);
    assert_int_equal(pvm_instance_set_pc(in, 0, &err), PVM_OK);
    assert_int_equal(pvm_instance_set_reg(in, PVM_REG_RA, PVM_ADDR_HALT, &err), PVM_OK);
    assert_int_equal(pvm_instance_set_reg(in, ADDR_REG, addr, &err), PVM_OK);
    if (mode != PVM_GAS_NONE) pvm_instance_set_gas(in, 1000);
    end r;
    assert_int_equal(pvm_instance_run(in, &r.res, &err), PVM_OK);
    r.gas = pvm_instance_gas(in);
    r.out = pvm_instance_reg(in, OUT_REG);
    r.link = pvm_instance_reg(in, LINK_REG);
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return r;
}

/* The target OUT_REG ends with for a jump to a (32-bit) address: 0 for none. */
static uint64_t expected_out(uint32_t a)
{
    static const uint64_t of_entry[N_ENTRIES] = {1, 2, 3, 1, 0};
    return (a & 1) || a == 0 || a > 2 * N_ENTRIES ? 0 : of_entry[a / 2 - 1];
}

static void sweep(bool with_link, int64_t off)
{
    uint8_t *blob;
    size_t len;
    program(with_link, off, &blob, &len);
    uint64_t addrs[64];
    unsigned n = 0;
    for (uint64_t a = 0; a <= 2 * N_ENTRIES + 3; a++) addrs[n++] = a;
    const uint64_t more[] = {PVM_ADDR_HALT, PVM_ADDR_HALT - 2, PVM_ADDR_HALT + 2, PVM_ADDR_HALT - 1, 0xfffffffeu,
                             0xffffffffu, 0x80000000u, 0x80000002u, 0x7ffffffeu, 0xfffeffffu, 0x100000004u,
                             0xffffffff00000006u, 0x1ffff0000u};
    for (unsigned i = 0; i < sizeof more / sizeof more[0]; i++) addrs[n++] = more[i];
    unsigned reached = 0, halted_directly = 0, panics = 0;
    for (int mode = PVM_GAS_NONE; mode <= PVM_GAS_ASYNC; mode++) {
        for (unsigned i = 0; i < n; i++) {
            /* the jump goes to addr + off (mod 2^32): give addr so that the sum is the value above */
            uint64_t reg = addrs[i] - (uint64_t)off;
            end in = run_one(blob, len, 0, (pvm_gas_mode)mode, reg), jit = run_one(blob, len, 1, (pvm_gas_mode)mode, reg);
            assert_int_equal(in.res.kind, jit.res.kind);
            assert_int_equal(in.res.pc, jit.res.pc);
            assert_int_equal(in.gas, jit.gas);
            assert_int_equal(in.out, jit.out);
            assert_int_equal(in.link, jit.link);
            uint32_t a = (uint32_t)addrs[i];
            uint64_t want = expected_out(a);
            if (want) {
                assert_int_equal(in.res.kind, PVM_EXIT_HALT);
                assert_int_equal(in.out, want);
                reached++;
            } else if (a == PVM_ADDR_HALT) {
                assert_int_equal(in.res.kind, PVM_EXIT_HALT);
                assert_int_equal(in.out, 0);
                halted_directly++;
            } else {
                assert_int_equal(in.res.kind, PVM_EXIT_PANIC); /* at the jump, or (the last entry) at the trap */
                if (a != 2 * N_ENTRIES) assert_int_equal(in.res.pc, 0);
                else assert_int_not_equal(in.res.pc, 0);
                panics++;
            }
            if (want) assert_int_equal(in.link, with_link ? 77 : 0);
        }
    }
    assert_int_equal(reached, 3 * (4 + 2)); /* entries 1-4, and two of them named with upper bits set */
    assert_int_equal(halted_directly, 3 * 2);
    assert_int_equal(panics, 3 * (10 + 9)); /* the 14 small addresses less 4 entries, 9 of the others */
    free(blob);
}

static void test_jump_ind_addresses(void **state)
{
    (void)state;
    sweep(false, 0);
    sweep(false, 6); /* an offset: the sum wraps at 2^32 as the address does */
    sweep(false, -4);
}

static void test_load_imm_jump_ind_addresses(void **state)
{
    (void)state;
    sweep(true, 0);
    sweep(true, -2);
}

/* The fast path's entry count: the whole table below the entry the halt address rotates to. */
static void test_djump_limit(void **state)
{
    (void)state;
    assert_int_equal(pvm_interp_djump_limit(0), 0);
    assert_int_equal(pvm_interp_djump_limit(5), 5);
    assert_int_equal(pvm_interp_djump_limit(16u << 20), 16u << 20);
    assert_int_equal(pvm_interp_djump_limit(0x7fff7ffeu), 0x7fff7ffeu);
    assert_int_equal(pvm_interp_djump_limit(0x7fff7fffu), 0x7fff7fffu);
    assert_int_equal(pvm_interp_djump_limit(0x7fff8000u), 0x7fff7fffu);
    assert_int_equal(pvm_interp_djump_limit(UINT32_MAX), 0x7fff7fffu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jump_ind_addresses),
        cmocka_unit_test(test_load_imm_jump_ind_addresses),
        cmocka_unit_test(test_djump_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
