/* Code generator internals shared by the driver (codegen.c: trampolines,
 * gas checks, stub bodies, jump table, patching fixups), the instruction
 * emitters (emit_ops.c) and the building blocks both use (emit_common.c). */
#ifndef PVM_JIT_CODEGEN_H
#define PVM_JIT_CODEGEN_H
#include "jit.h"
#include "gas_checks.h"
#include "group_starts.h"
#include "x64_asm.h"

#define R(x) ((int)jit_guest_reg[(x)])
#define MEM_BASE R13
#define SLOT(off) x64_at(RSP, (off))
/* Worst-case bytes of one guest instruction (a helper call is the longest) and
 * of its out-of-line stubs (a dynamic jump has three). */
#define MAX_INSTR_BYTES 512
#define MAX_STUBS_PER_INSTR 4
#define STUB_BYTES 64
/* Code per guest instruction, stubs included, for pre-faulting: the guests have 5-8 (the
 * large guest's chunks 5.2 on rv32, 5.9 on rv64). More would fault in a huge page of
 * zeros past the code (2 MiB cleared) that a kept mapping then loses again at sealing. */
#define EXPECTED_INSTR_BYTES 8

/* FIX_TABLE: rel32 to the jump table; FIX_TABLE_ABS: its absolute address as a disp32. */
typedef enum { FIX_ENTRY, FIX_STUB, FIX_TABLE, FIX_TABLE_ABS } fix_kind;
typedef struct {
    uint32_t at;     /* offset of a rel32 */
    uint32_t kind;   /* fix_kind */
    uint32_t target; /* instruction index (FIX_ENTRY) or stub id (FIX_STUB) */
} fixup;

/* Out-of-line exit: optional gas refund (sync out-of-gas), then exit with code.
 * A dynamic-jump stub halts if ecx is the table index of PVM_ADDR_HALT (see
 * emit_dynamic_jump), else exits with code. Two kinds go back into the body instead
 * (self_loops.c): STUB_LOOP_SINGLE, the failed check of an unrolled self-loop (`add gas,
 * refund; jl/js` the stub `next`, the block's own out-of-gas stub; `jmp` to the
 * offset `to`, the one-iteration copy), and STUB_LOOP_EXIT, an exit from a copy that
 * charged ahead (`lea gas, [gas + refund - to]`, `to` the next block's fall-through
 * payment; `jmp` to the entry of instruction `next`). */
enum { STUB_EXIT, STUB_LOOP_SINGLE, STUB_LOOP_EXIT };
typedef struct {
    uint32_t code, refund;
    uint32_t off;
    bool halt_check;    /* a dynamic jump's bound check failed (ecx: emit_dynamic_jump) */
    uint8_t kind, cc;
    uint32_t next;
    int32_t to;
} stub;

