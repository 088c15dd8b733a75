/* Whether a 64-bit lea with a base and an index register is as cheap as an add on this host.
 *
 * The recompiler writes d = a + b into a third register as one `lea d, [a + b]`, and a
 * left shift by 1 as `lea d, [b + b]`. On AMD Zen 5 (family 0x1A) that form is the slow one:
 * a throughput loop of independent instructions (2026-12-06, EPYC family 26 model 2, TSC
 * ticks per instruction, three runs) measured 64-bit lea base+index 0.78-0.82 and b+b
 * 0.46-0.57, against mov+add 0.26-0.31, the 32-bit lea base+index (into a 32-bit register)
 * 0.30-0.33, lea with a displacement 0.32-0.40 and a scaled index without base 0.24-0.29.
 * The calibration saw the same: add_64's throughput series 120 ps per op against 38-40 ps
 * for and/or/xor/sub_64 (which are mov + op). On Intel cores the lea is one fast
 * instruction, so it stays the default elsewhere.
 * PVMLAB_JIT_LEA_INDEX64=1 / =0 forces the lea / the replacement (A/B and tests). */
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

#include "jit.h"

static bool slow_on_this_cpu(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return false;
    char vendor[13];
    memcpy(vendor, &ebx, 4);
    memcpy(vendor + 4, &edx, 4);
    memcpy(vendor + 8, &ecx, 4);
    vendor[12] = 0;
    if (strcmp(vendor, "AuthenticAMD") != 0 || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    unsigned family = (eax >> 8) & 0xF;
    if (family == 0xF) family += (eax >> 20) & 0xFF;
    return family >= 0x1A;
}

bool jit_lea_index64_fast(void)
{
    const char *s = getenv("PVMLAB_JIT_LEA_INDEX64");
    if (s && *s) return strcmp(s, "0") != 0;
    static int cached = -1; /* the answer never changes; races write the same value */
    if (cached < 0) cached = !slow_on_this_cpu();
    return cached;
}
