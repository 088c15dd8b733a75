/* A loop with a cold path: the load at the loop head feeds a branch to a block that runs
 * once (a zero in the data); that block (a load, a store, a division, a jump back) costs
 * more than an `unlikely` under every reference pipeline model, so pvm-link's unlikely hint goes there for free and
 * the branch into it is priced as predicted (tests/link/unlikely_test.c checks the costs;
 * this file checks that the program still computes the same).
 * expect64: 1002  expect32: 1002 */
#include "asm_test.h"

    .data
    .p2align 3
values:  PTR 1, 2, 3, 0, 5, 6, 7, 8
counter: PTR 0

TEST_BEGIN
    lla a0, values
    li a1, 8                /* elements */
    li a2, 0                /* sum */
loop:
    LREG a3, 0(a0)
    beqz a3, cold           /* taken once */
back:
    add a2, a2, a3
    addi a0, a0, REGBYTES
    addi a1, a1, -1
    bnez a1, loop
    j done
cold:
    lla a4, counter
    LREG a5, 0(a4)
    addi a5, a5, 1
    SREG a5, 0(a4)
    divu a3, a5, a5         /* the zero counts as 1 */
    j back
done:
    CHECK(a2, 33)
    lla a4, counter
    LREG a5, 0(a4)
    CHECK(a5, 1)
TEST_END
