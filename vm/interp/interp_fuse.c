/* The interpreter's compile step: each instruction's dispatch code (xop): its
 * op, or a super-instruction when it and the next instruction of its basic
 * block form a pair of interp_fused.def, in the variant that takes the (second)
 * instructions' operands from where operand forwarding (interp_forward.c) has them;
 * and its record (interp_code.c) with its handler in the guarded loop of the module's
 * gas mode: block by block, a large program's halves on two threads. */
#include "vm/state/vm_state.h"
#include "vm/util/error.h"
#include "interp.h"
#include <pthread.h>
#include "vm/util/env_switch.h"

_Static_assert(PVM_INTERP_FUSED_COUNT < 255, "pair[][] holds a super-instruction's index plus one in a byte");
_Static_assert(PVM_INTERP_XOP_COUNT <= 65536, "an xop is 16 bits (pvm_instr.xop)");

static const uint8_t fused_pairs[][2] = {
#define FUSED(a, b) {PVM_OP_##a, PVM_OP_##b},
#include "interp_fused.def"
#undef FUSED
};

/* Below this many instructions a thread's start (tens of microseconds) costs more
 * than the half of the work it takes over. */
#define PARALLEL_MIN_INSTRS 16384

/* pair[first][second]: the super-instruction's index plus one, 0 for none (the first pair
 * listed wins, as the list is in order of frequency), built once from any thread
 * (pthread_once: vm/isa/isa.c says why not as a racing "idempotent" build). */
static uint8_t pair[PVM_OP_COUNT][PVM_OP_COUNT];
static pthread_once_t pair_once = PTHREAD_ONCE_INIT;

static void build_pairs(void)
{
    for (unsigned k = PVM_INTERP_FUSED_COUNT; k-- > 0;) pair[fused_pairs[k][0]][fused_pairs[k][1]] = (uint8_t)(k + 1);
}

static const uint8_t (*pair_table(void))[PVM_OP_COUNT]
{
    pthread_once(&pair_once, build_pairs);
    return (const uint8_t(*)[PVM_OP_COUNT])pair;
}

/* One thread's share: blocks [first_block, end_block), a block at a time (its xops,
 * then its records: the block's instructions are still in cache for the second). */
typedef struct {
    pvm_decoded *d;
    const uint8_t (*pair)[PVM_OP_COUNT];
    const uint32_t *cost;
    const pvm_interp_handlers *h;
    pvm_interp_op *code;
    uint32_t first_block, end_block;
    util_thread_usage used;
} share;

static void build_share(share *s)
{
    for (uint32_t k = s->first_block; k < s->end_block; k++) {
        const pvm_block *b = &s->d->blocks[k];
        pvm_interp_forward_xops(s->d, s->pair, b->first, b->first + b->count);
        pvm_interp_code_fill(s->d, s->cost, s->h, s->code, k, k + 1);
    }
}

static void *build_second(void *arg)
{
    share *s = arg;
    util_thread_usage u0 = util_thread_usage_now();
    build_share(s);
    s->used = util_thread_usage_since(&u0);
    return NULL;
}

pvm_status pvm_interp_prepare(pvm_module *m, pvm_error *err)
{
    pvm_decoded *d = &m->dec;
    pvm_gas_mode mode = m->engine->cfg.gas_mode;
    pvm_interp_op *code;
    pvm_status st = pvm_interp_code_alloc(d, &code, err);
    if (st) return st;
    m->interp_jump_table = pvm_interp_jump_table_build(d);
    if (!m->interp_jump_table) {
        pvm_interp_code_free(code, d->n_instrs);
        return pvm_fail(err, PVM_ERR_NO_MEMORY, "out of memory for the interpreter's jump table");
    }
    const pvm_interp_handlers h = pvm_interp_handlers_of(mode);
    /* (no gas: the records carry no cost, and the loops read left and cost as one word) */
    const uint32_t *cost = mode == PVM_GAS_NONE ? NULL : m->block_cost;
    share first = {d, pair_table(), cost, &h, code, 0, d->n_blocks, {0, 0}};
    share second = first;
    pthread_t thread;
    bool two = d->n_instrs >= PARALLEL_MIN_INSTRS && d->n_blocks >= 2 && !util_env_switch("PVMLAB_SERIAL_INTERP_PREPARE");
    if (two) {
        first.end_block = second.first_block = pvm_decoded_middle_block(d);
        two = pthread_create(&thread, NULL, build_second, &second) == 0;
        if (!two) first.end_block = d->n_blocks;
    }
    build_share(&first);
    if (two) pthread_join(thread, NULL);
    m->interp_second = second.used;
    m->interp_code = code;
    d->interp_threaded = (uint8_t)(1 + mode);
    return PVM_OK;
}
