/* The recompiler's VEX-encoded (BMI1/BMI2) instruction forms, double shifts,
 * adc, gs:[base32 + disp] memory operands and the setcc forms (none may merge a byte into
 * a register the compare did not read: `mov ecx, 0` first, or the target's own byte), byte for byte
 * against the encodings llvm-mc-19 gives (`llvm-mc -show-encoding`, shown in
 * AT&T order beside each case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vm/jit/x64_asm.h"

typedef struct {
    uint8_t bytes[16];
    x64_buf b;
} code;

static void start(code *c)
{
    memset(c, 0, sizeof *c);
    c->b = (x64_buf){.p = c->bytes, .cap = sizeof c->bytes, .fixed = true};
}

static void expect(const code *c, const uint8_t *want, size_t n)
{
    assert_int_equal(c->b.len, n);
    assert_memory_equal(c->bytes, want, n);
}
#define EXPECT(c, ...)                                            \
    do {                                                          \
        static const uint8_t want_[] = {__VA_ARGS__};             \
        expect((c), want_, sizeof want_);                         \
    } while (0)

static void mulx_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_mulx(&c.b, R9, RCX, RBX); /* mulxq %rbx, %rcx, %r9 */
    EXPECT(&c, 0xc4, 0x62, 0xf3, 0xf6, 0xcb);
    start(&c);
    x64_mulx32(&c.b, R9, RCX, RBX); /* mulx %ebx, %ecx, %r9d (GNU as) */
    EXPECT(&c, 0xc4, 0x62, 0x73, 0xf6, 0xcb);
    start(&c);
    x64_mulx32(&c.b, RDX, RCX, R8); /* mulx %r8d, %ecx, %edx */
    EXPECT(&c, 0xc4, 0xc2, 0x73, 0xf6, 0xd0);
}

static void andn_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_andn(&c.b, true, RDI, R14, R8); /* andnq %r8, %r14, %rdi */
    EXPECT(&c, 0xc4, 0xc2, 0x88, 0xf2, 0xf8);
    start(&c);
    x64_andn(&c.b, false, R10, RCX, RAX); /* andnl %eax, %ecx, %r10d */
    EXPECT(&c, 0xc4, 0x62, 0x70, 0xf2, 0xd0);
}

static void shiftx_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_shiftx(&c.b, true, SH_SHL, R12, RSI, R11); /* shlxq %r11, %rsi, %r12 */
    EXPECT(&c, 0xc4, 0x62, 0xa1, 0xf7, 0xe6);
    start(&c);
    x64_shiftx(&c.b, true, SH_SHR, RDX, R15, RAX); /* shrxq %rax, %r15, %rdx */
    EXPECT(&c, 0xc4, 0xc2, 0xfb, 0xf7, 0xd7);
    start(&c);
    x64_shiftx(&c.b, false, SH_SAR, R8, RDI, RCX); /* sarxl %ecx, %edi, %r8d */
    EXPECT(&c, 0xc4, 0x62, 0x72, 0xf7, 0xc7);
}

static void rorx_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_rorx(&c.b, true, RBP, R14, 13); /* rorxq $13, %r14, %rbp */
    EXPECT(&c, 0xc4, 0xc3, 0xfb, 0xf0, 0xee, 0x0d);
    start(&c);
    x64_rorx(&c.b, false, R9, RAX, 7); /* rorxl $7, %eax, %r9d */
    EXPECT(&c, 0xc4, 0x63, 0x7b, 0xf0, 0xc8, 0x07);
}

static void double_shift_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_shld_ri(&c.b, false, R15, RAX, 13); /* shldl $13, %eax, %r15d */
    EXPECT(&c, 0x41, 0x0f, 0xa4, 0xc7, 0x0d);
    start(&c);
    x64_shrd_ri(&c.b, true, RAX, RDI, 1); /* shrdq $1, %rdi, %rax */
    EXPECT(&c, 0x48, 0x0f, 0xac, 0xf8, 0x01);
    start(&c);
    x64_alu_ri(&c.b, false, ALU_ADC, R14, 0); /* adcl $0, %r14d */
    EXPECT(&c, 0x41, 0x83, 0xd6, 0x00);
    start(&c);
    x64_alu_ri(&c.b, true, ALU_ADC, RBX, 0); /* adcq $0, %rbx */
    EXPECT(&c, 0x48, 0x83, 0xd3, 0x00);
}

static void gs_addr32_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_gs_addr32(&c.b);
    x64_load(&c.b, false, RDI, x64_at(RSI, 600)); /* movl %gs:600(%esi), %edi */
    EXPECT(&c, 0x65, 0x67, 0x8b, 0xbe, 0x58, 0x02, 0x00, 0x00);
    start(&c);
    x64_gs_addr32(&c.b);
    x64_store(&c.b, true, x64_at(R13, 8), RAX); /* movq %rax, %gs:8(%r13d) */
    EXPECT(&c, 0x65, 0x67, 0x49, 0x89, 0x45, 0x08);
    start(&c);
    x64_gs_addr32(&c.b);
    x64_op_rm(&c.b, 0, 0, 0x0FB6, RBP, x64_at(R12, -4)); /* movzbl %gs:-4(%r12d), %ebp */
    EXPECT(&c, 0x65, 0x67, 0x41, 0x0f, 0xb6, 0x6c, 0x24, 0xfc);
    start(&c);
    x64_gs_addr32(&c.b);
    x64_load(&c.b, true, RAX, x64_idx(X64_NOBASE, RSP, 1, (int32_t)0xfffff000u)); /* movq %gs:0xfffff000, %rax (addr32) */
    EXPECT(&c, 0x65, 0x67, 0x48, 0x8b, 0x04, 0x25, 0x00, 0xf0, 0xff, 0xff);
}

static void setcc_forms(void **state)
{
    (void)state;
    code c;
    start(&c);
    x64_setcc_movzx(&c.b, CC_B, R9); /* movl $0, %ecx; setb %cl; movzbl %cl, %r9d */
    EXPECT(&c, 0xb9, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x92, 0xc1, 0x44, 0x0f, 0xb6, 0xc9);
    start(&c);
    x64_setcc_byte(&c.b, CC_NE, RSI); /* setne %sil (REX, not %dh) */
    EXPECT(&c, 0x40, 0x0f, 0x95, 0xc6);
    start(&c);
    x64_setcc_byte(&c.b, CC_L, R10); /* setl %r10b */
    EXPECT(&c, 0x41, 0x0f, 0x9c, 0xc2);
    start(&c);
    x64_setcc_in_place(&c.b, CC_B, RDI); /* setb %dil; movzbl %dil, %edi */
    EXPECT(&c, 0x40, 0x0f, 0x92, 0xc7, 0x40, 0x0f, 0xb6, 0xff);
    start(&c);
    x64_setcc_in_place(&c.b, CC_A, RAX); /* seta %al; movzbl %al, %eax */
    EXPECT(&c, 0x0f, 0x97, 0xc0, 0x0f, 0xb6, 0xc0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mulx_forms),
        cmocka_unit_test(andn_forms),
        cmocka_unit_test(shiftx_forms),
        cmocka_unit_test(rorx_forms),
        cmocka_unit_test(double_shift_forms),
        cmocka_unit_test(gs_addr32_forms),
        cmocka_unit_test(setcc_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
