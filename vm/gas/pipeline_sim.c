/* Cycle-level simulation of one basic block (see pipeline_sim.h).
 *
 * Per cycle ("tick"), in this order: retire the run of executed entries at
 * the ROB head; start up to max_starts ready entries, oldest first, whose
 * units are free; advance every executing entry (an entry reaching 0 cycles
 * remaining wakes its consumers and frees its units and registers; one
 * cycle later it is "executed" and may retire); decoded entries become
 * waiting. Instructions are fed in order, each taking decode slots of the
 * current cycle; a terminator drains the ROB. */
#include <stddef.h>
#include <string.h>
#include "pipeline_sim.h"
#include "gas.h"

enum { ST_EMPTY, ST_DECODED, ST_WAITING, ST_EXECUTING, ST_EXECUTED };

typedef struct {
    const pvm_pipeline_params *p;
    const pvm_pipeline_run_opts *o;
    uint64_t cycles;
    uint64_t cycle_limit; /* only parameters that fail the check can reach it */
    uint32_t decode_left;
    uint32_t units_free[PVM_UNIT_COUNT];
    uint32_t in_flight, head, tail, line;
    uint8_t state[PVM_PIPELINE_MAX_ROB];
    int64_t remaining[PVM_PIPELINE_MAX_ROB];
    uint32_t need[PVM_PIPELINE_MAX_ROB][PVM_UNIT_COUNT];
    uint64_t deps[PVM_PIPELINE_MAX_ROB];      /* ROB slots whose results this entry waits for */
    uint16_t written[PVM_PIPELINE_MAX_ROB];   /* guest registers this entry last wrote */
    uint32_t line_of[PVM_PIPELINE_MAX_ROB];
    int8_t rename[PVM_REG_COUNT];             /* register -> producing ROB slot, -1 = ready */
} sim;

static void emit(sim *s, uint32_t line, char ev)
{
    if (s->o->on_event) s->o->on_event(s->o->ctx, s->cycles, line, ev);
}

/* (head + i) mod rob_size without a division (the scans call it per entry per
 * cycle): head < rob_size and i <= in_flight <= rob_size. */
static inline uint32_t wrap(const sim *s, uint32_t k) { return k >= s->p->rob_size ? k - s->p->rob_size : k; }
static inline uint32_t slot_at(const sim *s, uint32_t i) { return wrap(s, s->head + i); }

static uint32_t retire(sim *s)
{
    uint32_t n = 0;
    while (n < s->in_flight && s->state[slot_at(s, n)] == ST_EXECUTED) n++;
    /* Without an event callback only the retired entries change (the rest of the scan reports). */
    for (uint32_t i = 0; i < (s->o->on_event ? s->in_flight : n); i++) {
        uint32_t k = slot_at(s, i);
        if (s->state[k] != ST_EXECUTED) continue;
        if (i < n) s->state[k] = ST_EMPTY;
        emit(s, s->line_of[k], i < n ? PVM_EV_RETIRE : PVM_EV_RETIRE_WAIT);
    }
    s->in_flight -= n;
    s->head = wrap(s, s->head + n);
    return n;
}

static bool units_fit(const sim *s, uint32_t k)
{
    for (int u = 0; u < PVM_UNIT_COUNT; u++)
        if (s->need[k][u] > s->units_free[u]) return false;
    return true;
}

/* Oldest first; an entry that does not fit stays waiting (units only get
 * scarcer within a cycle, so one pass equals PolkaVM's repeated picks). */
static void start_ready(sim *s)
{
    uint32_t started = 0;
    for (uint32_t i = 0; i < s->in_flight && started < s->p->max_starts; i++) {
        uint32_t k = slot_at(s, i);
        if (s->state[k] != ST_WAITING || s->deps[k] || !units_fit(s, k)) continue;
        for (int u = 0; u < PVM_UNIT_COUNT; u++) s->units_free[u] -= s->need[k][u];
        s->state[k] = ST_EXECUTING;
        started++;
    }
    for (uint32_t i = 0; s->o->on_event && i < s->in_flight; i++)
        if (s->state[slot_at(s, i)] == ST_WAITING) emit(s, s->line_of[slot_at(s, i)], PVM_EV_WAIT);
}

