/* Imports and exports in the PolkaVM metadata form (as the guest SDK writes them): two
 * import stubs (word 0x0000000b + pointer to a V1 record) and one .polkavm_exports entry.
 * Imports are numbered by sorted name, so calling `zeta` must stop at `ecalli 1`.
 * No qemu oracle: the marker is not a RISC-V instruction.
 * expect-ecalli: 1 */
#include "asm_test.h"

    .section .polkavm_metadata, "a", @progbits
sym_zeta:   .ascii "zeta"
sym_alpha:  .ascii "alpha"
sym_entry:  .ascii "entry"
meta_zeta:  .byte 1; .4byte 0; .4byte 4; PTR sym_zeta; .byte 1; .byte 1
meta_alpha: .byte 1; .4byte 0; .4byte 5; PTR sym_alpha; .byte 1; .byte 1
meta_entry: .byte 1; .4byte 0; .4byte 5; PTR sym_entry; .byte 0; .byte 1

    .section .polkavm_exports, "a", @progbits
    .byte 1
    PTR meta_entry
    PTR entry

    .section .text.import.zeta, "ax", @progbits
    .p2align 1
zeta:
    .4byte 0x0000000b
    PTR meta_zeta
    ret
    .section .text.import.alpha, "ax", @progbits
    .p2align 1
alpha:
    .4byte 0x0000000b
    PTR meta_alpha
    ret

    .text
    .globl entry
    .p2align 2
entry:
    addi sp, sp, -16
    SREG ra, 0(sp)
    li a0, 5
    call zeta
    call alpha
    LREG ra, 0(sp)
    addi sp, sp, 16
    ret