typedef struct {
    x64_buf b;
    const pvm_module *m;
    const pvm_decoded *d;
    pvm_gas_mode gas;
    fixup *fx;
    size_t nfx, capfx;
    stub *st;
    size_t nst, capst;
    uint32_t *entry_off; /* per instruction: block entry (gas check) offset */
    uint32_t *instr_off;
    uint8_t *inner; /* per instruction: 1 = inside a fused sequence, no entry there, 2 = no entry (cg_mark_no_entry) (NULL = none yet) */
    /* This generator's instructions [first, end): the part of inner and byte_regs it
     * zeroes when it first marks one (the arrays are shared by the chunks of a
     * large program, allocated beforehand; codegen.c zeroes what no chunk did). */
    uint32_t first, end;
    bool inner_zeroed, byte_regs_zeroed;
    uint32_t skip_index; /* a later instruction already emitted (emit_mul_halves), or 0 */
    uint32_t zf_branch;  /* a branch on a register against 0 whose ZF an add before it left
                            (emit_count_branch): no test there, and the instructions before it
                            start no fused group; or 0 */
    /* emit_mul_accumulate: the instruction after its last step (0: none), whose carry
     * register k CF still holds there */
    uint32_t cf_next;
    unsigned cf_reg;
    uint16_t *byte_regs; /* per instruction: guest registers held as a setb byte there (jit_module.byte_regs; NULL = none yet) */
    uint32_t exit_off;
    uint32_t exit_keep_off; /* the exit stub after the register stores: rcx = ctx, code in SPILL0, ctx regs final */
    uint32_t body_end;      /* where the instruction bodies of this generator's chunk end (codegen.c) */
    bool oom, unsupported;
    /* 32-bit program: guest registers live zero-extended in host registers
     * (every operation is a 32-bit one, no sign extension after each); they
     * are sign-extended only where they leave generated code (cg_store_regs). */
    bool narrow;
    /* Host features the emitters may use (BMI1: andn; BMI2: mulx, shlx/shrx/sarx,
     * rorx). PVMLAB_JIT_PLAIN=1 turns them and table_abs off: the code a host
     * without them gets, so that the tests cover it too. */
    bool bmi1, bmi2;
    /* The code lies below 2 GiB: the jump table holds absolute addresses and a
     * dynamic jump is one `jmp [rcx*8 + table]` (else int32 offsets, see emit_dynamic_jump). */
    bool table_abs;
    bool gs_mem; /* memory operands gs:[base32 + disp] (gs_base.c); off with PVMLAB_JIT_PLAIN */
    /* The host register holding the gas counter (r13 when gs_mem leaves it
     * free), or -1: the frame slot JIT_FRAME_GAS. A register breaks the chain
     * of read-modify-writes through memory from one block entry to the next. */
    int gas_reg;
    /* Per block, 1: its entry charges without a check; JIT_GAS_COVERED: checked, never out of gas
     * there; the counter holds gas - gas_bias (gas_checks.c). */
    const uint8_t *unchecked;
    uint32_t gas_bias;
    /* Deferred charges (gas_checks.c, jit_gas_owed_plan; NULL: each entry charges its cost):
     * per block what its entry charges, and what the counter owes inside it (gas - gas_bias +
     * owed). Only with the counter in a register (a fall-through pays with a `lea`). */
    const int64_t *gas_charge;
    const int32_t *gas_pay; /* per block: what a fall-through into it pays first */
    /* Unrolled self-loops (self_loops.c; false: none). While a copy other than the last is
     * emitted: copy_loop its block's first instruction (a branch there leaves the copy),
     * copy_refund what the copy charged ahead of the interpreter (every exit gives it back),
     * copy_next the instruction after the block; else copy_loop is PVM_NO_INDEX and
     * copy_refund 0. copy_map: per copy {start, end, first, count, refund, count offsets},
     * for the fault handler (jit_module.copy_map). */
    bool unroll;
    bool no_select; /* PVMLAB_JIT_NO_SELECT: an A/B switch, every branch over one op stays a branch (emit_select) */
    bool dispatch_copies; /* jumps to a short chain ending in jump_ind copy it (dispatch_copies.c) */
    bool strided_loops;   /* PVMLAB_JIT_NO_STRIDED_LOOPS unset: emit_strided_loop may take a self-loop */
    uint32_t n_strided;   /* self-loops emit_strided_loop took (this chunk) */
    unsigned lane;        /* the chunk's own lists (fixups, stubs, copy map) in this util_alloc_large_lane lane */
    uint32_t copy_loop, copy_refund, copy_next;
    uint32_t copied; /* instructions emitted in copies so far (this chunk) */
    uint32_t *copy_map;
    size_t ncm, capcm;
    uint32_t bad_target_off; /* table_abs: where invalid entries lead (panic with the code in SPILL0) */
    const uint8_t *code;   /* where the code will run */
    pvm_mem_access access[PVM_OP_COUNT]; /* pvm_op_mem_access per op, looked up once */
    uint32_t mem_enc[PVM_OP_COUNT];      /* per op, a load's or register store's gs:[] encoding (cg_mem_encodings; 0: none) */
    /* The start filter of the program's width (group_starts.c): per op its route, here
     * (read for every instruction), and per class of first ops its row over the next op. */
    uint8_t route[PVM_OP_COUNT];
    const uint16_t (*group_next)[PVM_OP_COUNT];
} cg;

/* Fixups and stubs: inline, as one is made for every jump and gas check; the
 * growth (emit_common.c, as the rest down to cg_load_regs) only when full. */
