/* Recompiler internals shared by the code generator, the runtime and the
 * fault handler: the compiled module, the per-run context and exit codes.
 *
 * Generated code runs on the host stack with a fixed frame (JIT_FRAME_*):
 * a pointer to the jit_ctx at [rsp+8]; with GS as the guest window the gas
 * counter in r13, else gas at [rsp] and the guest memory base in r13;
 * the 13 guest registers in host registers (jit_guest_reg), rcx is scratch.
 * Every exit from generated code goes through one exit stub with an exit
 * code in ecx: pvm_exit_kind in the low 3 bits, instruction index above. */
#ifndef PVM_JIT_JIT_H
#define PVM_JIT_JIT_H
#include <stddef.h>
#include <stdint.h>
#include "vm/state/vm_state.h"
#include "code_memory.h"

typedef struct jit_ctx {
    uint64_t regs[PVM_REG_COUNT];
    int64_t gas; /* less jit_module.gas_bias */
    uint8_t *mem_base;
    pvm_instance *inst;
    uint32_t fault_address; /* PVM_EXIT_PAGE_FAULT */
} jit_ctx;

/* Frame slots relative to rsp inside generated code. rsp is 16-byte aligned there. */
enum {
    JIT_FRAME_GAS = 0,
    JIT_FRAME_CTX = 8,
    JIT_FRAME_SPILL0 = 16, /* rax, or a helper's exit code */
    JIT_FRAME_SPILL1 = 24, /* rdx */
    JIT_FRAME_SIZE = 40    /* after 6 pushes: keeps rsp 16-byte aligned */
};

#define JIT_EXIT_CODE(kind, index) (((uint32_t)(index) << 3) | (uint32_t)(kind))
#define JIT_EXIT_KIND(code) ((pvm_exit_kind)((code) & 7))
#define JIT_EXIT_INDEX(code) ((code) >> 3)
#define JIT_MAX_INSTRS (1u << 29)
/* Exit kind (beside pvm_exit_kind): the interpreter continues at the instruction
 * at index, with the registers as they are, without charging its block (a narrow
 * module's helper produced a register value not sign-extended from bit 31; a
 * fused sequence faulted, so it is redone one instruction at a time). */
#define JIT_EXIT_TO_INTERP 7u
/* Exit kind: the gas check at the entry of the block starting at index failed
 * with a gas bias (gas_checks.c): out of gas there if the real count says so
 * (sync: the charge refunded, gas < cost; async: charged, gas < 0), else the
 * interpreter runs from that entry, charging it. */
#define JIT_EXIT_GAS_CHECK 6u

typedef uint32_t (*jit_entry_fn)(jit_ctx *ctx, const void *target);

typedef struct {
    jit_code mem;
    uint8_t *code;        /* executable view (mem.rx) */
    uint32_t body_end;    /* offsets below this that are >= instr_off[0] belong to instructions */
    uint32_t exit_off;    /* the common exit stub */
    uint32_t *instr_off;  /* per instruction: offset of its code (after any gas check) */
    uint32_t n_instrs;
    /* per instruction: 1 = inside a fused sequence (no entry; the interpreter runs it; a fault
     * there is the sequence's), 2 = no entry but code of its own (CF carried through it:
     * emit_mul_accumulate; registers written before it: emit_add_into_min_max; a branch's
     * flags: emit_count_branch), or NULL */
    uint8_t *inner;
    /* per instruction: the guest registers (bit r) that hold a setb byte with stale upper
     * bits there, a carry only faults could see (emit_ops.c: byte_window); or NULL */
    uint16_t *byte_regs;
    bool narrow;          /* 32-bit program compiled with zero-extended registers (codegen.h) */
    bool gs_mem;          /* loads and stores with a base register address gs:[base32 + disp] (gs_base.c) */
    bool gas_in_r13;      /* the gas counter lives in r13 inside generated code (else at [rsp + JIT_FRAME_GAS]) */
    int64_t gas_bias;     /* generated code (and jit_ctx.gas while it runs) holds gas - gas_bias (gas_checks.c) */
    /* per block: what the counter owes there (gas_checks.c: deferred charges), so that it holds
     * gas - gas_bias + gas_owed[block]; NULL: nothing owed anywhere */
    uint16_t *gas_owed;
    /* Code emitted twice: unrolled self-loops (self_loops.c) and dispatch copies
     * (dispatch_copies.c, ahead 0): n_copies records {start, end, first, count, ahead,
     * count offsets} in code order, copy_at[k] where the kth starts in copy_map (one
     * allocation, copy_map); inside one the counter holds `ahead` less than at the same
     * instruction of the block's own code. NULL: none. */
    uint32_t *copy_map, *copy_at;
    uint32_t n_copies;
    uint32_t n_strided; /* strided element loops with the counter's sign extension off its chain (emit_strided_loop) */
    jit_entry_fn entry;
    pvm_mem_access access[PVM_OP_COUNT]; /* per op, for the fault handler (no string work in a signal) */
} jit_module;

