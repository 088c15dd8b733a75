/* M extension: products, high halves, division and remainder with the RISC-V edge cases
 * (divide by zero, signed overflow), W forms on RV64.
 * expect64: 1032  expect32: 1020 */
#include "asm_test.h"
#if __riscv_xlen == 64
#define DIVU_M3_7 0x2492492492492491
#define REMU_M3_7 6
#else
#define DIVU_M3_7 0x24924924
#define REMU_M3_7 1
#endif

TEST_BEGIN
    li a0, 7
    li a1, -3
    mul a2, a0, a1;      CHECK(a2, -21)
    mulh a2, a0, a1;     CHECK(a2, -1)
    mulhu a2, a0, a1;    CHECK(a2, 6)
    mulhsu a2, a1, a0;   CHECK(a2, -1)
    mulhsu a2, a0, a1;   CHECK(a2, 6)
    li a3, 0x10000
    mul a2, a3, a3;      mulh a4, a3, a3
#if __riscv_xlen == 64
    CHECK(a2, 0x100000000); CHECK(a4, 0)
#else
    CHECK(a2, 0); CHECK(a4, 1)
#endif
    div a2, a1, a0;      CHECK(a2, 0)
    li a3, -21
    div a2, a3, a0;      CHECK(a2, -3)
    div a2, a3, zero;    CHECK(a2, -1)
    mv a4, zero
    div a2, a3, a4;      CHECK(a2, -1)
    divu a2, a3, a4;     CHECK(a2, -1)
    divu a2, a1, a0;     CHECK(a2, DIVU_M3_7)
    li a4, 1
    slli a4, a4, __riscv_xlen - 1
    li a5, -1
    div a2, a4, a5;      beq a2, a4, 1f; li a0, __LINE__; j test_fail; 1: addi s1, s1, 1
    rem a2, a4, a5;      CHECK(a2, 0)
    li a4, 4
    rem a2, a3, a4;      CHECK(a2, -1)
    rem a2, a1, a0;      CHECK(a2, -3)
    remu a2, a1, a0;     CHECK(a2, REMU_M3_7)
    remu a2, a1, zero;   CHECK(a2, -3)
    rem a2, a3, zero;    CHECK(a2, -21)
#if __riscv_xlen == 64
    li a3, 0x10001
    mulw a2, a3, a3;     CHECK(a2, 0x20001)
    li a3, 0x10000
    mulw a2, a3, a3;     CHECK(a2, 0)
    divw a2, a1, a0;     CHECK(a2, 0)
    li a3, -21
    divw a2, a3, a0;     CHECK(a2, -3)
    divuw a2, a1, a0;    CHECK(a2, 613566756)
    remw a2, a3, a0;     CHECK(a2, 0)
    remuw a2, a1, a0;    CHECK(a2, 1)
    divuw a2, a1, zero;  CHECK(a2, -1)
    remuw a2, a1, zero;  CHECK(a2, -3)
    li a4, 0x80000000
    li a5, -1
    divw a2, a4, a5;     CHECK(a2, -2147483648)
    remw a2, a4, a5;     CHECK(a2, 0)
    li a4, 0x100000005   /* the upper half must be ignored */
    divw a2, a3, a4;     CHECK(a2, -4)
#endif
TEST_END
