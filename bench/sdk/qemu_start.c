/* _start for running a riscv guest ELF under qemu-riscv64/32 (Linux user mode), the oracle
 * that checks a guest's compiled code before pvm-link and the VM exist.
 *
 * Usage: qemu-riscv64 guest.qemu.elf SIZE  -> prints the checksum of run(SIZE) as 16 hex
 * digits and a newline, exit status 0 (2 on a bad argument).
 *
 * Built for the same RVE ABI as the guest: lld refuses to mix RVE and non-RVE objects.
 * qemu runs an RVE ELF with the CPU in RVE mode (x16..x31 trap) and, since RVE has no a7,
 * takes the Linux syscall number from t0 (see qemu linux-user/riscv/cpu_loop.c). */
#include "pvm_guest.h"

uint64_t run(uint32_t size);

enum { SYS_WRITE = 64, SYS_EXIT_GROUP = 94 };

long oracle_syscall3(long a0, long a1, long a2, long number);
__asm__(".pushsection .text.oracle_syscall3,\"ax\",@progbits\n"
        ".p2align 2\n"
        "oracle_syscall3:\n"
        "  mv t0, a3\n"
        "  ecall\n"
        "  ret\n"
        ".popsection\n");

static __attribute__((noreturn)) void oracle_exit(int status)
{
    for (;;)
        oracle_syscall3(status, 0, 0, SYS_EXIT_GROUP);
}

static int parse_u32(const char *text, uint32_t *out)
{
    uint64_t value = 0;
    if (!text || !*text)
        return 0;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return 0;
        value = value * 10 + (uint64_t)(*text - '0');
        if (value > 0xffffffffu)
            return 0;
    }
    *out = (uint32_t)value;
    return 1;
}

/* Called by _start with the initial stack: argc, argv[0], argv[1], ... */
void oracle_main(const uintptr_t *stack)
{
    uint32_t size;
    if (stack[0] < 2 || !parse_u32((const char *)stack[2], &size))
        oracle_exit(2);
    uint64_t checksum = run(size);
    char text[17];
    for (int i = 0; i < 16; i++)
        text[i] = "0123456789abcdef"[(checksum >> (60 - 4 * i)) & 0xf];
    text[16] = '\n';
    oracle_syscall3(1, (long)text, sizeof text, SYS_WRITE);
    oracle_exit(0);
}

__attribute__((naked, noreturn)) void _start(void)
{
    __asm__("mv a0, sp\n"
            "andi sp, sp, -16\n"
            "call oracle_main\n"
            "unimp\n");
}
