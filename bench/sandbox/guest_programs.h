/* Guests for the sandbox tests and benchmarks.
 *   echo_loop(a0, n)  n times: ecalli 1 (the host is expected to do a0 += a1), a1 -= 1; halt
 *   mem_call(a0)      [rw] = a0; ecalli 2 (the host rewrites [rw]); a0 = [rw]; halt
 *   sum(n)            a0 = 1 + 2 + ... + n, no host calls
 *   load_at(a0)       a0 = u64 [a0];      load8_at(a0)  a0 = u8 [a0]
 *   store_at(a0, a1)  u64 [a0] = a1;      store8_at     u8 [a0] = a1 */
#ifndef PVM_SANDBOX_GUEST_PROGRAMS_H
#define PVM_SANDBOX_GUEST_PROGRAMS_H
#include <stdbool.h>
#include <stdlib.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"

#define GUEST_RW_SIZE 8192u
#define GUEST_RO_SIZE 4096u

static inline void guest_export(pvm_builder *b, const char *name)
{
    pvm_label l = pvm_builder_label(b);
    pvm_builder_export(b, name, l);
    pvm_builder_bind(b, l);
}

static inline void guest_halt(pvm_builder *b) { pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0); }

/* a0 = a0 + (a0 - 1) + ... + 1 (a1 is scratch; 0 for a0 = 0), falling through
 * after the loop: the sum loop of the sandbox, API and engine-adapter tests.
 * Two instructions before the loop, three per trip and one after (the unit
 * model's gas counts in tests/vm/test_api.c rely on it). */
static inline void guest_sum_loop(pvm_builder *b, bool narrow)
{
    pvm_label loop = pvm_builder_label(b), done = pvm_builder_label(b);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 8, 0);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, 7, 0, done);
    pvm_builder_bind(b, loop);
    pvm_emit_reg3(b, narrow ? PVM_OP_ADD_32 : PVM_OP_ADD_64, 8, 8, 7);
    pvm_emit_reg_reg_imm(b, narrow ? PVM_OP_ADD_IMM_32 : PVM_OP_ADD_IMM_64, 7, 7, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 7, 0, loop);
    pvm_builder_bind(b, done);
    pvm_emit_reg_reg(b, PVM_OP_MOVE_REG, 7, 8);
}

/* rw_addr: where the layout puts rw data (the module's layout; 0x30000 for these sizes). */
static inline pvm_builder *guest_program(uint32_t rw_addr)
{
    static const uint8_t ro[] = "read-only bytes of the guest";
    pvm_builder *b = pvm_builder_new(PVM_ISA_LATEST64);
    pvm_builder_set_ro_data(b, ro, sizeof ro, GUEST_RO_SIZE);
    pvm_builder_set_rw_data(b, NULL, 0, GUEST_RW_SIZE);
    pvm_builder_set_stack_size(b, 8192);

    pvm_label loop = pvm_builder_label(b), done = pvm_builder_label(b);
    guest_export(b, "echo_loop");
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_EQ_IMM, 8, 0, done);
    pvm_builder_bind(b, loop);
    pvm_emit_imm(b, PVM_OP_ECALLI, 1);
    pvm_emit_reg_reg_imm(b, PVM_OP_ADD_IMM_64, 8, 8, -1);
    pvm_emit_reg_imm_jump(b, PVM_OP_BRANCH_NE_IMM, 8, 0, loop);
    pvm_builder_bind(b, done);
    guest_halt(b);

    guest_export(b, "mem_call");
    pvm_emit_reg_imm(b, PVM_OP_STORE_U64, 7, rw_addr);
    pvm_emit_imm(b, PVM_OP_ECALLI, 2);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_U64, 7, rw_addr);
    guest_halt(b);

    guest_export(b, "sum");
    guest_sum_loop(b, false);
    guest_halt(b);

    static const struct {
        const char *name;
        int op;
    } accesses[] = {{"load_at", PVM_OP_LOAD_IND_U64}, {"load8_at", PVM_OP_LOAD_IND_U8},
                    {"store_at", PVM_OP_STORE_IND_U64}, {"store8_at", PVM_OP_STORE_IND_U8}};
    for (size_t i = 0; i < sizeof accesses / sizeof accesses[0]; i++) {
        bool store = pvm_op_mem_access((pvm_op)accesses[i].op).is_store;
        guest_export(b, accesses[i].name);
        pvm_emit_reg_reg_imm(b, accesses[i].op, store ? 8 : 7, 7, 0); /* value a1 (store) or destination a0 (load), base a0 */
        guest_halt(b);
    }
    return b;
}

/* The program as .polkavm bytes (malloc'ed), or NULL. */
static inline uint8_t *guest_program_bytes(uint32_t rw_addr, size_t *len)
{
    uint8_t *bytes = NULL;
    pvm_builder *b = guest_program(rw_addr);
    if (pvm_builder_finish_polkavm(b, &bytes, len, NULL) != PVM_OK) bytes = NULL;
    pvm_builder_free(b);
    return bytes;
}
#endif
