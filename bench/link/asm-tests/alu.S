/* Integer ALU: register and immediate forms, x0 as a source, constants, W ops (RV64).
 * expect64: 1069  expect32: 1051 */
#include "asm_test.h"
#if __riscv_xlen == 64
#define TOP_NIBBLE_SHIFT 60
#define SRL_M3_1 0x7FFFFFFFFFFFFFFE
#else
#define TOP_NIBBLE_SHIFT 28
#define SRL_M3_1 0x7FFFFFFE
#endif

TEST_BEGIN
    li a0, 7
    li a1, -3
    add a2, a0, a1;      CHECK(a2, 4)
    sub a2, a0, a1;      CHECK(a2, 10)
    sub a2, zero, a0;    CHECK(a2, -7)
    mv a3, a0
    neg a3, a3;          CHECK(a3, -7)
    li a3, 3
    sll a2, a0, a3;      CHECK(a2, 56)
    slt a2, a1, a0;      CHECK(a2, 1)
    slt a2, a0, a1;      CHECK(a2, 0)
    sltu a2, a0, a1;     CHECK(a2, 1)
    snez a2, a0;         CHECK(a2, 1)
    sltu a2, zero, zero; CHECK(a2, 0)
    sltz a2, a1;         CHECK(a2, 1)
    sgtz a2, a1;         CHECK(a2, 0)
    sgtz a2, a0;         CHECK(a2, 1)
    sltu a2, a0, zero;   CHECK(a2, 0)
    seqz a2, a0;         CHECK(a2, 0)
    xor a2, a0, a1;      CHECK(a2, -6)
    li a3, 1
    srl a2, a1, a3;      CHECK(a2, SRL_M3_1)
    sra a2, a1, a3;      CHECK(a2, -2)
    or a2, a0, a1;       CHECK(a2, -1)
    and a2, a0, a1;      CHECK(a2, 5)
    addi a2, a0, -10;    CHECK(a2, -3)
    slti a2, a0, 8;      CHECK(a2, 1)
    slti a2, a0, 7;      CHECK(a2, 0)
    sltiu a2, a1, 5;     CHECK(a2, 0)
    sltiu a2, a0, -1;    CHECK(a2, 1)
    not a2, a0;          CHECK(a2, -8)
    ori a2, a0, 0x10;    CHECK(a2, 23)
    andi a2, a1, 0xF0;   CHECK(a2, 0xF0)
    slli a2, a0, 4;      CHECK(a2, 112)
    srli a2, a1, TOP_NIBBLE_SHIFT; CHECK(a2, 15)
    srai a2, a1, 1;      CHECK(a2, -2)
    lui a2, 0x12345;     CHECK(a2, 0x12345000)
    lui a2, 0xFFFFF;     CHECK(a2, -4096)
    li a2, 0x12345678;   CHECK(a2, 0x12345678)
    li a2, -2048;        CHECK(a2, -2048)
    li a2, 2047;         CHECK(a2, 2047)
    mv a3, a0;           CHECK(a3, 7)
    add a2, zero, zero;  CHECK(a2, 0)
    or a2, zero, a0;     CHECK(a2, 7)
    xor a2, a0, zero;    CHECK(a2, 7)
    and a2, a0, zero;    CHECK(a2, 0)
    sll a2, zero, a0;    CHECK(a2, 0)
    srl a2, a0, zero;    CHECK(a2, 7)
    sub a2, a0, zero;    CHECK(a2, 7)
    mul a2, zero, a0;    CHECK(a2, 0)
    div a2, a0, zero;    CHECK(a2, -1)
    mv a3, a0
    div a3, a3, zero;    CHECK(a3, -1)
    mv a3, a0
    rem a3, a3, zero;    CHECK(a3, 7)
    addi zero, a0, 5
    add zero, a0, a1
    nop
    addi a2, zero, 99;   CHECK(a2, 99)
    xori a2, zero, -1;   CHECK(a2, -1)
    slti a2, zero, 1;    CHECK(a2, 1)
#if __riscv_xlen == 64
    addw a2, a0, a1;     CHECK(a2, 4)
    li a3, 0x7fffffff
    addw a2, a3, a0;     CHECK(a2, -2147483642)
    subw a2, a1, a0;     CHECK(a2, -10)
    negw a2, a0;         CHECK(a2, -7)
    li a4, 4
    sllw a2, a3, a4;     CHECK(a2, -16)
    srlw a2, a1, a4;     CHECK(a2, 0x0fffffff)
    sraw a2, a1, a4;     CHECK(a2, -1)
    addiw a2, a3, 1;     CHECK(a2, -2147483648)
    slliw a2, a0, 31;    CHECK(a2, -2147483648)
    srliw a2, a1, 28;    CHECK(a2, 15)
    sraiw a2, a1, 1;     CHECK(a2, -2)
    sext.w a2, a3;       CHECK(a2, 0x7fffffff)
    li a2, 0x123456789abcdef0; li a3, 0x12345678; slli a3, a3, 32; li a4, 0x9abcdef0; slli a4, a4, 32; srli a4, a4, 32
    or a3, a3, a4;       beq a2, a3, 1f; li a0, __LINE__; j test_fail; 1: addi s1, s1, 1
    lui a2, 0x80000
    addi a2, a2, -1;     CHECK(a2, 0xFFFFFFFF7FFFFFFF)
    lui a2, 0x80000
    addiw a2, a2, -1;    CHECK(a2, 0x7FFFFFFF)
    addiw a2, zero, -5;  CHECK(a2, -5)
    subw a2, zero, a1;   CHECK(a2, 3)
    sllw a2, a0, zero;   CHECK(a2, 7)
#endif
TEST_END
