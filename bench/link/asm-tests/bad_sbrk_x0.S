/* Not translatable: PolkaVM's sbrk (custom-0, funct3 1) into x0, whose result has nowhere
 * to go. pvm-link must name the address and the instruction. */
    .text
    .globl test_main
test_main:
    li a4, 4096
    .insn r 0xb, 1, 0, zero, a4, zero
    ret
