/* XTheadCondMov, which PolkaVM's targets enable and clang emits for selects with
 * -march=..._xtheadcondmov: th.mveqz / th.mvnez rd, rs1, rs2 (rd = rs1 when rs2 is zero /
 * not zero), written as .insn (custom-0, funct3 1, funct7 0x20 / 0x21) so that the test
 * needs no assembler extension; x0 as the value and as the condition. No qemu oracle:
 * qemu 7.2 has no XThead extensions.
 * expect64: 1012  expect32: 1012 */
#include "asm_test.h"

#define MVEQZ(rd, rs1, rs2) .insn r 0xb, 1, 0x20, rd, rs1, rs2
#define MVNEZ(rd, rs1, rs2) .insn r 0xb, 1, 0x21, rd, rs1, rs2

TEST_BEGIN
    li a0, 5
    li a1, 7
    li a2, 0
    li a3, 9
    mv a4, a0
    MVEQZ(a4, a1, a2)     /* a2 == 0: moves */
    CHECK(a4, 7)
    mv a4, a0
    MVEQZ(a4, a1, a3)     /* a3 != 0: stays */
    CHECK(a4, 5)
    mv a4, a0
    MVNEZ(a4, a1, a3)     /* a3 != 0: moves */
    CHECK(a4, 7)
    mv a4, a0
    MVNEZ(a4, a1, a2)     /* a2 == 0: stays */
    CHECK(a4, 5)
    mv a4, a0
    MVEQZ(a4, zero, a2)   /* the value zero */
    CHECK(a4, 0)
    mv a4, a0
    MVNEZ(a4, zero, a2)
    CHECK(a4, 5)
    mv a4, a0
    MVEQZ(a4, a1, zero)   /* the condition zero: always / never */
    CHECK(a4, 7)
    mv a4, a0
    MVNEZ(a4, a1, zero)
    CHECK(a4, 5)
    mv a4, a0
    MVEQZ(a4, zero, zero)
    CHECK(a4, 0)
    li a5, -1             /* the whole register is the condition (upper bits alone on rv64) */
    slli a5, a5, 20
    mv a4, a0
    MVNEZ(a4, a1, a5)
    CHECK(a4, 7)
    mv a4, a0
    MVEQZ(zero, a1, a2)   /* to x0: nothing */
    CHECK(a4, 5)
    MVEQZ(a0, a0, a2)     /* rd = rs1 */
    CHECK(a0, 5)
TEST_END
