/* Cycle-level simulation of one basic block (see pipeline_sim.h).
 *
 * Per cycle ("tick"), in this order: retire the run of executed entries at
 * the ROB head; start up to max_starts ready entries, oldest first, whose
 * units are free; advance every executing entry (an entry reaching 0 cycles
 * remaining wakes its consumers and frees its units and registers; one
 * cycle later it is "executed" and may retire); decoded entries become
 * waiting. Instructions are fed in order, each taking decode slots of the
 * current cycle; a terminator drains the ROB. */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include "pipeline_sim.h"
#include "gas.h"

/* The ROB is a ring of 64 slots (in_flight <= rob_size <= 64 of them in use):
 * entry i in age order sits in slot (head + i) mod 64, so rotating a slot
 * mask right by head lists entries oldest first, and each state is one mask
 * (a slot in none of them is empty). Which slot an entry takes is not
 * observable: every scan goes oldest first, as PolkaVM's does. */
#define RING 64
_Static_assert(PVM_PIPELINE_MAX_ROB <= RING, "the ROB fits the slot masks");

/* The units an entry holds and the free pools, one byte per unit: the
 * parameter check keeps every pool and need <= PVM_PIPELINE_MAX_WIDTH < 128,
 * so a need fits its pool exactly when subtracting it from the pool with bit 7
 * set leaves bit 7 set, for all units in one subtraction. */
_Static_assert(PVM_PIPELINE_MAX_WIDTH < 128 && PVM_UNIT_COUNT <= 8, "units pack into bytes");
#define UNIT_GUARDS UINT64_C(0x8080808080)
static uint64_t pack_units(const uint32_t u[PVM_UNIT_COUNT])
{
    uint64_t x = 0;
    for (int i = 0; i < PVM_UNIT_COUNT; i++) x |= (uint64_t)(u[i] & 0x7F) << (8 * i);
    return x;
}

typedef struct {
    const pvm_pipeline_params *p;
    const pvm_pipeline_run_opts *o;
    uint64_t cycles;
    uint64_t cycle_limit; /* only parameters that fail the check can reach it */
    uint32_t decode_left;
    uint64_t units_free; /* packed (pack_units) */
    uint32_t in_flight, head, tail, line;
    uint64_t decoded, waiting, executing, executed; /* slot masks, one per state */
    uint64_t blocked;   /* slots with a dependency not yet ready (deps != 0) */
    /* An executing entry's remaining cycles are done_at - cycles: it reaches 0
     * (the result is ready) when cycles reaches done_at, and the entry is
     * executed one tick later. min_done: the least done_at of the executing
     * entries (UINT64_MAX: none); no tick before it changes any of them. */
    uint64_t min_done;
    uint64_t done_at[RING];
    uint64_t need[RING];      /* packed units */
    uint64_t deps[RING];      /* slots whose results this entry waits for */
    uint64_t consumers[RING]; /* slots that wait for this entry's result */
    uint32_t latency[RING];
    uint16_t written[RING];   /* guest registers this entry last wrote (bit r <=> rename[r] is it) */
    uint32_t line_of[RING];
    int8_t rename[PVM_REG_COUNT]; /* register -> producing ROB slot, -1 = ready */
} sim;

static void emit(sim *s, uint32_t line, char ev)
{
    if (s->o->on_event) s->o->on_event(s->o->ctx, s->cycles, line, ev);
}

static inline uint64_t bit(uint32_t k) { return UINT64_C(1) << k; }
static inline uint64_t rotr(uint64_t x, uint32_t n) { return (x >> n) | (x << ((RING - n) & (RING - 1))); }
/* A slot mask in age order (bit i = the i-th oldest entry), and back to a slot. */
static inline uint64_t by_age(const sim *s, uint64_t slots) { return rotr(slots, s->head); }
static inline uint32_t slot_of_age(const sim *s, uint64_t aged) { return (s->head + (uint32_t)__builtin_ctzll(aged)) & (RING - 1); }

/* The steps of a tick (retire, start_ready, finish_execution, advance, tick itself)
 * and dispatch are inlined into the run: a call per step and cycle, each saving and
 * restoring registers, cost about a seventh of the simulation's Ir. */
