/* Interpreter backend: computed-goto dispatch over the decoded program. */
#include <string.h>
#include "api/internal.h"
#include "memory/lazy.h"
#include "isa/isa.h"
#include "util/ticks.h"

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
static uint32_t wrap_addr(const pvm_instr *ins, const uint64_t *r)
{
    switch (pvm_op_table[ins->op].kind) {
    case PVM_KIND_REG_IMM_IMM: return (uint32_t)(r[ins->a] + ins->imm);
    case PVM_KIND_REG_REG_IMM: return (uint32_t)(r[ins->b] + ins->imm);
    default: return (uint32_t)ins->imm;
    }
}
static unsigned access_size(uint8_t op) { return pvm_op_mem_access((pvm_op)op).width; }
static uint64_t extend_load(uint8_t op, uint64_t v)
{
    pvm_mem_access a = pvm_op_mem_access((pvm_op)op);
    if (!a.is_signed || a.width == 8) return v;
    unsigned sh = 64 - 8 * a.width;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}
static uint64_t store_value(const pvm_instr *ins, const uint64_t *r)
{
    pvm_kind k = pvm_op_table[ins->op].kind;
    return (k == PVM_KIND_IMM_IMM || k == PVM_KIND_REG_IMM_IMM) ? ins->imm2 : r[ins->a];
}

#define TRACE 0
#define PROFILE 0
#define GAS_MODE PVM_GAS_NONE
#define LOOP_NAME run_nogas
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#define GAS_MODE PVM_GAS_SYNC
#define LOOP_NAME run_sync
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#define GAS_MODE PVM_GAS_ASYNC
#define LOOP_NAME run_async
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#undef PROFILE
/* The profiling loop reads the gas mode at run time; it is not the fast path. */
#define PROFILE 1
#define GAS_MODE gas_mode_rt
#define LOOP_NAME run_profiled
static pvm_gas_mode gas_mode_of(const pvm_instance *in) { return in->module->engine->cfg.gas_mode; }
#define gas_mode_rt gas_mode_of(inst)
#include "interp_loop.inc"
#undef GAS_MODE
#undef LOOP_NAME
#undef PROFILE
#undef TRACE
/* The memory-trace loop: every load and store calls the instance's trace hook. */
#define TRACE 1
#define PROFILE 0
#define GAS_MODE gas_mode_rt
#define LOOP_NAME run_traced
#include "interp_loop.inc"
#undef gas_mode_rt
#undef GAS_MODE
#undef LOOP_NAME
#undef PROFILE
#undef TRACE

void pvm_interp_run(pvm_instance *in, pvm_result *res)
{
    const pvm_decoded *d = &in->module->dec;
    uint32_t start;
    bool charge;
    memset(res, 0, sizeof *res);
    if (in->state == PVM_RUN_RESUME) {
        start = in->resume_index;
        charge = false;
    } else {
        start = pvm_decoded_index(d, in->pc);
        charge = true;
    }
    if (in->trace_fn) {
        run_traced(in, res, start, charge);
        return;
    }
    if (in->profile_count) {
        run_profiled(in, res, start, charge);
        return;
    }
    switch (in->module->engine->cfg.gas_mode) {
    case PVM_GAS_SYNC: run_sync(in, res, start, charge); break;
    case PVM_GAS_ASYNC: run_async(in, res, start, charge); break;
    default: run_nogas(in, res, start, charge); break;
    }
}
