/* Data relocations re-applied with PVM addresses: pointers (R_RISCV_64 / R_RISCV_32),
 * label differences (ADD/SUB 8/16/32/64, SET6/SUB6, SET8/16/32 + SUB, SET/SUB_ULEB128),
 * and SET8 against an absolute symbol. Differences inside one section and dereferenced
 * pointers are the same in the ELF and in the PVM, so qemu agrees.
 * expect64: 1017  expect32: 1017 */
#include "asm_test.h"

    .set ABS_VALUE, 0x5a

    .data
    .p2align 3
d0:     .4byte 0x11111111
d1:     .4byte 0x22222222
d2:     .4byte 0x33333333
ptrs:   PTR d0, d1, d2 + 0, ptrs
    .p2align 3
diff64: .reloc ., R_RISCV_ADD64, d2
        .reloc ., R_RISCV_SUB64, d0
        .8byte 0
diff32: .reloc ., R_RISCV_ADD32, d2 + 4
        .reloc ., R_RISCV_SUB32, d0
        .4byte 0
diff16: .reloc ., R_RISCV_ADD16, d1
        .reloc ., R_RISCV_SUB16, d0
        .2byte 0
diff8:  .reloc ., R_RISCV_ADD8, d2
        .reloc ., R_RISCV_SUB8, d1
        .byte 0
set6:   .reloc ., R_RISCV_SET6, d2
        .reloc ., R_RISCV_SUB6, d0
        .byte 0xc0
set8:   .reloc ., R_RISCV_SET8, d1
        .reloc ., R_RISCV_SUB8, d0
        .byte 0
set16:  .reloc ., R_RISCV_SET16, d2
        .reloc ., R_RISCV_SUB16, d1
        .2byte 0
    .p2align 2
set32:  .reloc ., R_RISCV_SET32, d2
        .reloc ., R_RISCV_SUB32, d0
        .4byte 0
uleb:   .reloc ., R_RISCV_SET_ULEB128, ptrs
        .reloc ., R_RISCV_SUB_ULEB128, d0
        .byte 0x80, 0x00
abs8:   .reloc ., R_RISCV_SET8, ABS_VALUE
        .byte 0
    .p2align 2
pcrel:  .reloc ., R_RISCV_32_PCREL, d1
        .4byte 0

TEST_BEGIN
    lla a0, ptrs
    LREG a1, 0(a0)
    lw a2, 0(a1);          CHECK(a2, 0x11111111)
    LREG a1, REGBYTES(a0)
    lw a2, 0(a1);          CHECK(a2, 0x22222222)
    LREG a1, 2 * REGBYTES(a0)
    lw a2, 0(a1);          CHECK(a2, 0x33333333)
    LREG a1, 3 * REGBYTES(a0)
    sub a2, a1, a0;        CHECK(a2, 0)
    lla a0, diff64
    lw a2, 0(a0);          CHECK(a2, 8)
    lw a2, 4(a0);          CHECK(a2, 0)
    lw a2, diff32;         CHECK(a2, 12)
    lhu a2, diff16;        CHECK(a2, 4)
    lbu a2, diff8;         CHECK(a2, 4)
    lbu a2, set6;          CHECK(a2, 0xc8)
    lbu a2, set8;          CHECK(a2, 4)
    lhu a2, set16;         CHECK(a2, 4)
    lw a2, set32;          CHECK(a2, 8)
    lbu a2, uleb;          CHECK(a2, 0x8c)
    lbu a2, uleb + 1;      CHECK(a2, 0)
    lbu a2, abs8;          CHECK(a2, 0x5a)
    lla a0, pcrel
    lw a1, 0(a0)
    add a0, a0, a1
    lw a2, 0(a0);          CHECK(a2, 0x22222222)
TEST_END
