/* Hardware faults in generated code: a guest load or store that touches an
 * inaccessible page raises SIGSEGV (or SIGBUS). The handler maps the host RIP
 * to the guest instruction, classifies the access exactly as the interpreter
 * does (pvm_memory_check_slow on the 32-bit address: still in rcx, or for a
 * 32-bit program's folded access recomputed from its base register) and
 * redirects the thread to the exit stub with a page-fault or panic code (or,
 * inside a fused sequence, to the interpreter at the sequence's start: a
 * sequence's access is its last instruction, or, in a carry group, which ends
 * in an add, its one access, emitted before the rest; but a carry group's store
 * of the sum, emitted right after its add, faults as the store on its own).
 * Lazy pages (memory/lazy.h) are filled and charged here and the access is
 * retried, or the run stops out of gas at the instruction, as in the interpreter.
 * x86 faults before any byte of a straddling store is written, so nothing
 * needs undoing. Faults anywhere else go to the handler installed before us
 * (ASan's, or the default action). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "jit.h"
#include "vm/memory/fault_chain.h"
#include "vm/memory/lazy.h"
#include "vm/util/error.h"

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int install_errno;
static __thread jit_ctx *current_ctx;
static __thread bool thread_has_altstack;

/* Index of the instruction whose code contains offset off (instr_off is increasing). */
static uint32_t instr_at(const jit_module *jm, uint32_t off)
{
    uint32_t lo = 0, hi = jm->n_instrs;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (jm->instr_off[mid] <= off) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* The copy (an unrolled self-loop's, a dispatch chain's) whose code contains offset off: its
 * record {start, end, first, count, ahead, offsets}, or NULL. */
static const uint32_t *copy_at(const jit_module *jm, uint32_t off)
{
    uint32_t lo = 0, hi = jm->n_copies;
    while (lo < hi) { /* the first copy starting above off */
        uint32_t mid = lo + (hi - lo) / 2;
        if (jm->copy_map[jm->copy_at[mid]] <= off) lo = mid + 1;
        else hi = mid;
    }
    const uint32_t *r = lo ? jm->copy_map + jm->copy_at[lo - 1] : NULL;
    return r && off < r[1] ? r : NULL;
}

/* The ucontext slot of each host register (x86 encoding order). */
static const int greg_slot[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                  REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

/* Guest register r's value (low 32 bits) at the fault. */
static uint32_t guest_reg32(const ucontext_t *uc, unsigned r) { return (uint32_t)uc->uc_mcontext.gregs[greg_slot[jit_guest_reg[r]]]; }

/* The address of a fused load group's load (emit_fused_group, emit_element_load): add t, a, b; load
 * [t + imm], or shlo_l_imm x, y, k; add t, x, base; load [t + imm]. None of the
 * registers it is computed from is written before the load completes (the
 * narrow scaled-element group writes t first, which is neither y nor base). */
static uint32_t fused_load_address(const pvm_instr *first, const pvm_instr *ld, const ucontext_t *uc)
{
    if (ld == first + 1) return guest_reg32(uc, first->a) + guest_reg32(uc, first->b) + (uint32_t)ld->imm;
    if (ld == first + 3 && first->op == PVM_OP_SHLO_L_IMM_32 && first[1].op == PVM_OP_ADD_IMM_32) /* shlo_l_imm_32 x, y, k; add_imm_32 z, b, imm; add_32 x, x, z; load */
        return guest_reg32(uc, first[1].b) + (guest_reg32(uc, first->b) << (first->imm & 31)) + (uint32_t)first[1].imm + (uint32_t)ld->imm;
    if ((ld == first + 3 || ld == first + 4) && first->op == PVM_OP_SHLO_L_IMM_64) { /* emit_element_load: shlo_l_imm_64 x, y, 32;
        shlo_r_imm_64 x, x, 32 - k; add t, x, b (then one pure op emitted after the access, at + 4) */
        const pvm_instr *shr = first + 1, *add = first + 2;
        unsigned base = add->a == first->a ? add->b : add->a;
        return guest_reg32(uc, base) + (guest_reg32(uc, first->b) << ((32 - shr->imm) & 31)) + (uint32_t)ld->imm;
    }
    if (ld == first + 4 && first->op == PVM_OP_ADD_IMM_64) { /* emit_element_load_after_add: add_imm_64 x, y, k;
        shlo_l_imm_64 x, x, 32; shlo_r_imm_64 x, x, 32 - s; add t, x, b; load */
        const pvm_instr *shr = first + 2, *add = first + 3;
        unsigned base = add->a == first->a ? add->b : add->a;
        return guest_reg32(uc, base) + ((guest_reg32(uc, first->b) + (uint32_t)first->imm) << ((32 - shr->imm) & 31)) +
               (uint32_t)ld->imm;
    }
    const pvm_instr *add = first + 1;
    unsigned base = add->a == first->a ? add->b : add->a;
    return guest_reg32(uc, base) + (guest_reg32(uc, first->b) << (first->imm & 31)) + (uint32_t)ld->imm;
}

static bool fault_at(jit_ctx *c, ucontext_t *uc, uint32_t index, uint32_t index_off, uint32_t ahead);

/* A fault in a copy is its instruction's in the block's own code, with the
 * counter as there: r13 gets what the copy charged ahead, and keeps it if the run stops
 * (redirected to the exit), not if it retries the access (or the fault is not ours). */
static bool handle_guest_fault(jit_ctx *c, ucontext_t *uc)
{
    const jit_module *jm = c->inst->module->jit;
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (!jm || rip < (uintptr_t)jm->code || rip >= (uintptr_t)jm->code + jm->body_end) return false;
    uint32_t off = (uint32_t)(rip - (uintptr_t)jm->code);
    const uint32_t *copy = jm->n_copies ? copy_at(jm, off) : NULL; /* (the first block's copies lie below instr_off[0]) */
    if (!copy) {
        if (off < jm->instr_off[0]) return false;
        uint32_t index = instr_at(jm, off);
        return fault_at(c, uc, index, jm->instr_off[index], 0);
    }
    uint32_t k = 0;
    while (k + 1 < copy[3] && copy[5 + k + 1] <= off) k++;
    uc->uc_mcontext.gregs[REG_R13] += copy[4];
    bool ours = fault_at(c, uc, copy[2] + k, copy[5 + k], copy[4]);
    if (!ours || (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] == rip) uc->uc_mcontext.gregs[REG_R13] -= copy[4];
    return ours;
}

/* The fault at instruction index, whose code starts at index_off; in a copy that charged
 * `ahead` of the interpreter, the iterations it charged ahead are paid from what a lazy
 * page's charge leaves: the copy goes on only if that covers them, else the interpreter. */
static bool fault_at(jit_ctx *c, ucontext_t *uc, uint32_t index, uint32_t index_off, uint32_t ahead)
{
    const pvm_module *m = c->inst->module;
    const jit_module *jm = m->jit;
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    /* A fused sequence (emit_ops.c) maps to its first instruction; its access is its last one's. */
    uint32_t last = index;
    while (jm->inner && last + 1 < jm->n_instrs && jm->inner[last + 1] == 1) last++; /* 2: no entry, code of its own */
    bool fused = last != index;
    if (fused && last >= index + 2 && jit_carry_store_in_order(jm->access, &m->dec.instrs[index])) {
        index++; /* the store of a carry group's sum, emitted after its add: the store's own fault */
        last = index;
        fused = false;
    }
    /* A carry group (emit_carry_group) ends in an add; its one load or store is emitted
     * first, on its own (emit_memory), before any register is written. */
    uint32_t at = last;
    if (fused && !jm->access[m->dec.instrs[last].op].width)
        for (at = index; at < last && !jm->access[m->dec.instrs[at].op].width; at++) {}
    /* A narrow element's two words (emit_fused_group: shlo_l_imm_32; add_32 t; load x, [t]; load t, [t + imm]):
     * the second load is emitted first, at the sequence's start; a fault elsewhere is the first's. */
    const pvm_instr *seq = &m->dec.instrs[index];
    bool pair = fused && jm->narrow && last == index + 3 && seq->op == PVM_OP_SHLO_L_IMM_32 && jm->access[seq[2].op].width &&
                jm->access[seq[3].op].width;
    if (pair && rip != (uintptr_t)jm->code + index_off) at = index + 2;
    /* A strided element loop (emit_strided_loop) ends in its branch; its access is the element
     * group's, emitted first (not alone) */
    bool strided = fused && seq->op == PVM_OP_SHLO_L_IMM_64 && last == index + 5 && pvm_op_is_branch((pvm_op)seq[5].op);
    bool alone = !pair && !strided && (!fused || at != last); /* its address is computed as emit_memory computes it */
    const pvm_instr *ins = &m->dec.instrs[at];
    pvm_mem_access acc = jm->access[ins->op];
    if (!acc.width) return false;
    uint32_t addr = (uint32_t)uc->uc_mcontext.gregs[REG_RCX], fault = 0, code;
    int base = jit_mem_base_reg(ins);
    if (jm->gs_mem && !alone) { /* gs:[a32 + b32 * scale + disp] (emit_indexed_access) */
        addr = fused_load_address(&m->dec.instrs[index], ins, uc);
    } else if (jm->gs_mem) { /* gs:[base32 + disp] or gs:[disp32] (emit_memory): no address in ecx */
        addr = (base < 0 ? 0 : guest_reg32(uc, (unsigned)base)) + (uint32_t)ins->imm;
    } else if (jm->narrow && alone) { /* a folded access, [r13 + base + disp32] (emit_memory): no address in ecx */
        uint64_t sum = base < 0 ? (uint32_t)ins->imm
                                : (uint64_t)(uint32_t)uc->uc_mcontext.gregs[greg_slot[jit_guest_reg[base]]] +
                                      (uint64_t)(int64_t)(int32_t)(uint32_t)ins->imm;
        if (sum >> 32) goto redo; /* wrapped at 2^32 in the guest, not in x86: the interpreter does it */
        addr = (uint32_t)sum;
    }
    pvm_memory *mem = &c->inst->mem;
    if (mem->lazy) { /* first touch of lazy pages: fill, charge the gas (r13 or the frame slot), retry */
        greg_t *gas_reg = jm->gas_in_r13 ? &uc->uc_mcontext.gregs[REG_R13] : NULL;
        int64_t *gas_slot = (int64_t *)(uintptr_t)(uc->uc_mcontext.gregs[REG_RSP] + JIT_FRAME_GAS);
        int64_t bias = jit_gas_bias_at(jm, m, index); /* the bias less what the block owes (gas_checks.c) */
        int64_t left = (gas_reg ? (int64_t)*gas_reg : *gas_slot) + bias; /* the real count */
        switch (pvm_memory_lazy_fault(mem, addr, acc.width, acc.is_store, m->engine->cfg.gas_mode, &left)) {
        case PVM_LAZY_OUT_OF_GAS:
            if (fused) goto redo; /* nothing charged: the interpreter charges it again */
            if (gas_reg) *gas_reg = (greg_t)(left - bias);
            else *gas_slot = left - bias;
            code = JIT_EXIT_CODE(PVM_EXIT_OUT_OF_GAS, index);
            goto redirect;
        case PVM_LAZY_FILLED:
            if (gas_reg) *gas_reg = (greg_t)(left - bias);
            else *gas_slot = left - bias;
            if (pvm_memory_check_slow(mem, addr, acc.width, acc.is_store, &fault) == 0) {
                /* below the bias an unchecked block could overdraw: the interpreter goes on (gas_checks.c) */
                if ((jm->gas_bias || ahead) && m->engine->cfg.gas_mode != PVM_GAS_NONE && left < jm->gas_bias + ahead) goto redo;
                return true;
            }
            break;
        default: break;
        }
    }
    int chk = pvm_memory_check_slow(mem, addr, acc.width, acc.is_store, &fault);
    if (chk == 0) return false; /* the page table allows it: not a guest fault */
    if (fused) goto redo;
    code = JIT_EXIT_CODE(chk == 1 ? PVM_EXIT_PANIC : PVM_EXIT_PAGE_FAULT, index);
    goto redirect;
redo: /* the fused sequence (or wrapping access) wrote no register yet: the interpreter runs it from its start and stops exactly */
    code = JIT_EXIT_CODE(JIT_EXIT_TO_INTERP, index);
redirect:
    if (jm->byte_regs) /* carries held as setb bytes (emit_ops.c: byte_window): their value is the low byte */
        for (unsigned r = 0; r < PVM_REG_COUNT; r++)
            if (jm->byte_regs[index] >> r & 1) uc->uc_mcontext.gregs[greg_slot[jit_guest_reg[r]]] &= 0xFF;
    c->fault_address = fault;
    uc->uc_mcontext.gregs[REG_RCX] = code;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)(jm->code + jm->exit_off);
    return true;
}

/* A fault in this thread's generated code: redirected (see above). */
static bool claim(int sig, siginfo_t *si, void *uctx)
{
    (void)sig, (void)si;
    jit_ctx *c = current_ctx;
    return c && handle_guest_fault(c, uctx);
}

static void install(void)
{
    install_errno = pvm_fault_chain_take(claim);
}

pvm_status jit_signals_init(pvm_error *err)
{
    pthread_once(&install_once, install);
    if (install_errno)
        return pvm_fail(err, PVM_ERR_UNSUPPORTED, "recompiler: cannot install the fault handler: %s", strerror(install_errno));
    return PVM_OK;
}

#define ALTSTACK_SIZE (64 * 1024)
static pthread_key_t altstack_key;
static pthread_once_t altstack_key_once = PTHREAD_ONCE_INIT;

/* At thread exit: drop the alternate stack we gave the thread. */
static void free_altstack(void *p)
{
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    munmap(p, ALTSTACK_SIZE);
}

static void make_altstack_key(void) { pthread_key_create(&altstack_key, free_altstack); }

/* Make sure this thread has an alternate signal stack (ASan or the host may have set one). */
static void ensure_altstack(void)
{
    if (thread_has_altstack) return;
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) && cur.ss_sp) {
        thread_has_altstack = true;
        return;
    }
    pthread_once(&altstack_key_once, make_altstack_key);
    void *p = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return; /* faults then run on the ordinary stack, which is fine */
    stack_t ss = {.ss_sp = p, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) == 0) {
        thread_has_altstack = true;
        pthread_setspecific(altstack_key, p);
    } else {
        munmap(p, ALTSTACK_SIZE);
    }
}

jit_ctx *jit_signals_enter(jit_ctx *c, bool recheck)
{
    /* The host (a test framework, a crash reporter) may have installed its own
     * handler since compile time: take the front place again, chaining to it.
     * Two system calls, so not on every resume after a host call. */
    if (recheck) {
        pvm_fault_chain_take(claim);
    }
    ensure_altstack();
    jit_ctx *prev = current_ctx;
    current_ctx = c;
    return prev;
}

void jit_signals_leave(jit_ctx *prev) { current_ctx = prev; }
