/* Random valid programs for differential fuzzing (see fuzz_case.h). */
#include "fuzz_case.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "vm/util/grow.h"

unsigned fz_deep_in_four = 3;

static bool gp_format(pvm_isa isa) { return isa == PVM_ISA_GP07 || isa == PVM_ISA_JAMV1; }

/* Values that make interesting registers and immediates: addresses around the
 * mapped pages, jump-table addresses, the halt address, boundaries. */
static uint64_t interesting(fz_rng *r, const fz_case *c)
{
    static const uint64_t edges[] = {0, 1, 2, 7, 8, 31, 32, 63, 64, UINT64_MAX, INT64_MIN, INT64_MAX,
                                     0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFF80000000ull, 0x100000000ull,
                                     0xFFFF, 0x10000, 0xFFFFFFFFFFFFFFFEull};
    switch (fz_below(r, 10)) {
    case 0: return (uint64_t)((int64_t)fz_below(r, 33) - 16);
    case 1: return fz_next(r);
    case 2: return (uint64_t)(int64_t)(int32_t)fz_next(r);
    case 3: return edges[fz_below(r, sizeof edges / sizeof *edges)];
    case 4: return fz_below(r, 4) == 0 ? PVM_ADDR_HALT : 2 * (1 + fz_below(r, c->n_jt + 1));
    default: {
        if (!c->n_pages) return fz_below(r, 1u << 20);
        const fz_page *p = &c->pages[fz_below(r, c->n_pages)];
        int64_t off = (int64_t)fz_below(r, 17) - 8;
        uint64_t at = fz_below(r, 2) ? p->addr : (uint64_t)p->addr + p->len;
        if (fz_below(r, 4) == 0) at = p->addr + fz_below(r, p->len);
        return (uint64_t)(int64_t)(int32_t)(uint32_t)(at + (uint64_t)off);
    }
    }
}

static int64_t imm32(fz_rng *r, const fz_case *c) { return (int64_t)(int32_t)(uint32_t)interesting(r, c); }

static void gen_pages(fz_rng *r, fz_case *c)
{
    c->n_pages = 1 + (uint32_t)fz_below(r, 4);
    for (uint32_t i = 0; i < c->n_pages; i++) {
        fz_page *p = &c->pages[i];
        uint32_t pages = 1 + (uint32_t)fz_below(r, 3);
        if (fz_below(r, 8) == 0) p->addr = 0xFFFFF000u - (pages - 1) * 0x1000u; /* the top: accesses wrap */
        else p->addr = 0x10000u + (uint32_t)fz_below(r, 48) * 0x1000u;
        p->len = pages * 0x1000u;
        p->access = fz_below(r, 10) < 3 ? PVM_ACCESS_READ : PVM_ACCESS_WRITE;
        p->fill = fz_next(r);
    }
}

void fz_page_contents(const fz_page *p, uint8_t *dst)
{
    fz_rng r = {.state = p->fill};
    for (uint32_t i = 0; i < p->len; i += 8) {
        uint64_t v = fz_next(&r);
        memcpy(dst + i, &v, p->len - i < 8 ? p->len - i : 8);
    }
}

/* An address inside one of the mapped pages (8-aligned half of the time). */
static uint32_t page_address(fz_rng *r, const fz_case *c)
{
    const fz_page *p = &c->pages[fz_below(r, c->n_pages)];
    uint32_t a = p->addr + (uint32_t)fz_below(r, p->len);
    return fz_below(r, 2) ? a & ~7u : a;
}

static bool is_start(const fz_case *c, uint32_t i)
{
    return i == 0 || c->ins[i - 1].op < 0 || pvm_op_is_terminator((pvm_op)c->ins[i - 1].op);
}

/* Operands: memory accesses mostly near mapped pages, jumps mostly to valid block starts. */
static void gen_operands(fz_rng *r, fz_case *c, uint32_t i, const uint32_t *starts, uint32_t n_starts, bool loops)
{
    fz_ins *x = &c->ins[i];
    for (int k = 0; k < 3; k++) x->r[k] = (uint8_t)fz_below(r, PVM_REG_COUNT);
    x->imm[0] = imm32(r, c);
    x->imm[1] = imm32(r, c);
    x->imm64 = interesting(r, c);
    if (x->op >= 0 && pvm_op_mem_access((pvm_op)x->op).width) {
        pvm_kind k = pvm_op_table[x->op].kind;
        bool direct = k == PVM_KIND_REG_IMM || k == PVM_KIND_IMM_IMM;
        if (direct && fz_below(r, 10) < 7) x->imm[0] = (int32_t)page_address(r, c);
        if (!direct && fz_below(r, 10) < 6) x->imm[0] = (int64_t)fz_below(r, 80) - 16;
    }
    if (x->op == PVM_OP_JUMP_IND && fz_below(r, 2)) x->imm[0] = 0;
    if (x->op == PVM_OP_LOAD_IMM_JUMP_IND && fz_below(r, 2)) x->imm[1] = 0;
    /* Without gas metering only forward control flow, so every run ends. */
    uint32_t first = loops ? 0 : i + 1, n_later = 0;
    for (uint32_t k = 0; k < n_starts; k++) n_later += starts[k] >= first;
    if (n_later && fz_below(r, 4)) {
        uint32_t pick = (uint32_t)fz_below(r, n_later);
        for (uint32_t k = 0; k < n_starts; k++)
            if (starts[k] >= first && pick-- == 0) x->target = (int32_t)starts[k];
    } else {
        x->target = (int32_t)(first + fz_below(r, c->n_ins + 1 - first));
    }
}

