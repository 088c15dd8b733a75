/* Not translatable: reads a CSR. pvm-link must name the address and the instruction. */
    .text
    .globl test_main
test_main:
    li a0, 1
    csrr a0, cycle
    ret
