/* PolkaVM's sbrk as polkavm-derive writes it: `.insn r 0xb, 1, 0, rd, rs1, zero` (the new
 * heap top in rd; rs1 = zero asks for it). Latest32/64 only: linked for jamv1 pvm-link
 * refuses it (link_pvm_sbrk_rv64_jamv1_refused). No qemu oracle: not a RISC-V instruction.
 * expect64: 1002  expect32: 1002 */
#include "asm_test.h"

TEST_BEGIN
    .insn r 0xb, 1, 0, a3, zero, zero   /* the heap top */
    li a4, 4096
    .insn r 0xb, 1, 0, a5, a4, zero     /* grown by a page: the new top */
    sub a5, a5, a3
    CHECK(a5, 4096)
    .insn r 0xb, 1, 0, a4, zero, zero   /* asked again: the same new top */
    sub a4, a4, a3
    CHECK(a4, 4096)

TEST_END
