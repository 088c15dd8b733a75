/* Shared macros for the pvm-link assembly tests (C preprocessor over assembly).
 *
 * Each test defines test_main with TEST_BEGIN ... TEST_END. CHECK(reg, value) compares a
 * register with a constant: on a match it counts one more passed check in s1, otherwise
 * test_main returns 0xBAD00000 + the source line. TEST_END returns 1000 + the number of
 * checks passed, so every test ends with a known a0 (its "expect" comment) and `ret`,
 * which halts the PVM (ra = 0xFFFF0000) and returns to _start under qemu.
 * Only x0-x2 and x5-x15 are used (RV32E/RV64E); t2 is the scratch of CHECK. */
#if __riscv_xlen == 64
#define LREG ld
#define SREG sd
#define REGBYTES 8
#define PTR .quad
#else
#define LREG lw
#define SREG sw
#define REGBYTES 4
#define PTR .word
#endif

#define TEST_BEGIN                                                                   \
    .text; .globl test_main; .type test_main, @function; .p2align 2;                 \
test_main:                                                                           \
    addi sp, sp, -4 * REGBYTES; SREG ra, 0(sp); SREG s0, REGBYTES(sp);               \
    SREG s1, 2 * REGBYTES(sp); li s1, 0

#define TEST_END                                                                     \
    li a0, 1000; add a0, a0, s1;                                                     \
test_exit:                                                                           \
    LREG ra, 0(sp); LREG s0, REGBYTES(sp); LREG s1, 2 * REGBYTES(sp);                \
    addi sp, sp, 4 * REGBYTES; ret;                                                  \
test_fail:                                                                           \
    lui t2, 0xBAD00; add a0, a0, t2; j test_exit;                                    \
    .size test_main, . - test_main

#define CHECK(reg, value) li t2, value; beq reg, t2, 1f; li a0, __LINE__; j test_fail; 1: addi s1, s1, 1

/* A branch that must be taken / must not be taken. */
#define TAKEN(branch...) branch, 1f; li a0, __LINE__; j test_fail; 1: addi s1, s1, 1
#define NOT_TAKEN(branch...) branch, 1f; addi s1, s1, 1; j 2f; 1: li a0, __LINE__; j test_fail; 2:
