/* What every interpreter loop file (loop_*.c) sees before it includes interp_loop.inc:
 * the operations' helpers, the fixed-register placement of the loop's state, and the
 * loops' names. One loop configuration per file, so that a build compiles the eight (each
 * one large function with hundreds of labels) in parallel: in one file they were ~180 s
 * of one core, the longest step of a Release build. */
#ifndef PVM_INTERP_LOOP_ENV_H
#define PVM_INTERP_LOOP_ENV_H
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/state/vm_state.h"
#include "vm/memory/lazy.h"
#include "interp.h"
#include "interp_guard.h"
#include "vm/isa/isa.h"
#include "vm/util/ticks.h"

static inline uint64_t rotr64(uint64_t x, unsigned n) { n &= 63; return n ? (x >> n) | (x << (64 - n)) : x; }
static inline uint64_t rotl64(uint64_t x, unsigned n) { n &= 63; return n ? (x << n) | (x >> (64 - n)) : x; }
static inline uint32_t rotr32(uint32_t x, unsigned n) { n &= 31; return n ? (x >> n) | (x << (32 - n)) : x; }
static inline uint32_t rotl32(uint32_t x, unsigned n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }

static inline uint64_t sx32(uint32_t x) { return (uint64_t)(int64_t)(int32_t)x; }

static inline uint64_t div_s32(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0) return UINT64_MAX;
    if (x == INT32_MIN && y == -1) return sx32((uint32_t)x);
    return sx32((uint32_t)(x / y));
}
static inline uint64_t rem_s32(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0) return sx32((uint32_t)x);
    if (x == INT32_MIN && y == -1) return 0;
    return sx32((uint32_t)(x % y));
}
static inline uint64_t div_s64(uint64_t a, uint64_t b)
{
    int64_t x = (int64_t)a, y = (int64_t)b;
    if (y == 0) return UINT64_MAX;
    if (x == INT64_MIN && y == -1) return a;
    return (uint64_t)(x / y);
}
static inline uint64_t rem_s64(uint64_t a, uint64_t b)
{
    int64_t x = (int64_t)a, y = (int64_t)b;
    if (y == 0) return a;
    if (x == INT64_MIN && y == -1) return 0;
    return (uint64_t)(x % y);
}
static inline uint64_t mulh_ss(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64);
}
static inline uint64_t mulh_uu(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
static inline uint64_t mulh_su(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64);
}

/* Slow-path helpers for accesses that wrap around the 4 GiB space. */
static inline uint32_t wrap_addr(const pvm_instr *ins, const uint64_t *r)
{
    switch (pvm_op_table[ins->op].kind) {
    case PVM_KIND_REG_IMM_IMM: return (uint32_t)(r[ins->a] + ins->imm);
    case PVM_KIND_REG_REG_IMM: return (uint32_t)(r[ins->b] + ins->imm);
    default: return (uint32_t)ins->imm;
    }
}
static inline unsigned access_size(uint8_t op) { return pvm_op_mem_access((pvm_op)op).width; }
static inline uint64_t extend_load(uint8_t op, uint64_t v)
{
    pvm_mem_access a = pvm_op_mem_access((pvm_op)op);
    if (!a.is_signed || a.width == 8) return v;
    unsigned sh = 64 - 8 * a.width;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}
static inline uint64_t store_value(const pvm_instr *ins, const uint64_t *r)
{
    pvm_kind k = pvm_op_table[ins->op].kind;
    return (k == PVM_KIND_IMM_IMM || k == PVM_KIND_REG_IMM_IMM) ? ins->imm2 : r[ins->a];
}

/* A loop runs inst from instruction `start`; called with inst NULL, a guarded loop
 * instead hands out its handler addresses in *handlers (direct threading). */
typedef void loop_fn(pvm_instance *, pvm_result *, uint32_t, bool, pvm_interp_guard *, pvm_interp_handlers *handlers);

/* GCC's register allocation of the loops is fragile: each is one function with hundreds of
 * labels, every one reachable from every dispatch, and small changes elsewhere (a jump
 * table read, a gas check written another way) made it keep the record pointer `ins` on
 * the stack in one gas mode's loop: a load and a store in every handler, +15-27 % Ir.
 * So `ins` and `acc` are GCC local register variables in callee-saved registers (a
 * placement only: they are ordinary variables otherwise), and LOOP_KEEP after `ins++`
 * keeps GCC from dispatching through a copy of the old value. Other compilers, and
 * builds without optimisation, leave the allocation to the compiler. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__OPTIMIZE__)
#define LOOP_REG(name) __asm__(name)
#define LOOP_KEEP(v) __asm__("" : "+r"(v))
/* ins += its record's next (interp.h), in place: written in C, GCC read the branches'
 * records through a copy of ins (`mov %rbx,%rax` in every branch handler). */
#define LOOP_ADVANCE_NEXT(ptr_) do { uint64_t t_; \
        __asm__("movzbl %c[o](%[p]), %k[t]\n\tadd %[t], %[p]" : [p] "+r"(ptr_), [t] "=&r"(t_) \
                : [o] "i"(offsetof(pvm_interp_op, next))); } while (0)
/* The guarded loops keep gas and the counts in r15, r14 and r13 too (no memory
 * read-modify-write chain at every block entry); the fault handler reads them from the
 * signal context, as it reads ins (interp_guard.h). */
#define LOOP_COUNTS_IN_REGS PVM_INTERP_GUARD_RBX
/* rbp only where it is not the frame pointer: the sanitizer build keeps frame pointers
 * (-fno-omit-frame-pointer, CMakeLists.txt), and GCC then refuses rbp to a register variable. */
#if defined(PVMLAB_SANITIZE)
#define LOOP_REG_FRAME(name)
#else
#define LOOP_REG_FRAME(name) __asm__(name)
#endif
#else
#define LOOP_REG_FRAME(name)
#define LOOP_REG(name)
#define LOOP_KEEP(v) ((void)0)
#define LOOP_ADVANCE_NEXT(p) ((p) = (const pvm_interp_op *)((const char *)(p) + (p)->next))
#define LOOP_COUNTS_IN_REGS 0
#endif

/* Async gas (and the guarded sync charge) may start negative, down to INT64_MIN, as a host
 * set it: subtracted in two's complement, as the recompiler's `sub` does, not as a signed
 * overflow (undefined). The same instructions as `gas -= cost`. */
static inline int64_t gas_minus(int64_t gas, uint64_t cost) { return (int64_t)((uint64_t)gas - cost); }

/* The loops (loop_*.c): guarded (accesses unchecked under the guard window) in each gas
 * mode, checked in each gas mode, the gas-profile loop and the trace loop. */
loop_fn pvm_interp_loop_nogas, pvm_interp_loop_sync, pvm_interp_loop_async;
loop_fn pvm_interp_loop_nogas_checked, pvm_interp_loop_sync_checked, pvm_interp_loop_async_checked;
loop_fn pvm_interp_loop_profiled, pvm_interp_loop_traced;

#endif
