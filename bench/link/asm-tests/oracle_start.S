/* _start for running an assembly test under qemu-riscv64/32 (Linux user mode): calls
 * test_main, prints a0 as hex and exits 0. RVE has no a7, so qemu takes the syscall
 * number from t0. */
#if __riscv_xlen == 64
#define DIGITS 16
#else
#define DIGITS 8
#endif
    .text
    .globl _start
_start:
    call test_main
    mv s0, a0
    addi sp, sp, -32
    li t1, DIGITS
    mv a1, sp
1:  addi t1, t1, -1
    slli a2, t1, 2
    srl a3, s0, a2
    andi a3, a3, 15
    li a4, 10
    blt a3, a4, 2f
    addi a3, a3, 'a' - 10 - '0'
2:  addi a3, a3, '0'
    sb a3, 0(a1)
    addi a1, a1, 1
    bnez t1, 1b
    li a3, '\n'
    sb a3, 0(a1)
    li a0, 1
    mv a1, sp
    li a2, DIGITS + 1
    li t0, 64          /* write */
    ecall
    li a0, 0
    li t0, 93          /* exit */
    ecall
