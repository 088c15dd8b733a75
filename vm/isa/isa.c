/* Per-variant opcode numbering derived from the one ISA table. */
#include "isa.h"
#include <pthread.h>
#include <string.h>

const pvm_op_info pvm_op_table[PVM_OP_COUNT] = {
#define X(id, nm, kd, num, jm, fl, grp, mem, pipe) \
    [PVM_OP_##id] = {nm, PVM_KIND_##kd, num, jm, fl, PVM_GROUP_##grp, PVM_CLASS_##pipe, mem},
#define T PVM_ISA_T
#define B64 PVM_ISA_B64
#define NGP PVM_ISA_NGP
#define NRV PVM_ISA_NRV
#define REM PVM_ISA_REM
#define LOG PVM_ISA_LOG
#define W32 PVM_ISA_W32
#define SGN PVM_ISA_SGN
#define NOMEM {0, false, false}
#define LU1 {1, false, false}
#define LU2 {2, false, false}
#define LU4 {4, false, false}
#define LU8 {8, false, false}
#define LI1 {1, false, true}
#define LI2 {2, false, true}
#define LI4 {4, false, true}
#define ST1 {1, true, false}
#define ST2 {2, true, false}
#define ST4 {4, true, false}
#define ST8 {8, true, false}
#include "isa_table.def"
    [PVM_OP_INVALID] = {"invalid", PVM_KIND_NONE, -1, -1, PVM_ISA_T, PVM_GROUP_CONTROL, PVM_CLASS_END, NOMEM},
#undef X
#undef T
#undef B64
#undef NGP
#undef NRV
#undef REM
#undef LOG
#undef W32
#undef SGN
#undef NOMEM
#undef LU1
#undef LU2
#undef LU4
#undef LU8
#undef LI1
#undef LI2
#undef LI4
#undef ST1
#undef ST2
#undef ST4
#undef ST8
};

int pvm_isa_encode_opcode(pvm_isa isa, pvm_op op)
{
    if ((unsigned)op >= PVM_OP_INVALID) return -1;
    const pvm_op_info *i = &pvm_op_table[op];
    switch (isa) {
    case PVM_ISA_GP07: return (i->flags & PVM_ISA_NGP) ? -1 : i->number;
    case PVM_ISA_LATEST64: return i->number;
    case PVM_ISA_LATEST32: return (i->flags & PVM_ISA_B64) ? -1 : i->number;
    case PVM_ISA_REVIVEV1: return (i->flags & PVM_ISA_NRV) ? -1 : i->number;
    case PVM_ISA_JAMV1: return i->jam;
    default: return -1;
    }
}

/* 256-entry decode tables per variant, built once from the table, under pthread_once: the
 * build marks every byte invalid before it fills in the valid ones, so a second build racing
 * a reader made valid opcodes decode as invalid in another thread's compile (fuzz_threads:
 * "interp panic at pc 0" in about one run of twenty, the recompiler's module decoded right). */
static uint8_t decode_tables[PVM_ISA_COUNT + 1][256]; /* the last: no variant (all invalid) */
static pthread_once_t decode_once = PTHREAD_ONCE_INIT;

static void build_decode_tables(void)
{
    for (int b = 0; b < 256; b++) decode_tables[PVM_ISA_COUNT][b] = PVM_OP_INVALID;
    for (int v = 0; v < PVM_ISA_COUNT; v++) {
        for (int b = 0; b < 256; b++) decode_tables[v][b] = PVM_OP_INVALID;
        for (int op = 0; op < PVM_OP_INVALID; op++) {
            int n = pvm_isa_encode_opcode((pvm_isa)v, (pvm_op)op);
            if (n >= 0) decode_tables[v][n] = (uint8_t)op;
        }
    }
}

pvm_op pvm_isa_decode_opcode(pvm_isa isa, uint8_t byte)
{
    if ((unsigned)isa >= PVM_ISA_COUNT) return PVM_OP_INVALID;
    pthread_once(&decode_once, build_decode_tables);
    return (pvm_op)decode_tables[isa][byte];
}

const uint8_t *pvm_isa_decode_table(pvm_isa isa)
{
    pthread_once(&decode_once, build_decode_tables);
    return decode_tables[(unsigned)isa < PVM_ISA_COUNT ? isa : PVM_ISA_COUNT];
}

bool pvm_isa_is_64bit(pvm_isa isa) { return isa != PVM_ISA_LATEST32; }

/* PolkaVM (paritytech/polkavm @ e88d5b4f, crates/polkavm/src/interpreter.rs):
 * programs with a fixed memory map run on `StandardMemory`, whose
 * `store_impl_slow` ends every store outside rw data and stack, read-only data
 * included, in `on_store_trap` (a trap). With dynamic paging (`DynamicMemory`,
 * how GP/JAM programs run and how spectool makes the GP 0.8 vectors)
 * `store_impl` answers a read-only page with `on_store_segfault(.., true)`, a
 * page fault, since commit f88cca93 (2025-11-10; a trap before it, which is
 * what the draft new-gas-cost-model vectors of 2025-11-01 expect). The Gray
 * Paper (A.x, memory access) makes a write to a non-writable page a page fault. */
bool pvm_isa_readonly_store_panics(pvm_isa isa)
{
    return isa == PVM_ISA_LATEST32 || isa == PVM_ISA_LATEST64 || isa == PVM_ISA_REVIVEV1;
}

bool pvm_isa_from_name(const char *name, pvm_isa *out)
{
    for (int i = 0; i < PVM_ISA_COUNT; i++)
        if (name && strcmp(name, pvm_isa_name((pvm_isa)i)) == 0) {
            *out = (pvm_isa)i;
            return true;
        }
    return false;
}

bool pvm_op_from_name(const char *name, pvm_op *out)
{
    for (int op = 0; name && op < PVM_OP_COUNT; op++)
        if (strcmp(name, pvm_op_table[op].name) == 0) {
            *out = (pvm_op)op;
            return true;
        }
    return false;
}

/* names[i], or "?" past the end. */
static const char *name_in(const char *const *names, unsigned count, unsigned i)
{
    return i < count ? names[i] : "?";
}

static const char *const ISA_NAMES[PVM_ISA_COUNT] = {"gp07", "latest32", "latest64", "jamv1", "revivev1"};
static const char *const KIND_NAMES[PVM_KIND_COUNT] = {"none", "imm", "reg_imm64", "imm_imm", "off", "reg_imm",
    "reg_imm_imm", "reg_imm_off", "reg_reg", "reg_reg_imm", "reg_reg_off", "reg_reg_imm_imm", "reg3"};
#define NAME_OF(id, name) name,
static const char *const GROUP_NAMES[PVM_GROUP_COUNT] = {PVM_GROUPS(NAME_OF)};
static const char *const CLASS_NAMES[PVM_CLASS_COUNT] = {PVM_PIPELINE_CLASSES(NAME_OF)};
#undef NAME_OF

const char *pvm_isa_name(pvm_isa isa) { return name_in(ISA_NAMES, PVM_ISA_COUNT, (unsigned)isa); }
const char *pvm_kind_name(pvm_kind kind) { return name_in(KIND_NAMES, PVM_KIND_COUNT, (unsigned)kind); }
const char *pvm_group_name(pvm_op_group g) { return name_in(GROUP_NAMES, PVM_GROUP_COUNT, (unsigned)g); }
const char *pvm_pipeline_class_name(pvm_op_class c) { return name_in(CLASS_NAMES, PVM_CLASS_COUNT, (unsigned)c); }
