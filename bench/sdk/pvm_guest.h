/* pvm_guest.h: the guest SDK for C programs that run on the PVM, natively and as wasm32.
 *
 * One source, three meanings of the same two macros:
 *
 *   PVM_EXPORT(ret, name, arg_types...)  declares `name` as an entry point the host may call.
 *   PVM_IMPORT(ret, name, arg_types...)  declares `name` as a function the host provides.
 *
 * arg_types are 1 to 6 types; write `void` for a function without arguments.
 *
 * Write the export's definition yourself after the macro, with the same signature:
 *
 *   PVM_EXPORT(uint64_t, run, uint32_t);
 *   uint64_t run(uint32_t size) { ... }
 *
 * PVM_IMPORT defines the function (a stub), so use it once per program; other files declare
 * the prototype normally.
 *
 * riscv32 / riscv64 (the ELF that pvm-link translates), in the form PolkaVM's linker reads:
 *   - a metadata record (V1, packed) in section .polkavm_metadata:
 *       u8 version=1, u32 flags=0, u32 symbol_len, ptr symbol, u8 input_regs, u8 output_regs
 *     (the symbol bytes live in the same section);
 *   - an import is a function whose body is the word 0x0000000b, a pointer-sized slot holding
 *     the metadata address, then `ret`; pvm-link turns it into `ecalli k`;
 *   - an export is an entry {u8 version=1, ptr metadata, ptr function} in .polkavm_exports.
 * Native and wasm32: an export is a visible (wasm: exported) function; an import is an extern
 * function the harness provides (wasm: imported from module "env").
 *
 * Register counts: every argument takes ceil(sizeof(type) / sizeof(long)) registers, so a
 * uint64_t takes two on riscv32 (ILP32E), one on riscv64 (LP64E); `void` returns take none.
 * At most 6 arguments (a0..a5).
 */
#ifndef PVM_GUEST_H
#define PVM_GUEST_H

#include <stddef.h>
#include <stdint.h>

#if defined(__riscv)
#define PVM_GUEST_TARGET_PVM 1
#elif defined(__wasm32__)
#define PVM_GUEST_TARGET_WASM 1
#else
#define PVM_GUEST_TARGET_NATIVE 1
#endif

/* The freestanding runtime (bench/sdk/runtime) provides these on riscv and wasm32; native
 * builds get them from the host libc. Guests use nothing else from a C library. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* ---- the VM's own memset and sbrk (PolkaVM's guest instructions) ---------------------- */
/* On riscv these are the custom-0 encodings polkavm-derive uses, which pvm-link turns into
 * PVM instructions: pvm_memset fills n bytes at dst with value's low byte in one `memset`
 * (for jamv1 and GP standard output, which lack it, pvm-link writes a byte loop), and
 * pvm_sbrk grows the heap by size bytes and returns its new top (0 on failure; size 0 asks
 * for the top) in one `sbrk` (Latest32/64 only). Elsewhere (native, wasm32) memset, and a
 * null heap top. The C library's memset stays a store loop: the VM charges memset per
 * byte (1 gas a byte in the unit model), several times a store loop's gas on a large fill,
 * though faster; a guest that wants the time over the gas says so with pvm_memset. */
static inline void pvm_memset(void *dst, int value, size_t n)
{
#if PVM_GUEST_TARGET_PVM
    register void *a0 __asm__("a0") = dst;
    register unsigned long a1 __asm__("a1") = (unsigned char)value;
    register size_t a2 __asm__("a2") = n;
    __asm__ volatile(".insn r 0xb, 2, 0, zero, zero, zero" : "+r"(a0), "+r"(a2) : "r"(a1) : "memory");
#else
    memset(dst, value, n);
#endif
}

static inline void *pvm_sbrk(size_t size)
{
#if PVM_GUEST_TARGET_PVM
    void *top;
    __asm__ volatile(".insn r 0xb, 1, 0, %0, %1, zero" : "=r"(top) : "r"(size) : "memory");
    return top;
#else
    (void)size;
    return (void *)0;
#endif
}

/* ---- register counting over up to 6 argument types ---------------------------------- */
/* A function without arguments is declared with the single type `void`, which counts 0. */
#define PVM__REGS_OF(type)                                                                      \
    (__builtin_types_compatible_p(type, void) ? 0 : (sizeof(type) + sizeof(long) - 1) / sizeof(long))

#define PVM__COUNT_REGS(...)                                                                    \
    PVM__PICK(__VA_ARGS__, PVM__R6, PVM__R5, PVM__R4, PVM__R3, PVM__R2, PVM__R1, _)(__VA_ARGS__)
