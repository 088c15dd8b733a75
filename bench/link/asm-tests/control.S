/* Control flow: every branch with registers and with x0 (taken and not), direct calls
 * (jal, call = auipc+jalr), an alternate link register, indirect calls through a register,
 * through a code pointer in .data (R_RISCV_64/32) and through an address formed by lla,
 * tail calls, a switch over a relative jump table in .rodata (ADD32/SUB32), an absolute
 * jump table, recursion.
 * relax: no (its explicit .reloc branches would meet the assembler's own relocations)
 * expect64: 1075  expect32: 1075 */
#include "asm_test.h"

    .data
    .p2align 3
fptr:      PTR triple
abs_table: PTR case_a, case_b, case_c

    .section .rodata
    .p2align 2
rel_table:
    .4byte .Lcase0 - rel_table
    .4byte .Lcase1 - rel_table
    .4byte .Lcase2 - rel_table
    .4byte .Lcase3 - rel_table

    .text
    .p2align 2
add_one:   addi a0, a0, 1
           ret
triple:    slli a2, a0, 1
           add a0, a0, a2
           ret
via_t0:    addi a0, a0, 100
           jr t0
tail_target: addi a0, a0, 1000
           ret
tail_caller: addi a0, a0, 1
           tail tail_target

/* switch (a0) { 0: 11, 1: 22, 2: 33, default(3): 44 } through the relative table */
switch4:
    lla a1, rel_table
    slli a0, a0, 2
    add a0, a0, a1
    lw a0, 0(a0)
    add a0, a0, a1
    jr a0
.Lcase0: li a0, 11
    ret
.Lcase1: li a0, 22
    ret
.Lcase2: li a0, 33
    ret
.Lcase3: li a0, 44
    ret

case_a: li a0, 101
    ret
case_b: li a0, 202
    ret
case_c: li a0, 303
    ret

/* fib(n), recursive */
fib:
    li a1, 2
    blt a0, a1, 9f
    addi sp, sp, -4 * REGBYTES
    SREG ra, 0(sp)
    SREG s0, REGBYTES(sp)
    SREG a0, 2 * REGBYTES(sp)
    addi a0, a0, -1
    call fib
    mv s0, a0
    LREG a0, 2 * REGBYTES(sp)
    addi a0, a0, -2
    call fib
    add a0, a0, s0
    LREG ra, 0(sp)
    LREG s0, REGBYTES(sp)
    addi sp, sp, 4 * REGBYTES
9:  ret

/* A second code section: calls, jumps and branches between sections keep their
 * relocations (CALL_PLT, JAL, BRANCH, RVC_JUMP, RVC_BRANCH). */
    .section .text.far, "ax", @progbits
    .p2align 2
far_add_ten:
    addi a0, a0, 10
    ret
far_landing:
    li a0, 77
    .option push
    .option norvc
    j .Lback_full
    .option pop
far_landing_rvc:
    li a0, 88
    j .Lback_rvc

TEST_BEGIN
    li a0, 1
    call far_add_ten;    CHECK(a0, 11)
    .option push
    .option norvc
    jal far_add_ten;     CHECK(a0, 21)
    li a2, 0
    beq a2, zero, far_landing
    li a0, __LINE__
    j test_fail
    .option pop
.Lback_full:
    CHECK(a0, 77)
    li a2, 0
    beqz a2, far_landing_rvc
    li a0, __LINE__
    j test_fail
.Lback_rvc:
    CHECK(a0, 88)
    /* explicit BRANCH / RVC_BRANCH / RVC_JUMP relocations to nearby targets */
    li a2, 0
    .reloc ., R_RISCV_BRANCH, .Lnear_1
    beq a2, zero, .
    li a0, __LINE__
    j test_fail
    .reloc ., R_RISCV_RVC_BRANCH, .Lnear_2
.Lback_1:
    c.beqz a2, .
    li a0, __LINE__
    j test_fail
.Lnear_1:
    li a0, 1
    CHECK(a0, 1)
    j .Lback_1
.Lnear_2:
    .reloc ., R_RISCV_RVC_JUMP, .Lnear_3
    c.j .
    li a0, __LINE__
    j test_fail