/* What the counter in generated code lacks of the real gas at instruction index: the
 * bias less what its block owes (gas_checks.c). */
static inline int64_t jit_gas_bias_at(const jit_module *jm, const pvm_module *m, uint32_t index)
{
    return jm->gas_bias - (jm->gas_owed ? jm->gas_owed[m->dec.instrs[index].block] : 0);
}

/* The guest register a load or store adds its offset to, or -1 for an absolute address. */
static inline int jit_mem_base_reg(const pvm_instr *ins)
{
    pvm_kind k = (pvm_kind)pvm_op_table[ins->op].kind;
    return k == PVM_KIND_REG_REG_IMM ? ins->b : k == PVM_KIND_REG_IMM_IMM ? ins->a : -1;
}

/* Whether the fused group starting at seq (at least three instructions) is a carry group
 * whose store between the add and its compare reads the sum (add or add_imm d, then a store
 * of d or at d + imm, then set_lt_u or set_lt_u_imm): such a store is emitted in order, right
 * after the add (emit_ops.c: emit_fused_group), so that its fault is its own, with the add
 * done and nothing after it (signals.c). A store that reads nothing the group writes goes
 * before the whole group instead. */
static inline bool jit_carry_store_in_order(const pvm_mem_access *access, const pvm_instr *seq)
{
    switch (seq->op) {
    case PVM_OP_ADD_32: case PVM_OP_ADD_64: case PVM_OP_ADD_IMM_32: case PVM_OP_ADD_IMM_64: break;
    default: return false;
    }
    const pvm_instr *st = seq + 1, *cmp = seq + 2;
    if (!access[st->op].width || !access[st->op].is_store || (cmp->op != PVM_OP_SET_LT_U && cmp->op != PVM_OP_SET_LT_U_IMM))
        return false;
    unsigned d = pvm_op_table[seq->op].kind == PVM_KIND_REG3 ? seq->d : seq->a;
    pvm_kind k = (pvm_kind)pvm_op_table[st->op].kind;
    bool stores_a = k == PVM_KIND_REG_REG_IMM || k == PVM_KIND_REG_IMM; /* the value stored is register a */
    return jit_mem_base_reg(st) == (int)d || (stores_a && st->a == d);
}

/* Host register holding guest register r (0..12). */
extern const uint8_t jit_guest_reg[PVM_REG_COUNT];

/* Helpers called from generated code: 0 = continue, else an exit code. */
uint32_t pvm_jit_helper_sbrk(jit_ctx *c, uint32_t index, int64_t *gas);
uint32_t pvm_jit_helper_memset(jit_ctx *c, uint32_t index, int64_t *gas);

/* The GS segment as the guest window (gs_base.c): whether this process can set
 * it (probed once), and setting it for this thread before a run (false: it
 * could not, the run must not enter code compiled with gs_mem). */
bool jit_gs_usable(void);
bool jit_gs_enter(const uint8_t *base);

/* Fault handling (signals.c): install once per process; per thread an
 * alternate signal stack; the context of the run in progress on this thread. */
pvm_status jit_signals_init(pvm_error *err);
/* Returns the previous context; recheck: put our handler in front again if the host replaced it. */
jit_ctx *jit_signals_enter(jit_ctx *c, bool recheck);
void jit_signals_leave(jit_ctx *prev);
#endif