#define PVM__PICK(a, b, c, d, e, f, which, ...) which
#define PVM__R1(a) PVM__REGS_OF(a)
#define PVM__R2(a, ...) (PVM__REGS_OF(a) + PVM__R1(__VA_ARGS__))
#define PVM__R3(a, ...) (PVM__REGS_OF(a) + PVM__R2(__VA_ARGS__))
#define PVM__R4(a, ...) (PVM__REGS_OF(a) + PVM__R3(__VA_ARGS__))
#define PVM__R5(a, ...) (PVM__REGS_OF(a) + PVM__R4(__VA_ARGS__))
#define PVM__R6(a, ...) (PVM__REGS_OF(a) + PVM__R5(__VA_ARGS__))

#if defined(PVM_GUEST_TARGET_PVM)

#if __riscv_xlen == 64
#define PVM__PTR_DIRECTIVE ".quad"
#else
#define PVM__PTR_DIRECTIVE ".word"
#endif

struct pvm_metadata_v1 {
    uint8_t version;
    uint32_t flags;
    uint32_t symbol_len;
    const char *symbol;
    uint8_t input_regs;
    uint8_t output_regs;
} __attribute__((packed));

struct pvm_export_v1 {
    uint8_t version;
    const struct pvm_metadata_v1 *metadata;
    void *function;
} __attribute__((packed));

#define PVM__SECTION_METADATA __attribute__((section(".polkavm_metadata"), used))

/* The symbol bytes and the V1 record for `name`, as static objects named <prefix>_<name>. */
#define PVM__METADATA(prefix, ret, name, ...)                                                   \
    static const char prefix##_sym_##name[sizeof(#name) - 1] PVM__SECTION_METADATA = #name;     \
    static const struct pvm_metadata_v1 prefix##_meta_##name PVM__SECTION_METADATA = {          \
        1, 0, sizeof(#name) - 1, prefix##_sym_##name,                                           \
        PVM__COUNT_REGS(__VA_ARGS__), PVM__REGS_OF(ret)}

#define PVM_EXPORT(ret, name, ...)                                                              \
    __attribute__((used, visibility("default"))) ret name(__VA_ARGS__);                         \
    PVM__METADATA(pvm__export, ret, name, __VA_ARGS__);                                         \
    static const struct pvm_export_v1 pvm__export_##name                                        \
        __attribute__((section(".polkavm_exports"), used)) = {                                  \
            1, &pvm__export_meta_##name, (void *)name}

/* The stub lives in its own .text section so the linker sees it as a whole function. */
#define PVM_IMPORT(ret, name, ...)                                                              \
    PVM__METADATA(pvm__import, ret, name, __VA_ARGS__);                                         \
    __attribute__((visibility("hidden"))) ret name(__VA_ARGS__);                                \
    __asm__(".pushsection .text.pvm_import." #name ",\"ax\",@progbits\n"                        \
            ".globl " #name "\n"                                                                \
            ".hidden " #name "\n"                                                               \
            ".type " #name ",@function\n"                                                       \
            ".p2align 1\n" #name ":\n"                                                          \
            ".word 0x0000000b\n" PVM__PTR_DIRECTIVE " pvm__import_meta_" #name "\n"             \
            "ret\n"                                                                             \
            ".size " #name ", . - " #name "\n"                                                  \
            ".popsection\n")

/* Ask the linker for at least `bytes` of stack (section .polkavm_min_stack_size, u32). */
#define PVM_MIN_STACK_SIZE(bytes)                                                               \
    static const uint32_t pvm__min_stack_size                                                   \
        __attribute__((section(".polkavm_min_stack_size"), used)) = (bytes)

/* Stop the program with a trap (`unimp`). */
#define PVM_TRAP() __asm__ volatile("unimp")

#elif defined(PVM_GUEST_TARGET_WASM)

#define PVM_EXPORT(ret, name, ...)                                                              \
    __attribute__((visibility("default"), export_name(#name))) ret name(__VA_ARGS__)
#define PVM_IMPORT(ret, name, ...)                                                              \
    __attribute__((import_module("env"), import_name(#name))) ret name(__VA_ARGS__)
#define PVM_MIN_STACK_SIZE(bytes) _Static_assert((bytes) > 0, "stack size")
#define PVM_TRAP() __builtin_trap()

#else /* native */

#define PVM_EXPORT(ret, name, ...) __attribute__((visibility("default"))) ret name(__VA_ARGS__)
#define PVM_IMPORT(ret, name, ...) ret name(__VA_ARGS__)
#define PVM_MIN_STACK_SIZE(bytes) _Static_assert((bytes) > 0, "stack size")
#define PVM_TRAP() __builtin_trap()

#endif

#endif /* PVM_GUEST_H */
