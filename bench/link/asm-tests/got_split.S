/* GOT accesses whose auipc and load are not adjacent, as clang schedules them for extern
 * data in multi-file PIE programs: other instructions in between, a block boundary in
 * between, a load into another register, two loads from one auipc, and LW/LD per XLEN.
 * expect64: 1005  expect32: 1005 */
#include "asm_test.h"

    .data
    .p2align 3
    .globl shared_a, shared_b
shared_a: .4byte 0x1234
shared_b: .4byte 0x5678

TEST_BEGIN
    /* other instructions between auipc and its load */
.Lg0: auipc a0, %got_pcrel_hi(shared_a)
    li a3, 5
    addi a4, a3, 1
    LREG a1, %pcrel_lo(.Lg0)(a0)
    lw a2, 0(a1);           CHECK(a2, 0x1234)
    CHECK(a4, 6)
    /* a branch target (new block) between auipc and load */
.Lg1: auipc a5, %got_pcrel_hi(shared_b)
    li a3, 2
1:  addi a3, a3, -1
    bnez a3, 1b
    LREG a5, %pcrel_lo(.Lg1)(a5)
    lw a2, 0(a5);           CHECK(a2, 0x5678)
    /* the same auipc feeding two loads */
.Lg2: auipc a0, %got_pcrel_hi(shared_a)
    nop
    LREG a1, %pcrel_lo(.Lg2)(a0)
    LREG a2, %pcrel_lo(.Lg2)(a0)
    sub a3, a1, a2;         CHECK(a3, 0)
    lw a2, 0(a1);           CHECK(a2, 0x1234)
TEST_END