bool cg_grow(cg *g, void **arr, size_t n, size_t *cap, size_t elem);
static inline void cg_add_fixup(cg *g, size_t at, fix_kind kind, uint32_t target)
{
    if (g->nfx < g->capfx || cg_grow(g, (void **)&g->fx, g->nfx, &g->capfx, sizeof *g->fx))
        g->fx[g->nfx++] = (fixup){(uint32_t)at, kind, target};
}
static inline uint32_t cg_new_stub(cg *g, uint32_t code, uint32_t refund)
{
    if (g->nst >= g->capst && !cg_grow(g, (void **)&g->st, g->nst, &g->capst, sizeof *g->st)) return 0;
    g->st[g->nst] = (stub){.code = code, .refund = refund + g->copy_refund}; /* an exit from an unrolled copy refunds what it charged ahead */
    return (uint32_t)g->nst++;
}
/* The out-of-range stub of a dynamic jump at instruction index. */
uint32_t cg_new_jump_stub(cg *g, uint32_t index);
static inline void cg_jcc_stub(cg *g, int cc, uint32_t s) { cg_add_fixup(g, x64_jcc32(&g->b, cc), FIX_STUB, s); }
/* Exits: jump to the exit stub; with an exit code in ecx. */
void cg_jmp_exit(cg *g);
void cg_exit_now(cg *g, pvm_exit_kind kind, uint32_t index);
/* Jump (cc < 0: unconditionally) to the block entry of instruction t, or panic at index.
 * In an unrolled copy, the loop's branch back (t = copy_loop) becomes the opposite branch
 * to a STUB_LOOP_EXIT: not taken, the next copy follows. */
void cg_jump_to(cg *g, int cc, uint32_t t, uint32_t index);
/* Self-loops (self_loops.c; emit_ops.c emits the copies): how many copies the block of
 * instructions [first, stop) gets (1: not unrolled); its entry and check for them all
 * (returns the STUB_LOOP_SINGLE's id); copy k's start (returns its copy_map record, whose
 * offsets and end (r[1]) the emitter fills; NULL: out of memory); the end of the copies
 * (the block's own code follows, as cg_emit_range emits any block's). */
uint32_t cg_self_loop_copies(const cg *g, uint32_t first, uint32_t stop);
uint32_t cg_self_loop_check(cg *g, uint32_t first, uint32_t copies);
uint32_t *cg_self_loop_copy(cg *g, uint32_t first, uint32_t stop, uint32_t copies, uint32_t k);
void cg_self_loop_done(cg *g, uint32_t single);
/* Room for a copy's record in copy_map, {start, end, first, count, refund, count offsets}
 * (self_loops.c); NULL (and g->oom) if out of memory. */
uint32_t *cg_copy_record(cg *g, uint32_t count);
/* Dispatch copies (dispatch_copies.c): the end of the chain of blocks a `jump` at index jump
 * gets a copy of in its place (the instruction after the chain's jump_ind), 0 for none. */
uint32_t cg_dispatch_chain_end(const cg *g, uint32_t jump);
/* All guest registers to / from the context at [base] (narrow: sign-extended
 * in place before the store, zero-extended by the load). */
void cg_store_regs(cg *g, int base);
void cg_load_regs(cg *g, int base);
/* Instruction i has no entry of its own (its code is part of an earlier instruction's).
 * Inline once this generator's part of the table is zeroed (every fused group marks). */
void cg_mark_inner_first(cg *g, uint32_t i);
static inline void cg_mark_inner(cg *g, uint32_t i)
{
    if (__builtin_expect(g->inner_zeroed, 1)) g->inner[i] = 1;
    else cg_mark_inner_first(g, i);
}
/* Instruction i has no entry (a run the host starts or resumes there goes to the interpreter),
 * but its code is its own: a fault there is its own (jit_module.inner 2). What may rely on
 * that: CF carried through it (emit_mul_accumulate), registers written before it
 * (emit_add_into_min_max), a branch's flags (emit_count_branch). */