bool fz_generate(fz_rng *r, int isa, uint32_t max_ins, uint64_t page_seed, fz_case *c)
{
    memset(c, 0, sizeof *c);
    c->isa = isa >= 0 ? (pvm_isa)isa : (pvm_isa)fz_below(r, PVM_ISA_COUNT);
    c->gas_mode = (pvm_gas_mode)fz_below(r, 3);
    c->gas = fz_below(r, 4) == 0 ? (int64_t)fz_below(r, 20) : 20 + (int64_t)fz_below(r, 3000);
    c->host_seed = fz_next(r);
    c->lazy = fz_below(r, 8) == 0 ? (uint8_t)(1 + fz_below(r, 2)) : 0;
    fz_rng pr = {.state = page_seed};
    gen_pages(page_seed ? &pr : r, c);
    if (fz_below(r, 4) < fz_deep_in_four) { /* by default three in four: a program that lives long */
        if (fz_generate_deep(r, c)) return true;
        fz_case_free(c);
        return false;
    }
    c->n_ins = 1 + (uint32_t)fz_below(r, max_ins ? max_ins : 1);
    c->ins = calloc(c->n_ins, sizeof *c->ins);
    uint32_t *starts = calloc(c->n_ins, sizeof *starts), n_starts = 0;
    if (!c->ins || !starts) {
        free(starts);
        fz_case_free(c);
        return false;
    }
    bool loops = c->gas_mode != PVM_GAS_NONE;
    c->n_jt = loops ? (uint32_t)fz_below(r, FZ_MAX_JT / 2 + 1) : 0;
    pvm_op ops[PVM_OP_COUNT];
    unsigned n_ops = 0;
    for (int op = 0; op < PVM_OP_INVALID; op++)
        if (pvm_isa_encode_opcode(c->isa, (pvm_op)op) >= 0) ops[n_ops++] = (pvm_op)op;
    for (uint32_t i = 0; i < c->n_ins; i++) c->ins[i].op = fz_below(r, 100) == 0 ? -1 : (int16_t)ops[fz_below(r, n_ops)];
    /* Valid jump targets; outside gp07 a branch with a bad target decodes as a trap, which is none. */
    for (uint32_t i = 0; i < c->n_ins; i++)
        if (is_start(c, i) && c->ins[i].op >= 0 && (c->isa == PVM_ISA_GP07 || !pvm_op_is_branch((pvm_op)c->ins[i].op)))
            starts[n_starts++] = i;
    for (uint32_t k = 0; k < c->n_jt; k++) /* jamv1 and .polkavm require block starts; gp07 may point anywhere */
        c->jt[k] = (c->isa == PVM_ISA_GP07 && fz_below(r, 4) == 0) || !n_starts ? (uint32_t)fz_below(r, c->n_ins)
                                                                               : starts[fz_below(r, n_starts)];
    if (c->isa != PVM_ISA_GP07 && !n_starts) c->n_jt = 0;
    for (uint32_t i = 0; i < c->n_ins; i++) gen_operands(r, c, i, starts, n_starts, loops);
    free(starts);
    for (int k = 0; k < PVM_REG_COUNT; k++) c->regs[k] = fz_below(r, 5) < 2 ? page_address(r, c) : interesting(r, c);
    uint64_t e = fz_below(r, 20);
    c->entry = e < 16 ? 0 : e < 19 ? (uint32_t)fz_below(r, c->n_ins) : UINT32_MAX;
    return true;
}

void fz_case_free(fz_case *c)
{
    free(c->ins);
    c->ins = NULL;
    c->n_ins = 0;
}

bool fz_case_copy(const fz_case *src, fz_case *dst)
{
    *dst = *src;
    dst->ins = malloc((src->n_ins ? src->n_ins : 1) * sizeof *dst->ins);
    if (!dst->ins) return false;
    memcpy(dst->ins, src->ins, src->n_ins * sizeof *dst->ins);
    return true;
}

