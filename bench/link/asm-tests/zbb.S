/* Zbb: logic with inversion, counts, min/max, sign/zero extension, rotates, rev8, orc.b.
 * expect64: 1042  expect32: 1032 */
#include "asm_test.h"
#define XLEN __riscv_xlen
#if XLEN == 64
#define ROR_1_4 0x1000000000000000
#define RORI_1_1 0x8000000000000000
#define REV8_1 0x0100000000000000
#define REV8_X 0x80ff341200000000
#else
#define ROR_1_4 0x10000000
#define RORI_1_1 0x80000000
#define REV8_1 0x01000000
#define REV8_X 0x80ff3412
#endif

TEST_BEGIN
    li a0, 0xf0
    li a1, 0xff
    andn a2, a1, a0;     CHECK(a2, 0x0f)
    orn a2, a0, a1;      CHECK(a2, -16)
    xnor a2, a0, a1;     CHECK(a2, -16)
    clz a2, a0;          CHECK(a2, XLEN - 8)
    clz a2, zero;        CHECK(a2, XLEN)
    li a3, 0
    clz a2, a3;          CHECK(a2, XLEN)
    ctz a2, a0;          CHECK(a2, 4)
    ctz a2, a3;          CHECK(a2, XLEN)
    cpop a2, a1;         CHECK(a2, 8)
    li a3, -1
    cpop a2, a3;         CHECK(a2, XLEN)
    li a3, -5
    max a2, a0, a3;      CHECK(a2, 0xf0)
    maxu a2, a0, a3;     CHECK(a2, -5)
    min a2, a0, a3;      CHECK(a2, -5)
    minu a2, a0, a3;     CHECK(a2, 0xf0)
    max a2, a3, zero;    CHECK(a2, 0)
    mv a4, a3
    max a4, a4, zero;    CHECK(a4, 0)
    mv a4, a3
    min a4, zero, a4;    CHECK(a4, -5)
    minu a2, a3, zero;   CHECK(a2, 0)
    sext.b a2, a1;       CHECK(a2, -1)
    li a3, 0x1234ff80
    sext.b a2, a3;       CHECK(a2, -128)
    sext.h a2, a3;       CHECK(a2, -128)
    zext.h a2, a3;       CHECK(a2, 0xff80)
    li a3, 1
    li a4, 4
    rol a2, a3, a4;      CHECK(a2, 16)
    ror a2, a3, a4;      CHECK(a2, ROR_1_4)
    rori a2, a3, 1;      CHECK(a2, RORI_1_1)
    rev8 a2, a3;         CHECK(a2, REV8_1)
    li a3, 0x1234ff80
    rev8 a2, a3;         CHECK(a2, REV8_X)
    rol a2, a3, zero;    CHECK(a2, 0x1234ff80)
    li a3, 0x12000080
    orc.b a2, a3;        CHECK(a2, 0xff0000ff)
    orc.b a3, a3;        CHECK(a3, 0xff0000ff)
    li a3, -1
    orc.b a2, a3;        CHECK(a2, -1)
    orc.b a2, zero;      CHECK(a2, 0)
#if XLEN == 64
    li a3, 0x0100000000000001
    orc.b a3, a3;        CHECK(a3, 0xff000000000000ff)
#endif
#if XLEN == 64
    clzw a2, a0;         CHECK(a2, 24)
    li a3, 0x100000000
    ctzw a2, a3;         CHECK(a2, 32)
    clzw a2, a3;         CHECK(a2, 32)
    li a3, -1
    cpopw a2, a3;        CHECK(a2, 32)
    li a3, 1
    rolw a2, a3, a4;     CHECK(a2, 16)
    rorw a2, a3, a4;     CHECK(a2, 0x10000000)
    roriw a2, a3, 1;     CHECK(a2, -2147483648)
    li a3, 0x80000001
    li a4, 1
    rolw a2, a3, a4;     CHECK(a2, 3)
    rorw a2, a3, a4;     CHECK(a2, -1073741824)
#endif
TEST_END
