/* The C extension spelled out instruction by instruction (the assembler would otherwise
 * choose), so every compressed form pvm-link expands is exercised.
 * expect64: 1022  expect32: 1017 */
#include "asm_test.h"

    .text
    .p2align 1
c_helper:
    c.addi a0, 5
    c.jr ra

TEST_BEGIN
    c.li a0, -7;          CHECK(a0, -7)
    c.addi a0, 9;         CHECK(a0, 2)
    c.lui a1, 0x12;       CHECK(a1, 0x12000)
    c.lui a1, 0xfffff;    CHECK(a1, -4096)
    c.li a1, 3
    c.slli a1, 4;         CHECK(a1, 48)
    c.mv s0, a1
    c.srli s0, 2;         CHECK(s0, 12)
    c.li a2, -16
    c.srai a2, 2;         CHECK(a2, -4)
    c.andi a2, 7;         CHECK(a2, 4)
    c.li a3, 6
    c.li a4, 3
    c.add a3, a4;         CHECK(a3, 9)
    c.sub a3, a4;         CHECK(a3, 6)
    c.xor a3, a4;         CHECK(a3, 5)
    c.or a3, a4;          CHECK(a3, 7)
    c.and a3, a4;         CHECK(a3, 3)
    c.nop
    c.addi16sp sp, -64
    c.addi4spn a5, sp, 16
    c.li a0, 21
    c.sw a0, 4(a5)
    c.lw a1, 4(a5);       CHECK(a1, 21)
    c.swsp a0, 8(sp)
    c.lwsp a2, 8(sp);     CHECK(a2, 21)
#if __riscv_xlen == 64
    c.li a0, -1
    c.sd a0, 8(a5)
    c.ld a1, 8(a5);       CHECK(a1, -1)
    c.sdsp a0, 32(sp)
    c.ldsp a2, 32(sp);    CHECK(a2, -1)
    li a3, 0x7fffffff
    c.addiw a3, 1;        CHECK(a3, -2147483648)
    li a3, 0x7fffffff
    c.li a4, 1
    c.addw a3, a4;        CHECK(a3, -2147483648)
    c.subw a3, a4;        CHECK(a3, 0x7fffffff)
#endif
    c.addi16sp sp, 64
    c.li a0, 1
#if __riscv_xlen == 32
    c.jal c_helper;       CHECK(a0, 6)
#else
    call c_helper;        CHECK(a0, 6)
#endif
    lla a3, c_helper
    c.jalr a3;            CHECK(a0, 11)
    c.li a2, 0
    c.beqz a2, 1f
    li a0, __LINE__
    j test_fail
1:  c.bnez a0, 2f
    li a0, __LINE__
    j test_fail
2:  c.j 3f
    li a0, __LINE__
    j test_fail
3:
TEST_END