.Lnear_3:
    CHECK(a2, 0)
    li a0, 5
    li a1, -5
    TAKEN(beq a0, a0)
    NOT_TAKEN(beq a0, a1)
    TAKEN(bne a0, a1)
    NOT_TAKEN(bne a0, a0)
    TAKEN(blt a1, a0)
    NOT_TAKEN(blt a0, a1)
    NOT_TAKEN(blt a0, a0)
    TAKEN(bge a0, a1)
    TAKEN(bge a0, a0)
    NOT_TAKEN(bge a1, a0)
    TAKEN(bltu a0, a1)
    NOT_TAKEN(bltu a1, a0)
    TAKEN(bgeu a1, a0)
    NOT_TAKEN(bgeu a0, a1)
    li a2, 0
    TAKEN(beqz a2)
    NOT_TAKEN(beqz a0)
    TAKEN(bnez a0)
    NOT_TAKEN(bnez a2)
    TAKEN(bltz a1)
    NOT_TAKEN(bltz a0)
    TAKEN(bgez a0)
    TAKEN(bgez a2)
    NOT_TAKEN(bgez a1)
    TAKEN(blez a1)
    TAKEN(blez a2)
    NOT_TAKEN(blez a0)
    TAKEN(bgtz a0)
    NOT_TAKEN(bgtz a2)
    NOT_TAKEN(bltu a0, zero)
    TAKEN(bgeu a0, zero)
    TAKEN(bltu zero, a0)
    NOT_TAKEN(bltu zero, a2)
    TAKEN(bgeu zero, a2)
    NOT_TAKEN(bgeu zero, a0)
    TAKEN(beq zero, zero)
    NOT_TAKEN(bne zero, zero)
    TAKEN(bge zero, zero)
    NOT_TAKEN(blt zero, zero)
    /* calls */
    li a0, 1
    jal add_one;         CHECK(a0, 2)
    call add_one;        CHECK(a0, 3)
    jal t0, via_t0;      CHECK(a0, 103)
    lla a3, triple
    jalr a3;             CHECK(a0, 309)
    li a0, 2
    LREG a3, fptr
    jalr a3;             CHECK(a0, 6)
    li a0, 0
    call tail_caller;    CHECK(a0, 1001)
    li a0, 0
    call switch4;        CHECK(a0, 11)
    li a0, 2
    call switch4;        CHECK(a0, 33)
    li a0, 3
    call switch4;        CHECK(a0, 44)
    li a0, 1
    call switch4;        CHECK(a0, 22)
    lla a3, abs_table
    LREG a3, 2 * REGBYTES(a3)
    jalr ra, 0(a3);      CHECK(a0, 303)
    li a0, 15
    call fib;            CHECK(a0, 610)
    /* compare + branch pairs whose flag register is dead on both paths (--fuse-compare) */
    li a0, 5
    li a1, -5
    slt a2, a1, a0
    bnez a2, 1f
    li a2, 0
    li a0, __LINE__
    j test_fail
1:  li a2, 0
    addi s1, s1, 1
    sltu a2, a0, a1
    beqz a2, 2f
    li a2, 0
    addi s1, s1, 1
    j 3f
2:  li a2, 0
    li a0, __LINE__
    j test_fail
3:  slti a2, a1, -4
    beqz a2, 4f
    li a2, 0
    addi s1, s1, 1
    j 5f
4:  li a2, 0
    li a0, __LINE__
    j test_fail
5:  sltiu a2, a0, 5
    bnez a2, 6f
    li a2, 0
    addi s1, s1, 1
    j 7f
6:  li a2, 0
    li a0, __LINE__
    j test_fail
7:  slt a2, a1, zero
    beqz a2, 8f
    li a2, 0
    addi s1, s1, 1
    j 9f
8:  li a2, 0
    li a0, __LINE__
    j test_fail
9:
    /* li + branch on the constant's register, dead on both paths (--fuse-compare) */
#define CONST_BRANCH(taken, branch...) branch, 10f; li a2, 0; .if taken; li a0, __LINE__; j test_fail; .else; addi s1, s1, 1; j 11f; .endif; \
    10: li a2, 0; .if taken; addi s1, s1, 1; .else; li a0, __LINE__; j test_fail; .endif; 11:
    li a0, 5
    li a1, -5
    li a2, 5;  CONST_BRANCH(1, beq a0, a2)
    li a2, 4;  CONST_BRANCH(0, beq a2, a0)
    li a2, 4;  CONST_BRANCH(1, bne a0, a2)
    li a2, 6;  CONST_BRANCH(1, blt a0, a2)
    li a2, 6;  CONST_BRANCH(0, blt a2, a0)
    li a2, -6; CONST_BRANCH(1, blt a2, a1)
    li a2, 5;  CONST_BRANCH(1, bge a0, a2)
    li a2, 5;  CONST_BRANCH(1, bge a2, a0)
    li a2, 4;  CONST_BRANCH(0, bge a2, a0)
    li a2, 6;  CONST_BRANCH(0, bltu a1, a2)
    li a2, 6;  CONST_BRANCH(1, bltu a2, a1)
    li a2, -1; CONST_BRANCH(1, bgeu a2, a1)
    li a2, -1; CONST_BRANCH(0, bgeu a1, a2)
    /* a loop: sum 1..100 */
    li a0, 0
    li a1, 100
1:  add a0, a0, a1
    addi a1, a1, -1
    bnez a1, 1b
    CHECK(a0, 5050)
    /* jump over code */
    j 2f
    li a0, __LINE__
    j test_fail
2:
TEST_END