static inline __attribute__((always_inline)) uint32_t retire(sim *s)
{
    if (!(s->executed >> s->head & 1) && !s->o->on_event) return 0; /* the oldest entry is not executed */
    uint64_t done = by_age(s, s->executed);
    uint32_t n = ~done ? (uint32_t)__builtin_ctzll(~done) : RING; /* the run of executed entries at the head */
    if (s->o->on_event) /* the executed entries behind the run wait */
        for (uint64_t a = done; a; a &= a - 1)
            emit(s, s->line_of[slot_of_age(s, a)], (uint32_t)__builtin_ctzll(a) < n ? PVM_EV_RETIRE : PVM_EV_RETIRE_WAIT);
    uint64_t run = n == RING ? ~UINT64_C(0) : bit(n) - 1;
    s->executed &= ~rotr(run, (RING - s->head) & (RING - 1));
    s->in_flight -= n;
    s->head = (s->head + n) & (RING - 1);
    return n;
}

static bool units_fit(const sim *s, uint32_t k)
{
    return (((s->units_free | UNIT_GUARDS) - s->need[k]) & UNIT_GUARDS) == UNIT_GUARDS;
}

/* Oldest first among the entries whose operands are ready; one that does not
 * fit stays waiting (units only get scarcer within a cycle, so one pass equals
 * PolkaVM's repeated picks). A started entry is done latency cycles after this
 * tick's cycle. */
static inline __attribute__((always_inline)) void start_ready(sim *s)
{
    uint32_t started = 0;
    for (uint64_t a = by_age(s, s->waiting & ~s->blocked); a && started < s->p->max_starts; a &= a - 1) {
        uint32_t k = slot_of_age(s, a);
        if (!units_fit(s, k)) continue;
        s->units_free -= s->need[k];
        s->waiting &= ~bit(k);
        s->executing |= bit(k);
        uint64_t done = s->cycles + s->latency[k];
        s->done_at[k] = done;
        if (done < s->min_done) s->min_done = done;
        started++;
    }
    if (s->o->on_event)
        for (uint64_t a = by_age(s, s->waiting); a; a &= a - 1) emit(s, s->line_of[slot_of_age(s, a)], PVM_EV_WAIT);
}

/* The result of k is ready: its consumers stop waiting for it (only they have
 * k among their dependencies), the registers it last wrote become ready. */
static inline __attribute__((always_inline)) void finish_execution(sim *s, uint32_t k)
{
    for (uint64_t c = s->consumers[k]; c; c &= c - 1) {
        uint32_t j = (uint32_t)__builtin_ctzll(c);
        s->deps[j] &= ~bit(k);
        if (!s->deps[j]) s->blocked &= ~bit(j);
    }
    s->consumers[k] = 0;
    for (unsigned w = s->written[k]; w; w &= w - 1) s->rename[__builtin_ctz(w)] = -1;
    s->written[k] = 0;
    s->units_free += s->need[k];
}

/* Advance the executing entries to cycle now: those done at now finish, those
 * done before it (they finished a tick ago) are executed. Nothing changes
 * before min_done; finishing an entry changes nothing another entry's count
 * or state reads, so the order does not matter. */
static inline __attribute__((always_inline)) void advance(sim *s, uint64_t now)
{
    if (now < s->min_done) return;
    uint64_t least = UINT64_MAX;
    for (uint64_t x = s->executing; x; x &= x - 1) {
        uint32_t k = (uint32_t)__builtin_ctzll(x);
        uint64_t done = s->done_at[k];
        if (done > now) {
            if (done < least) least = done;
        } else if (done == now) {
            finish_execution(s, k);
            least = now; /* executed at the next tick */
        } else {
            s->executing &= ~bit(k);
            s->executed |= bit(k);
        }
    }
    s->min_done = least;
}

static inline __attribute__((always_inline)) void tick(sim *s, bool decoded_pending, bool draining)
{
    uint32_t retired = retire(s);
    start_ready(s);
    uint64_t step = 1;
    /* Fast forward: the executing entries' smallest remaining count (at least 1). */
    if (s->o->fast_forward && !decoded_pending && (draining || retired == 0) && s->min_done != UINT64_MAX &&
        s->min_done > s->cycles)
        step = s->min_done - s->cycles;
    uint64_t before = s->executing;
    advance(s, s->cycles + step);
    if (s->o->on_event)
        for (uint64_t a = by_age(s, before); a; a &= a - 1) {
            uint32_t k = slot_of_age(s, a);
            emit(s, s->line_of[k], s->done_at[k] < s->cycles + step ? PVM_EV_EXECUTED : PVM_EV_EXECUTE);
        }
    if (decoded_pending) {
        s->waiting |= s->decoded;
        s->decoded = 0;
        s->decode_left = s->p->decode_width;
    }
    s->cycles += step;
}

