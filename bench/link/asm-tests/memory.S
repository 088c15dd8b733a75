/* Loads and stores: every width, signed and unsigned, through the stack, .data, .bss,
 * .rodata and a GOT slot; pc-relative address pairs (PCREL_HI20 with LO12_I and LO12_S,
 * GOT_HI20), stores of x0.
 * expect64: 1032  expect32: 1025 */
#include "asm_test.h"

    .section .rodata
    .p2align 3
table:  .4byte 10, 20, 30, 40
    .data
    .p2align 3
val64:  .quad 0x1122334455667788
bytes:  .byte 0x80, 0x7f, 0xff, 0x01
halves: .2byte 0x8001, 0x7fff
words:  .4byte 0x80000001
    .bss
    .p2align 3
buf:    .zero 64

TEST_BEGIN
    lla a0, bytes
    lb a2, 0(a0);        CHECK(a2, -128)
    lbu a2, 0(a0);       CHECK(a2, 128)
    lb a2, 1(a0);        CHECK(a2, 127)
    lbu a2, 2(a0);       CHECK(a2, 255)
    lla a0, halves
    lh a2, 0(a0);        CHECK(a2, -32767)
    lhu a2, 0(a0);       CHECK(a2, 0x8001)
    lh a2, 2(a0);        CHECK(a2, 0x7fff)
    lla a0, words
    lw a2, 0(a0);        CHECK(a2, -2147483647)
    lw a2, words;        CHECK(a2, -2147483647)
    lla a0, val64
    lw a2, 0(a0);        CHECK(a2, 0x55667788)
    lw a2, 4(a0);        CHECK(a2, 0x11223344)
#if __riscv_xlen == 64
    lwu a2, words;       CHECK(a2, 0x80000001)
    ld a2, 0(a0);        CHECK(a2, 0x1122334455667788)
    ld a2, val64;        CHECK(a2, 0x1122334455667788)
#endif
    lw a2, table + 8;    CHECK(a2, 30)
    lla a1, table
    lw a2, 12(a1);       CHECK(a2, 40)
    /* stores into .bss, read back */
    lla a0, buf
    li a3, -2
    sb a3, 0(a0)
    sh a3, 2(a0)
    sw a3, 4(a0)
    lbu a2, 0(a0);       CHECK(a2, 0xfe)
    lhu a2, 2(a0);       CHECK(a2, 0xfffe)
    lw a2, 4(a0);        CHECK(a2, -2)
    sb zero, 1(a0)
    lhu a2, 0(a0);       CHECK(a2, 0x00fe)
    sw zero, 4(a0)
    lw a2, 4(a0);        CHECK(a2, 0)
    li a3, 0x5a
    sw a3, buf + 16, t0
    lw a2, 16(a0);       CHECK(a2, 0x5a)
    sh a3, buf + 20, t0
    lhu a2, 20(a0);      CHECK(a2, 0x5a)
    sb a3, buf + 22, t0
    lbu a2, 22(a0);      CHECK(a2, 0x5a)
#if __riscv_xlen == 64
    li a3, 0x0102030405060708
    sd a3, 8(a0)
    ld a2, 8(a0);        CHECK(a2, 0x0102030405060708)
    lbu a2, 15(a0);      CHECK(a2, 1)
    sd zero, 8(a0)
    ld a2, 8(a0);        CHECK(a2, 0)
    sd a3, buf + 24, t0
    ld a2, 24(a0);       CHECK(a2, 0x0102030405060708)
#endif
    /* the stack */
    addi sp, sp, -32
    li a3, 1234
    SREG a3, 8(sp)
    SREG zero, 16(sp)
    LREG a2, 8(sp);      CHECK(a2, 1234)
    LREG a2, 16(sp);     CHECK(a2, 0)
    addi sp, sp, 32
    /* a GOT slot (PIC `la`) */
    .option push
    .option pic
    la a0, words
    .option pop
    lw a2, 0(a0);        CHECK(a2, -2147483647)
    /* .data written, then read through another pair */
    lla a0, bytes
    li a3, 0x33
    sb a3, 3(a0)
    lw a2, bytes;        CHECK(a2, 0x33ff7f80)
TEST_END