static uint32_t shift_index(uint32_t t, uint32_t removed) { return t > removed ? t - 1 : t; }

void fz_case_remove(fz_case *c, uint32_t i)
{
    if (i >= c->n_ins) return;
    memmove(&c->ins[i], &c->ins[i + 1], (c->n_ins - i - 1) * sizeof *c->ins);
    c->n_ins--;
    for (uint32_t k = 0; k < c->n_ins; k++) c->ins[k].target = (int32_t)shift_index((uint32_t)c->ins[k].target, i);
    for (uint32_t k = 0; k < c->n_jt; k++) c->jt[k] = shift_index(c->jt[k], i);
    if (c->entry != UINT32_MAX && c->entry >= c->n_ins) c->entry = c->n_ins ? c->n_ins - 1 : 0;
}

static void emit(pvm_builder *b, const fz_ins *x, pvm_isa isa, const pvm_label *labels)
{
    if (x->op < 0) {
        uint8_t byte = 0;
        for (int v = 255; v >= 0; v--)
            if (pvm_isa_decode_opcode(isa, (uint8_t)v) == PVM_OP_INVALID) {
                byte = (uint8_t)v;
                break;
            }
        pvm_emit_raw(b, &byte, 1, 1);
        return;
    }
    int op = x->op;
    pvm_label t = labels[x->target];
    switch (pvm_op_table[op].kind) {
    case PVM_KIND_NONE: pvm_emit_none(b, op); break;
    case PVM_KIND_IMM: pvm_emit_imm(b, op, x->imm[0]); break;
    case PVM_KIND_REG_IMM64: pvm_emit_reg_imm64(b, op, x->r[0], x->imm64); break;
    case PVM_KIND_IMM_IMM: pvm_emit_imm_imm(b, op, x->imm[0], x->imm[1]); break;
    case PVM_KIND_OFF: pvm_emit_jump(b, op, t); break;
    case PVM_KIND_REG_IMM: pvm_emit_reg_imm(b, op, x->r[0], x->imm[0]); break;
    case PVM_KIND_REG_IMM_IMM: pvm_emit_reg_imm_imm(b, op, x->r[0], x->imm[0], x->imm[1]); break;
    case PVM_KIND_REG_IMM_OFF: pvm_emit_reg_imm_jump(b, op, x->r[0], x->imm[0], t); break;
    case PVM_KIND_REG_REG: pvm_emit_reg_reg(b, op, x->r[0], x->r[1]); break;
    case PVM_KIND_REG_REG_IMM: pvm_emit_reg_reg_imm(b, op, x->r[0], x->r[1], x->imm[0]); break;
    case PVM_KIND_REG_REG_OFF: pvm_emit_reg_reg_jump(b, op, x->r[0], x->r[1], t); break;
    case PVM_KIND_REG_REG_IMM_IMM: pvm_emit_reg_reg_imm_imm(b, op, x->r[0], x->r[1], x->imm[0], x->imm[1]); break;
    case PVM_KIND_REG3: pvm_emit_reg3(b, op, x->r[0], x->r[1], x->r[2]); break;
    default: break;
    }
}

pvm_status fz_assemble(const fz_case *c, uint8_t **blob, size_t *len, uint32_t **pcs, pvm_error *err)
{
    pvm_builder *b = pvm_builder_new(c->isa);
    pvm_label *labels = malloc((c->n_ins + 1) * sizeof *labels);
    uint32_t *pc = malloc((c->n_ins + 1) * sizeof *pc);
    pvm_status st = PVM_ERR_NO_MEMORY;
    if (!b || !labels || !pc) goto done;
    for (uint32_t i = 0; i <= c->n_ins; i++) labels[i] = pvm_builder_label(b);
    for (uint32_t i = 0; i < c->n_ins; i++) {
        pvm_builder_bind(b, labels[i]);
        pc[i] = pvm_builder_pc(b);
        emit(b, &c->ins[i], c->isa, labels);
    }
    pvm_builder_bind(b, labels[c->n_ins]);
    pc[c->n_ins] = pvm_builder_pc(b);
    for (uint32_t k = 0; k < c->n_jt; k++) pvm_builder_jump_table_add(b, labels[c->jt[k] <= c->n_ins ? c->jt[k] : 0]);
    st = gp_format(c->isa) ? pvm_builder_finish_gp(b, blob, len, err) : pvm_builder_finish_polkavm(b, blob, len, err);
done:
    pvm_builder_free(b);
    free(labels);
    if (st == PVM_OK) *pcs = pc;
    else free(pc);
    return st;
}

