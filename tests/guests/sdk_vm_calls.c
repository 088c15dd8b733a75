/* pvm_memset and pvm_sbrk (pvm_guest.h) through clang, pvm-link and the VM: a fill of 200
 * bytes inside a buffer (the bytes around it untouched) and a heap grown by a page. Built
 * only as riscv ELFs (the instructions are not RISC-V: no qemu oracle, its qemu ELF is built
 * but never run); the test links it for latest64/latest32 and calls run. (For jamv1 and GP
 * standard output: bench/link/asm-tests/pvm_memset.S and pvm_sbrk.S.)
 * expect64: 11100  expect32: 11100 */
#include "pvm_guest.h"

static unsigned char buf[300];

uint64_t run(uint32_t size);
__attribute__((visibility("default"))) uint64_t run(uint32_t size)
{
    (void)size;
    pvm_memset(buf + 8, 0x1237, 200); /* the low byte, 0x37 = 55 */
    uint64_t sum = 0;
    for (unsigned i = 0; i < sizeof buf; i++) sum += buf[i];
    unsigned char *top = pvm_sbrk(0), *grown = pvm_sbrk(4096);
    return sum + (uint64_t)(grown - top) - 4096 + 100; /* 200 * 55 + 100 */
}