void cg_mark_no_entry(cg *g, uint32_t i);
/* Guest register r is a setb byte (upper bits stale) at faults of instructions [from, to]. */
void cg_mark_byte_reg(cg *g, uint32_t from, uint32_t to, unsigned r);
/* Fill g->mem_enc from g->access, g->narrow and g->gs_mem (emit_ops.c). */
void cg_mem_encodings(cg *g);
/* The code of instructions [first, end), each block's entry with its gas check
 * (emit_ops.c, where cg_emit_instr is inlined into the loop). */
void cg_emit_range(cg *g, uint32_t first, uint32_t end);
/* gas = gas OP amount (ALU_SUB or ALU_ADD), in the gas register or the frame slot. */
static inline __attribute__((always_inline)) void cg_gas_alu(cg *g, int alu, uint32_t amount)
{
    x64_buf *b = &g->b;
    if (amount > INT32_MAX) x64_mov_ri(b, RCX, amount);
    if (g->gas_reg >= 0 && amount <= INT32_MAX) x64_alu_ri(b, true, alu, g->gas_reg, (int32_t)amount);
    else if (g->gas_reg >= 0) x64_alu_rr(b, true, alu, g->gas_reg, RCX);
    else if (amount <= INT32_MAX) x64_alu_mi(b, true, alu, SLOT(JIT_FRAME_GAS), (int32_t)amount);
    else x64_alu_mr(b, true, alu, SLOT(JIT_FRAME_GAS), RCX);
}
/* Deferred charges (gas_checks.c): what a fall-through into block pays beyond that entry's due,
 * a flag-preserving lea on the gas register, before the entry (cg_gas_check) or before a
 * chunk's jump to the next chunk's first block (codegen.c). */
static inline void cg_gas_pay_fallthrough(cg *g, uint32_t block)
{
    int32_t pay = g->gas_charge ? g->gas_pay[block] : 0;
    if (pay) x64_lea(&g->b, true, g->gas_reg, x64_at(g->gas_reg, -pay)); /* keeps the flags */
}
/* What entering block charges: its cost, or with deferred charges its planned due (what the
 * jumps into it owe included). */
static inline int64_t cg_block_charge(const cg *g, uint32_t block)
{
    return g->gas_charge ? g->gas_charge[block] : g->m->block_cost[block];
}
/* A block entry's gas charge and check at instruction index: inline into cg_emit_range, once
 * per block (cg_gas_check). A copy of the block (dispatch_copies.c) has it again, entered by
 * the jump it replaces (fall_through false: no payment) or by a fall-through inside the copy,
 * and leaves entry_off alone (mark_entry false). */
static inline void cg_gas_entry(cg *g, uint32_t index, bool fall_through, bool mark_entry)
{
    if (g->gas == PVM_GAS_NONE) return;
    uint32_t block = g->d->instrs[index].block, cost = g->m->block_cost[block];
    if (g->gas_charge) { /* a fall-through from the block before pays what it owes beyond this entry's due */
        if (fall_through) cg_gas_pay_fallthrough(g, block);
        if (mark_entry) g->entry_off[index] = (uint32_t)g->b.len;
    }
    int64_t charge = cg_block_charge(g, block);
    if (g->unchecked && g->unchecked[block] == JIT_GAS_UNCHECKED) { /* a check before it leaves gas >= its cost (gas_checks.c) */
        if (charge > 0) cg_gas_alu(g, ALU_SUB, (uint32_t)charge);
        else if (charge < 0) cg_gas_alu(g, ALU_ADD, (uint32_t)-charge);
        return;
    }
    cg_gas_alu(g, ALU_SUB, (uint32_t)charge); /* a checked block owes nothing: charge = cost + what the jumps into it owe */
    bool sync = g->gas == PVM_GAS_SYNC;
    /* sync: not entered if gas < cost (signed compare of the subtraction); async: gas went negative.
     * With a bias (the counter less K) the runtime tells that from the interpreter's last stretch. */
    uint32_t kind = g->gas_bias ? JIT_EXIT_GAS_CHECK : PVM_EXIT_OUT_OF_GAS;
    cg_jcc_stub(g, sync ? CC_L : CC_S, cg_new_stub(g, JIT_EXIT_CODE(kind, index), sync ? cost : 0));
}
static inline void cg_gas_check(cg *g, uint32_t index) { cg_gas_entry(g, index, true, true); }

#endif