static void make_room(sim *s, uint32_t slots)
{
    if (s->decode_left >= slots && s->in_flight < s->p->rob_size) return;
    tick(s, true, false);
    while (s->in_flight >= s->p->rob_size && s->cycles < s->cycle_limit) tick(s, false, false);
}

static void drain(sim *s)
{
    tick(s, true, true);
    while (s->in_flight > 0 && s->cycles < s->cycle_limit) tick(s, false, true);
}

/* Register roles of each class: which of the instruction's registers (in
 * operand order) are written and read. */
typedef enum { ROLE_NONE, ROLE_DST_SRCS, ROLE_SRCS, ROLE_LAST_SRC } operand_role;

static operand_role class_role(pvm_op_class c)
{
    switch (c) {
    case PVM_CLASS_STORE:
    case PVM_CLASS_BRANCH: return ROLE_SRCS;
    case PVM_CLASS_JUMP_IND: return ROLE_LAST_SRC; /* the base; ra is not modelled */
    case PVM_CLASS_END:
    case PVM_CLASS_JUMP:
    case PVM_CLASS_UNLIKELY: return ROLE_NONE;
    default: return ROLE_DST_SRCS;
    }
}

/* Register numbers above 12 do not occur in decoded code (PolkaVM clamps
 * them); clamping here keeps the rename table in bounds regardless. */
static int reg(uint8_t r) { return r < PVM_REG_COUNT ? r : PVM_REG_COUNT - 1; }

/* Where an op's registers are, as byte offsets into pvm_instr (a = 1, b = 2,
 * d = 3; 0 = none): the destination and the two sources the class reads, by
 * the op's operand kind (decode.h roles, operand order) and its class's roles.
 * The same for every program and parameter set: made once per process. */
_Static_assert(offsetof(pvm_instr, a) == 1 && offsetof(pvm_instr, b) == 2 && offsetof(pvm_instr, d) == 3,
               "a, b, d follow op in pvm_instr");
typedef struct {
    uint8_t dst, src[2];
} op_layout;
static op_layout layouts[PVM_OP_COUNT];
static pthread_once_t layouts_once = PTHREAD_ONCE_INIT;

/* The op's register offsets in operand order. */
static int operand_offsets(pvm_op op, uint8_t at[3])
{
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_REG3: at[0] = 3, at[1] = 1, at[2] = 2; return 3;
    case PVM_KIND_REG_REG: at[0] = 3, at[1] = 1; return 2;
    case PVM_KIND_REG_REG_IMM:
    case PVM_KIND_REG_REG_OFF:
    case PVM_KIND_REG_REG_IMM_IMM: at[0] = 1, at[1] = 2; return 2;
    case PVM_KIND_REG_IMM:
    case PVM_KIND_REG_IMM64:
    case PVM_KIND_REG_IMM_IMM:
    case PVM_KIND_REG_IMM_OFF: at[0] = 1; return 1;
    default: return 0;
    }
}

static void layouts_init(void)
{
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        uint8_t at[3];
        int n = operand_offsets((pvm_op)op, at);
        op_layout *l = &layouts[op];
        switch (class_role(pvm_op_pipeline_class((pvm_op)op))) {
        case ROLE_DST_SRCS:
            if (n > 0) l->dst = at[0];
            for (int i = 1; i < n; i++) l->src[i - 1] = at[i];
            break;
        case ROLE_SRCS:
            for (int i = 0; i < n && i < 2; i++) l->src[i] = at[i];
            break;
        case ROLE_LAST_SRC:
            if (n > 0) l->src[0] = at[n - 1];
            break;
        case ROLE_NONE: break;
        }
    }
}

/* The register at offset at of in (clamped), or -1 for none. */
static inline int reg_at(const pvm_instr *in, uint8_t at) { return at ? reg(((const uint8_t *)in)[at]) : -1; }

typedef struct {
    int dst, src[2];
    uint32_t latency, decode;
    uint64_t need; /* packed */
} instr_cost;

/* Whether the byte at pc is a trap or unlikely (given as encoded), or pc lies outside the code. */
static bool is_cheap_successor(const pvm_decoded *d, uint64_t pc, int trap, int unlikely)
{
    if (!d->code || pc >= d->code_len) return true;
    uint8_t byte = d->code[pc];
    return byte == trap || byte == unlikely;
}

static bool predicted(const pvm_decoded *d, const pvm_instr *in, int trap, int unlikely)
{
    return is_cheap_successor(d, (uint64_t)in->pc + in->len, trap, unlikely) ||
           is_cheap_successor(d, in->target_pc, trap, unlikely);
}

