/* PolkaVM's memset instruction as polkavm-derive writes it (`.insn r 0xb, 2, 0, zero, zero,
 * zero`: fill [a0, a0 + a2) with a1's low byte, a0 and a2 moving on). Linked for latest32/64
 * it is the memset instruction; for jamv1 and as a GP standard program (no such instruction)
 * pvm-link writes the same fill as a byte loop. No qemu oracle: not a RISC-V instruction.
 * expect64: 1007  expect32: 1007 */
#include "asm_test.h"

    .bss
    .p2align 3
buf:    .zero 256

TEST_BEGIN
    la s0, buf
    addi a0, s0, 8
    li a1, 0x1237                        /* only the low byte is stored */
    li a2, 200
    .insn r 0xb, 2, 0, zero, zero, zero
    sub a3, a0, s0
    CHECK(a3, 208)                       /* a0 past the fill */
    CHECK(a2, 0)
    lbu a3, 7(s0)
    CHECK(a3, 0)                         /* the bytes around it untouched */
    lbu a3, 8(s0)
    CHECK(a3, 0x37)
    lbu a3, 207(s0)
    CHECK(a3, 0x37)
    lbu a3, 208(s0)
    CHECK(a3, 0)
    li a2, 0                             /* an empty fill changes nothing */
    .insn r 0xb, 2, 0, zero, zero, zero
    lbu a3, 208(s0)
    CHECK(a3, 0)
TEST_END
