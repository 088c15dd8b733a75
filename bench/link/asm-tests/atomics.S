/* The A extension lowered for one hart: LR/SC (with a retry loop), every AMO in .w and
 * (RV64) .d form, fences.
 * expect64: 1036  expect32: 1024 */
#include "asm_test.h"

    .bss
    .p2align 3
cell:   .zero 16

TEST_BEGIN
    lla a0, cell
    li a1, 10
    sw a1, 0(a0)
    /* atomic increment with LR/SC */
1:  lr.w a2, (a0)
    addi a2, a2, 1
    sc.w a3, a2, (a0)
    bnez a3, 1b
    lw a2, 0(a0);             CHECK(a2, 11)
    li a1, 5
    amoadd.w a2, a1, (a0);    CHECK(a2, 11)
    lw a2, 0(a0);             CHECK(a2, 16)
    li a1, 0xff
    amoxor.w a2, a1, (a0);    CHECK(a2, 16)
    lw a2, 0(a0);             CHECK(a2, 0xef)
    li a1, 0x0f
    amoand.w a2, a1, (a0);    CHECK(a2, 0xef)
    lw a2, 0(a0);             CHECK(a2, 0x0f)
    li a1, 0x100
    amoor.w a2, a1, (a0);     CHECK(a2, 0x0f)
    lw a2, 0(a0);             CHECK(a2, 0x10f)
    li a1, -1
    amoswap.w a2, a1, (a0);   CHECK(a2, 0x10f)
    lw a2, 0(a0);             CHECK(a2, -1)
    li a1, 3
    amomin.w a2, a1, (a0);    CHECK(a2, -1)
    lw a2, 0(a0);             CHECK(a2, -1)
    amominu.w a2, a1, (a0);   CHECK(a2, -1)
    lw a2, 0(a0);             CHECK(a2, 3)
    li a1, -8
    amomax.w a2, a1, (a0);    CHECK(a2, 3)
    lw a2, 0(a0);             CHECK(a2, 3)
    amomaxu.w a2, a1, (a0);   CHECK(a2, 3)
    lw a2, 0(a0);             CHECK(a2, -8)
    amoadd.w zero, a1, (a0)
    lw a2, 0(a0);             CHECK(a2, -16)
    mv a1, a0
    amoswap.w a1, a1, (a1)    /* rd = rs1 = rs2 */
    lw a2, 0(a0)
    sub a2, a2, a0
#if __riscv_xlen == 64
    sext.w a2, a2
#endif
    CHECK(a2, 0)
    CHECK(a1, -16)
    amoswap.w a2, zero, (a0); lw a2, 0(a0); CHECK(a2, 0)
    lr.w a3, (a0)
    sc.w a3, zero, (a0);      CHECK(a3, 0)
    fence
    fence rw, rw
    .insn i 0x0f, 1, x0, x0, 0   /* fence.i */
#if __riscv_xlen == 64
    li a1, 0x100000000
    sd a1, 8(a0)
    addi a4, a0, 8
2:  lr.d a2, (a4)
    add a2, a2, a1
    sc.d a3, a2, (a4)
    bnez a3, 2b
    ld a2, 8(a0);             CHECK(a2, 0x200000000)
    li a1, 1
    amoadd.d a2, a1, (a4);    CHECK(a2, 0x200000000)
    li a1, -1
    amomin.d a2, a1, (a4);    CHECK(a2, 0x200000001)
    amomaxu.d a2, a1, (a4);   CHECK(a2, -1)
    amoand.d a2, zero, (a4);  CHECK(a2, -1)
    li a1, 0x80000000
    amoor.d a2, a1, (a4);     CHECK(a2, 0)
    amoxor.d a2, a1, (a4);    CHECK(a2, 0x80000000)
    amomax.d a2, a1, (a4);    CHECK(a2, 0)
    amominu.d a2, zero, (a4); CHECK(a2, 0x80000000)
    amoswap.d a2, a1, (a4);   CHECK(a2, 0)
    ld a2, 8(a0);             CHECK(a2, 0x80000000)
    /* .w on RV64 uses only the low half of rs2 */
    li a1, 0x100000002
    sw zero, 0(a0)
    amomax.w a2, a1, (a0)
    lw a2, 0(a0);             CHECK(a2, 2)
#endif
TEST_END