bool fz_write(const fz_case *c, FILE *f)
{
    fprintf(f, "pvmfuzz 1\nisa %d gas_mode %d gas %" PRId64 " entry %u host %" PRIu64 "\nregs", (int)c->isa,
            (int)c->gas_mode, c->gas, c->entry, c->host_seed);
    for (int k = 0; k < PVM_REG_COUNT; k++) fprintf(f, " %" PRIx64, c->regs[k]);
    fprintf(f, "\n");
    for (uint32_t i = 0; i < c->n_pages; i++)
        fprintf(f, "page %x %x %d %" PRIx64 "\n", c->pages[i].addr, c->pages[i].len, (int)c->pages[i].access,
                c->pages[i].fill);
    if (c->lazy) fprintf(f, "lazy %u\n", c->lazy);
    if (c->host_regs) fprintf(f, "hostregs %x\n", c->host_regs);
    fprintf(f, "jt %u", c->n_jt);
    for (uint32_t k = 0; k < c->n_jt; k++) fprintf(f, " %u", c->jt[k]);
    fprintf(f, "\n");
    for (uint32_t i = 0; i < c->n_ins; i++) {
        const fz_ins *x = &c->ins[i];
        fprintf(f, "ins %s %u %u %u %" PRId64 " %" PRId64 " %" PRIx64 " %d\n", x->op < 0 ? "raw" : pvm_op_table[x->op].name,
                x->r[0], x->r[1], x->r[2], x->imm[0], x->imm[1], x->imm64, x->target);
    }
    return !ferror(f);
}

bool fz_read(FILE *f, fz_case *c)
{
    memset(c, 0, sizeof *c);
    int isa, mode, version;
    if (fscanf(f, " pvmfuzz %d isa %d gas_mode %d gas %" SCNd64 " entry %u host %" SCNu64 " regs", &version, &isa, &mode,
               &c->gas, &c->entry, &c->host_seed) != 6 ||
        isa < 0 || isa >= PVM_ISA_COUNT || mode < 0 || mode > 2)
        return false;
    c->isa = (pvm_isa)isa;
    c->gas_mode = (pvm_gas_mode)mode;
    for (int k = 0; k < PVM_REG_COUNT; k++)
        if (fscanf(f, " %" SCNx64, &c->regs[k]) != 1) return false;
    char word[64];
    size_t cap = 0;
    while (fscanf(f, " %63s", word) == 1) {
        if (strcmp(word, "page") == 0) {
            int acc;
            if (c->n_pages == FZ_MAX_PAGES) return false;
            fz_page *p = &c->pages[c->n_pages++];
            if (fscanf(f, " %x %x %d %" SCNx64, &p->addr, &p->len, &acc, &p->fill) != 4 || p->len % 4096 ||
                p->len > FZ_MAX_PAGE_BYTES)
                return false;
            p->access = (pvm_access)acc;
        } else if (strcmp(word, "lazy") == 0) {
            unsigned lazy;
            if (fscanf(f, " %u", &lazy) != 1 || lazy > 2) return false;
            c->lazy = (uint8_t)lazy;
        } else if (strcmp(word, "hostregs") == 0) {
            unsigned m;
            if (fscanf(f, " %x", &m) != 1 || m >= (1u << PVM_REG_COUNT)) return false;
            c->host_regs = (uint16_t)m;
        } else if (strcmp(word, "jt") == 0) {
            if (fscanf(f, " %u", &c->n_jt) != 1 || c->n_jt > FZ_MAX_JT) return false;
            for (uint32_t k = 0; k < c->n_jt; k++)
                if (fscanf(f, " %u", &c->jt[k]) != 1) return false;
        } else if (strcmp(word, "ins") == 0) {
            char name[64];
            unsigned r0, r1, r2;
            fz_ins x = {0};
            if (fscanf(f, " %63s %u %u %u %" SCNd64 " %" SCNd64 " %" SCNx64 " %d", name, &r0, &r1, &r2, &x.imm[0],
                       &x.imm[1], &x.imm64, &x.target) != 8 || r0 > 12 || r1 > 12 || r2 > 12)
                return false;
            x.r[0] = (uint8_t)r0, x.r[1] = (uint8_t)r1, x.r[2] = (uint8_t)r2;
            pvm_op named;
            if (strcmp(name, "raw") == 0)
                x.op = -1;
            else if (pvm_op_from_name(name, &named) && named != PVM_OP_INVALID)
                x.op = (int16_t)named;
            else
                return false;
            if (UTIL_GROW(c->ins, cap, c->n_ins + 1, 32) != 0) return false;
            c->ins[c->n_ins++] = x;
        } else {
            return false;
        }
    }
    for (uint32_t i = 0; i < c->n_ins; i++)
        if (c->ins[i].target < 0 || (uint32_t)c->ins[i].target > c->n_ins) return false;
    for (uint32_t k = 0; k < c->n_jt; k++)
        if (c->jt[k] > c->n_ins) return false;
    return c->n_ins > 0;
}