bool pvm_pipeline_branch_predicted(const pvm_decoded *d, const pvm_instr *in)
{
    return predicted(d, in, pvm_isa_encode_opcode(d->isa, PVM_OP_TRAP), pvm_isa_encode_opcode(d->isa, PVM_OP_UNLIKELY));
}

bool pvm_pipeline_predicted(const pvm_pipeline_prepared *pp, const pvm_decoded *d, const pvm_instr *in)
{
    return predicted(d, in, pp->trap, pp->unlikely);
}

void pvm_pipeline_prepare(const pvm_pipeline_params *p, const pvm_decoded *d, pvm_pipeline_prepared *out)
{
    pthread_once(&layouts_once, layouts_init);
    bool b64 = d->is_64bit;
    out->p = p;
    out->trap = pvm_isa_encode_opcode(d->isa, PVM_OP_TRAP);
    out->unlikely = pvm_isa_encode_opcode(d->isa, PVM_OP_UNLIKELY);
    for (int c = 0; c < PVM_CLASS_COUNT; c++) {
        const pvm_class_cost *k = &p->cls[c];
        out->cls[c].decode = k->decode + (b64 ? k->decode_b64 : 0);
        out->cls[c].decode_distinct = k->decode_distinct;
        out->cls[c].latency = k->latency + (b64 ? k->latency_b64 : 0);
        if (c == PVM_CLASS_LOAD) out->cls[c].latency = p->cache_latency[p->cache_level - 1];
        if (c == PVM_CLASS_STORE) out->cls[c].latency = p->store_latency;
        const uint32_t need[PVM_UNIT_COUNT] = {k->alu, k->load, k->store, k->mul, k->div};
        out->cls[c].need = pack_units(need);
    }
}

/* in's cost; op is its charged op (of class c), END for the implicit trap of a block cut short. */
static void cost_of(const pvm_pipeline_prepared *pp, const pvm_decoded *d, const pvm_instr *in, pvm_op op,
                    pvm_op_class c, instr_cost *out)
{
    static const op_layout none = {0, {0, 0}};
    const op_layout *l = c == PVM_CLASS_END && op == PVM_OP_INVALID ? &none : &layouts[op];
    out->dst = reg_at(in, l->dst);
    out->src[0] = reg_at(in, l->src[0]);
    out->src[1] = reg_at(in, l->src[1]);
    /* Shifts by register compare the destination with the shifted value only. */
    bool first_only = c == PVM_CLASS_SHIFT || c == PVM_CLASS_SHIFT_32;
    bool distinct = out->dst >= 0 && out->dst != out->src[0] && (first_only || out->dst != out->src[1]);
    const pvm_pipeline_class_prepared *k = &pp->cls[c];
    out->decode = k->decode + (distinct ? k->decode_distinct : 0);
    out->latency = c == PVM_CLASS_BRANCH ? (predicted(d, in, pp->trap, pp->unlikely) ? pp->p->branch_hit : pp->p->branch_miss)
                                         : k->latency;
    out->need = k->need;
}

static inline __attribute__((always_inline)) void dispatch(sim *s, const instr_cost *c)
{
    make_room(s, c->decode);
    emit(s, s->line, PVM_EV_DECODE);
    uint32_t k = s->tail;
    s->tail = (s->tail + 1) & (RING - 1);
    s->latency[k] = c->latency;
    s->need[k] = c->need;
    uint64_t deps = 0;
    s->consumers[k] = 0;
    for (int i = 0; i < 2; i++)
        if (c->src[i] >= 0 && s->rename[c->src[i]] >= 0) {
            uint32_t producer = (uint32_t)s->rename[c->src[i]];
            deps |= bit(producer);
            s->consumers[producer] |= bit(k);
        }
    s->deps[k] = deps;
    if (deps) s->blocked |= bit(k);
    else s->blocked &= ~bit(k);
    s->written[k] = 0;
    if (c->dst >= 0) { /* only the register's producer has it among its written ones */
        if (s->rename[c->dst] >= 0) s->written[s->rename[c->dst]] &= (uint16_t)~(1u << c->dst);
        s->written[k] = (uint16_t)(1u << c->dst);
        s->rename[c->dst] = (int8_t)k;
    }
    s->decoded |= bit(k);
    s->line_of[k] = s->line++;
    s->in_flight++;
    s->decode_left -= c->decode;
}

