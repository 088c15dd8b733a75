/* Absolute (non-PIC) addressing in a non-PIE executable: lui %hi with addi/load/store
 * %lo (HI20, LO12_I, LO12_S).
 * link: exec
 * expect64: 1005  expect32: 1005 */
#include "asm_test.h"

    .data
    .p2align 3
number: .4byte 0x12345678
slot:   .4byte 0
    .bss
space:  .zero 16

TEST_BEGIN
    lui a0, %hi(number)
    addi a0, a0, %lo(number)
    lw a2, 0(a0);            CHECK(a2, 0x12345678)
    lui a1, %hi(number)
    lw a2, %lo(number)(a1);  CHECK(a2, 0x12345678)
    lui a1, %hi(slot)
    li a3, 77
    sw a3, %lo(slot)(a1)
    lla a0, slot
    lw a2, 0(a0);            CHECK(a2, 77)
    lui a0, %hi(space)
    lhu a2, %lo(space)(a0);  CHECK(a2, 0)
    lui a0, %hi(space + 4)
    sh a3, %lo(space + 4)(a0)
    lla a0, space
    lhu a2, 4(a0);           CHECK(a2, 77)
TEST_END