/* Only in-flight slots can wait on k: the others get their dependencies anew at dispatch. */
static void finish_execution(sim *s, uint32_t k)
{
    for (uint32_t i = 0; i < s->in_flight; i++) s->deps[slot_at(s, i)] &= ~(UINT64_C(1) << k);
    for (int r = 0; r < PVM_REG_COUNT; r++)
        if (s->written[k] & (1u << r)) s->rename[r] = -1;
    s->written[k] = 0;
    for (int u = 0; u < PVM_UNIT_COUNT; u++) {
        s->units_free[u] += s->need[k][u];
        s->need[k][u] = 0;
    }
}

/* Cycles the executing entries can advance before anything can change:
 * the smallest remaining count (at least 1). */
static uint64_t idle_cycles(const sim *s)
{
    int64_t m = -1;
    for (uint32_t i = 0; i < s->in_flight; i++) {
        uint32_t k = slot_at(s, i);
        if (s->state[k] == ST_EXECUTING && (m < 0 || s->remaining[k] < m)) m = s->remaining[k];
    }
    return m > 0 ? (uint64_t)m : 1;
}

static void tick(sim *s, bool decoded_pending, bool draining)
{
    uint32_t retired = retire(s);
    start_ready(s);
    uint64_t step = 1;
    if (s->o->fast_forward && !decoded_pending && (draining || retired == 0)) step = idle_cycles(s);
    for (uint32_t i = 0; i < s->in_flight; i++) {
        uint32_t k = slot_at(s, i);
        if (s->state[k] != ST_EXECUTING) continue;
        s->remaining[k] -= (int64_t)step;
        if (s->remaining[k] == 0) finish_execution(s, k);
    }
    for (uint32_t i = 0; i < s->in_flight; i++) {
        uint32_t k = slot_at(s, i);
        if (s->state[k] != ST_EXECUTING) continue;
        if (s->remaining[k] < 0) s->state[k] = ST_EXECUTED;
        emit(s, s->line_of[k], s->remaining[k] < 0 ? PVM_EV_EXECUTED : PVM_EV_EXECUTE);
    }
    if (decoded_pending) {
        for (uint32_t k = 0; k < s->p->rob_size; k++)
            if (s->state[k] == ST_DECODED) s->state[k] = ST_WAITING;
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

/* The instruction's registers in operand order (decode.h roles). */
static int operand_regs(const pvm_instr *in, int regs[3])
{
    switch (pvm_op_table[in->op].kind) {
    case PVM_KIND_REG3: regs[0] = reg(in->d), regs[1] = reg(in->a), regs[2] = reg(in->b); return 3;
    case PVM_KIND_REG_REG: regs[0] = reg(in->d), regs[1] = reg(in->a); return 2;
    case PVM_KIND_REG_REG_IMM:
    case PVM_KIND_REG_REG_OFF:
    case PVM_KIND_REG_REG_IMM_IMM: regs[0] = reg(in->a), regs[1] = reg(in->b); return 2;
    case PVM_KIND_REG_IMM:
    case PVM_KIND_REG_IMM64:
    case PVM_KIND_REG_IMM_IMM:
    case PVM_KIND_REG_IMM_OFF: regs[0] = reg(in->a); return 1;
    default: return 0;
    }
}

typedef struct {
    int dst, src[2];
    uint32_t latency, decode;
    uint32_t need[PVM_UNIT_COUNT];
} instr_cost;

static bool is_cheap_successor(const pvm_decoded *d, uint64_t pc)
{
    if (!d->code || pc >= d->code_len) return true;
    uint8_t byte = d->code[pc];
    int trap = pvm_isa_encode_opcode(d->isa, PVM_OP_TRAP), unlikely = pvm_isa_encode_opcode(d->isa, PVM_OP_UNLIKELY);
    return byte == trap || byte == unlikely;
}

bool pvm_pipeline_branch_predicted(const pvm_decoded *d, const pvm_instr *in)
{
    return is_cheap_successor(d, (uint64_t)in->pc + in->len) || is_cheap_successor(d, in->target_pc);
}

static uint32_t branch_latency(const pvm_pipeline_params *p, const pvm_decoded *d, const pvm_instr *in)
{
    return pvm_pipeline_branch_predicted(d, in) ? p->branch_hit : p->branch_miss;
}

static void cost_of(const pvm_pipeline_params *p, const pvm_decoded *d, const pvm_instr *in, pvm_op_class c,
                    instr_cost *out)
{
    const pvm_class_cost *k = &p->cls[c];
    bool b64 = d->is_64bit;
    int regs[3], n = operand_regs(in, regs);
    out->dst = -1, out->src[0] = out->src[1] = -1;
    switch (class_role(c)) {
    case ROLE_DST_SRCS:
        if (n > 0) out->dst = regs[0];
        for (int i = 1; i < n; i++) out->src[i - 1] = regs[i];
        break;
    case ROLE_SRCS:
        for (int i = 0; i < n; i++) out->src[i] = regs[i];
        break;
    case ROLE_LAST_SRC:
        if (n > 0) out->src[0] = regs[n - 1];
        break;
    case ROLE_NONE: break;
    }
    /* Shifts by register compare the destination with the shifted value only. */
    bool first_only = c == PVM_CLASS_SHIFT || c == PVM_CLASS_SHIFT_32;
    bool distinct = out->dst >= 0 && out->dst != out->src[0] && (first_only || out->dst != out->src[1]);
    out->decode = k->decode + (b64 ? k->decode_b64 : 0) + (distinct ? k->decode_distinct : 0);
    out->latency = k->latency + (b64 ? k->latency_b64 : 0);
    if (c == PVM_CLASS_LOAD) out->latency = p->cache_latency[p->cache_level - 1];
    if (c == PVM_CLASS_STORE) out->latency = p->store_latency;
    if (c == PVM_CLASS_BRANCH) out->latency = branch_latency(p, d, in);
    const uint32_t need[PVM_UNIT_COUNT] = {k->alu, k->load, k->store, k->mul, k->div};
    memcpy(out->need, need, sizeof need);
}

static void dispatch(sim *s, const instr_cost *c)
{
    make_room(s, c->decode);
    emit(s, s->line, PVM_EV_DECODE);
    uint32_t k = s->tail;
    s->tail = wrap(s, s->tail + 1);
    s->remaining[k] = c->latency;
    for (int u = 0; u < PVM_UNIT_COUNT; u++) s->need[k][u] = c->need[u];
    s->deps[k] = 0;
    for (int i = 0; i < 2; i++)
        if (c->src[i] >= 0 && s->rename[c->src[i]] >= 0) s->deps[k] |= UINT64_C(1) << s->rename[c->src[i]];
    s->written[k] = 0;
    if (c->dst >= 0) { /* finished and empty slots have written nothing (finish_execution clears it) */
        for (uint32_t i = 0; i < s->in_flight; i++) s->written[slot_at(s, i)] &= (uint16_t)~(1u << c->dst);
        s->written[k] = (uint16_t)(1u << c->dst);
        s->rename[c->dst] = (int8_t)k;
    }
    s->state[k] = ST_DECODED;
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
    static const pvm_pipeline_run_opts no_opts = {.fast_forward = true};
    pvm_pipeline_params reference;
    if (!p) {
        pvm_pipeline_reference(2, &reference);
        p = &reference;
    }
    /* Per-slot arrays are set when a slot is dispatched; only the states
     * (scanned in full by tick) and the registers written start cleared.
     * Clearing the whole simulator per block cost more than simulating it. */
    sim s;
    memset(&s, 0, offsetof(sim, state));
    memset(s.state, 0, sizeof s.state);
    memset(s.written, 0, sizeof s.written);
    s.p = p;
    s.o = opts ? opts : &no_opts;
    s.decode_left = p->decode_width;
    memcpy(s.units_free, p->units, sizeof s.units_free);
    memset(s.rename, -1, sizeof s.rename);

    const pvm_block *b = &d->blocks[block];
    /* With valid parameters every instruction is done within its latency
     * plus a ROB's worth of cycles after its predecessors; unchecked ones
     * (a unit pool smaller than a need) could otherwise stall forever. */
    s.cycle_limit = ((uint64_t)b->count + 1) * (PVM_PIPELINE_MAX_LATENCY + PVM_PIPELINE_MAX_ROB + 4);
    bool ended = false;
    for (uint32_t i = 0; i < b->count && !ended; i++) {
        pvm_instr in = d->instrs[b->first + i];
        in.op = (uint8_t)pvm_gas_charged_op(d, &in);
        pvm_op_class c = pvm_op_pipeline_class((pvm_op)in.op);
        if (c == PVM_CLASS_MOVE) {
            dispatch_move(&s, &in);
            continue;
        }
        instr_cost cost;
        cost_of(p, d, &in, c, &cost);
        dispatch(&s, &cost);
        ended = pvm_op_is_terminator((pvm_op)in.op);
    }
    if (!ended) { /* a block cut short ends in an implicit trap */
        pvm_instr end = {.op = PVM_OP_INVALID};
        instr_cost cost;
        cost_of(p, d, &end, PVM_CLASS_END, &cost);
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