/* move_reg: no ROB entry; the destination aliases the source's producer. */
static void dispatch_move(sim *s, const pvm_instr *in)
{
    uint32_t slots = s->p->cls[PVM_CLASS_MOVE].decode;
    make_room(s, slots);
    emit(s, s->line++, PVM_EV_DECODE);
    int dst = reg(in->d), src = reg(in->a);
    if (s->rename[dst] >= 0) s->written[s->rename[dst]] &= (uint16_t)~(1u << dst);
    if (s->rename[src] >= 0) s->written[s->rename[src]] |= (uint16_t)(1u << dst);
    s->rename[dst] = s->rename[src];
    s->decode_left -= slots;
}

uint64_t pvm_pipeline_run(const pvm_pipeline_params *p, const pvm_decoded *d, uint32_t block,
                          const pvm_pipeline_run_opts *opts, uint32_t *lines)
{
    pvm_pipeline_params reference;
    if (!p) {
        pvm_pipeline_reference(2, &reference);
        p = &reference;
    }
    /* Callers run many blocks with one parameter set (the calibration's fits):
     * the last set this thread prepared is reused while it is equal (every
     * field is a uint32_t: no padding to compare). */
    static _Thread_local struct {
        bool valid, is_64bit;
        pvm_isa isa;
        pvm_pipeline_params p;
        pvm_pipeline_prepared pp;
    } last;
    if (!last.valid || last.is_64bit != d->is_64bit || last.isa != d->isa || memcmp(&last.p, p, sizeof *p) != 0) {
        last.p = *p;
        pvm_pipeline_prepare(&last.p, d, &last.pp);
        last.is_64bit = d->is_64bit;
        last.isa = d->isa;
        last.valid = true;
    }
    /* run from copies: an event callback may itself simulate with other parameters */
    pvm_pipeline_params params = last.p;
    pvm_pipeline_prepared pp = last.pp;
    pp.p = &params;
    return pvm_pipeline_run_prepared(&pp, d, block, opts, lines);
}

uint64_t pvm_pipeline_run_prepared(const pvm_pipeline_prepared *pp, const pvm_decoded *d, uint32_t block,
                                   const pvm_pipeline_run_opts *opts, uint32_t *lines)
{
    static const pvm_pipeline_run_opts no_opts = {.fast_forward = true};
    const pvm_pipeline_params *p = pp->p;
    /* Per-slot arrays are set when a slot is dispatched; the state masks
     * and the registers written start cleared. Clearing the whole simulator
     * per block cost more than simulating it. */
    sim s;
    memset(&s, 0, offsetof(sim, done_at));
    memset(s.written, 0, sizeof s.written);
    s.p = p;
    s.o = opts ? opts : &no_opts;
    s.decode_left = p->decode_width;
    s.units_free = pack_units(p->units);
    s.min_done = UINT64_MAX;
    memset(s.rename, -1, sizeof s.rename);

    const pvm_block *b = &d->blocks[block];
    /* With valid parameters every instruction is done within its latency
     * plus a ROB's worth of cycles after its predecessors; unchecked ones
     * (a unit pool smaller than a need) could otherwise stall forever. */
    s.cycle_limit = ((uint64_t)b->count + 1) * (PVM_PIPELINE_MAX_LATENCY + PVM_PIPELINE_MAX_ROB + 4);
    bool ended = false;
    const pvm_instr *instrs = d->instrs + b->first;
    for (uint32_t i = 0, count = b->count; i < count && !ended; i++) {
        const pvm_instr *in = &instrs[i];
        pvm_op op = in->op < PVM_OP_INVALID ? (pvm_op)in->op : pvm_gas_charged_op(d, in);
        pvm_op_class c = pvm_op_pipeline_class(op);
        if (c == PVM_CLASS_MOVE) {
            dispatch_move(&s, in);
            continue;
        }
        instr_cost cost;
        cost_of(pp, d, in, op, c, &cost);
        dispatch(&s, &cost);
        ended = pvm_op_is_terminator(op);
    }
    if (!ended) { /* a block cut short ends in an implicit trap */
        static const pvm_instr end = {.op = PVM_OP_INVALID};
        instr_cost cost;
        cost_of(pp, d, &end, PVM_OP_INVALID, PVM_CLASS_END, &cost);
        dispatch(&s, &cost);
    }
    drain(&s);
    if (lines) *lines = s.line;
    return s.cycles;
}

uint32_t pvm_pipeline_cost_from_cycles(const pvm_pipeline_params *p, uint64_t cycles)
{
    uint64_t slack = p ? p->slack : 3;
    uint64_t c = cycles > slack ? cycles - slack : 0;
    if (c < 1) c = 1;
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}
