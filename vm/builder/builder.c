/* Program builder: instruction encoding driven by the ISA table's operand kinds. */
#include "pvm/builder.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/isa/isa.h"
#include "vm/program/varint.h"
#include "vm/util/error.h"
#include "vm/util/grow.h"

typedef struct {
    uint8_t *p;
    size_t len, cap;
} buf;

static bool buf_put(buf *b, const void *src, size_t n)
{
    if (UTIL_GROW(b->p, b->cap, b->len + n, 256) != 0) return false;
    if (n) memcpy(b->p + b->len, src, n);
    b->len += n;
    return true;
}
static bool buf_byte(buf *b, uint8_t v) { return buf_put(b, &v, 1); }

typedef struct {
    uint32_t at;    /* code offset of the 4 offset bytes */
    uint32_t pc;    /* pc of the instruction (offsets are relative to it) */
    pvm_label label;
} fixup;

typedef struct {
    char *name;
    pvm_label label;
} named_label;

struct pvm_builder {
    pvm_isa isa;
    buf code, mask_bits; /* mask_bits: one byte per code byte, 1 = instruction start */
    uint32_t *labels;    /* label -> pc, UINT32_MAX unbound */
    size_t n_labels, cap_labels;
    fixup *fixups;
    size_t n_fixups, cap_fixups;
    pvm_label *jt;
    size_t n_jt, cap_jt;
    named_label *exports;
    size_t n_exports;
    char **imports;
    size_t n_imports;
    buf ro, rw;
    uint32_t ro_size, rw_size, stack_size;
    char error[200]; /* first error, empty if none */
};

static void fail(pvm_builder *b, const char *fmt, ...)
{
    if (b->error[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->error, sizeof b->error, fmt, ap);
    va_end(ap);
}

#define GROW(arr, n, cap)                                                              \
    do {                                                                               \
        if ((n) == (cap)) {                                                            \
            size_t nc_ = (cap) ? (cap) * 2 : 16;                                       \
            void *np_ = realloc((arr), nc_ * sizeof *(arr));                           \
            if (!np_) { fail(b, "out of memory"); return 0; }                          \
            (arr) = np_;                                                               \
            (cap) = nc_;                                                               \
        }                                                                              \
    } while (0)

pvm_builder *pvm_builder_new(pvm_isa isa)
{
    pvm_builder *b = calloc(1, sizeof *b);
    if (b) b->isa = isa;
    return b;
}

void pvm_builder_free(pvm_builder *b)
{
    if (!b) return;
    free(b->code.p);
    free(b->mask_bits.p);
    free(b->labels);
    free(b->fixups);
    free(b->jt);
    for (size_t i = 0; i < b->n_exports; i++) free(b->exports[i].name);
    free(b->exports);
    for (size_t i = 0; i < b->n_imports; i++) free(b->imports[i]);
    free(b->imports);
    free(b->ro.p);
    free(b->rw.p);
    free(b);
}

uint32_t pvm_builder_pc(const pvm_builder *b) { return (uint32_t)b->code.len; }

pvm_label pvm_builder_label(pvm_builder *b)
{
    GROW(b->labels, b->n_labels, b->cap_labels);
    b->labels[b->n_labels] = UINT32_MAX;
    return (pvm_label)b->n_labels++;
}

void pvm_builder_bind(pvm_builder *b, pvm_label l)
{
    if (l >= b->n_labels) return fail(b, "bind: unknown label %u", l);
    if (b->labels[l] != UINT32_MAX) return fail(b, "bind: label %u bound twice", l);
    b->labels[l] = (uint32_t)b->code.len;
}

uint32_t pvm_builder_jump_table_add(pvm_builder *b, pvm_label l)
{
    GROW(b->jt, b->n_jt, b->cap_jt);
    b->jt[b->n_jt++] = l;
    return (uint32_t)(b->n_jt * 2);
}

/* Fewest bytes (0..4) whose sign extension gives x; -1 if x is not a 32-bit signed value. */
static int imm_len(int64_t x)
{
    for (int n = 0; n <= 4; n++) {
        if (n == 0) {
            if (x == 0) return 0;
            continue;
        }
        int64_t lo = -(1ll << (8 * n - 1)), hi = (1ll << (8 * n - 1)) - 1;
        if (x >= lo && x <= hi) return n;
    }
    /* Unsigned 32-bit patterns are accepted as their sign-extended value. */
    return -1;
}

typedef struct {
    uint8_t bytes[24];
    unsigned n;
} enc;

static void put_imm(pvm_builder *b, enc *e, int64_t x, int n)
{
    for (int i = 0; i < n; i++) e->bytes[e->n++] = (uint8_t)((uint64_t)x >> (8 * i));
}

static int check_imm(pvm_builder *b, int64_t x)
{
    int n = imm_len(x);
    if (n < 0) fail(b, "immediate %lld does not fit in 32 bits (signed)", (long long)x);
    return n < 0 ? 4 : n;
}

/* Start an instruction: checks the op exists in this ISA and has the expected kind. */
static bool start(pvm_builder *b, enc *e, int op, pvm_kind kind)
{
    e->n = 0;
    if (op < 0 || op >= PVM_OP_INVALID) {
        fail(b, "bad op %d", op);
        return false;
    }
    int num = pvm_isa_encode_opcode(b->isa, (pvm_op)op);
    if (num < 0) {
        fail(b, "%s does not exist in isa %s", pvm_op_table[op].name, pvm_isa_name(b->isa));
        return false;
    }
    if (pvm_op_table[op].kind != kind) {
        fail(b, "%s takes %s operands, not %s", pvm_op_table[op].name, pvm_kind_name(pvm_op_table[op].kind),
             pvm_kind_name(kind));
        return false;
    }
    e->bytes[e->n++] = (uint8_t)num;
    return true;
}

static unsigned reg(pvm_builder *b, unsigned r)
{
    if (r > 12) fail(b, "register r%u (0..12)", r);
    return r & 15;
}

static void commit(pvm_builder *b, const enc *e, int fix_at, pvm_label target)
{
    uint32_t pc = (uint32_t)b->code.len;
    if (fix_at >= 0) {
        if (b->n_fixups == b->cap_fixups) {
            size_t nc = b->cap_fixups ? b->cap_fixups * 2 : 16;
            fixup *nf = realloc(b->fixups, nc * sizeof *nf);
            if (!nf) return fail(b, "out of memory");
            b->fixups = nf;
            b->cap_fixups = nc;
        }
        b->fixups[b->n_fixups++] = (fixup){pc + (uint32_t)fix_at, pc, target};
    }
    uint8_t marks[24] = {1};
    if (!buf_put(&b->code, e->bytes, e->n) || !buf_put(&b->mask_bits, marks, e->n)) fail(b, "out of memory");
}

void pvm_emit_none(pvm_builder *b, int op)
{
    enc e;
    if (start(b, &e, op, PVM_KIND_NONE)) commit(b, &e, -1, 0);
}

void pvm_emit_imm(pvm_builder *b, int op, int64_t x)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_IMM)) return;
    put_imm(b, &e, x, check_imm(b, x));
    commit(b, &e, -1, 0);
}

void pvm_emit_reg_imm64(pvm_builder *b, int op, unsigned a, uint64_t x)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG_IMM64)) return;
    e.bytes[e.n++] = (uint8_t)reg(b, a);
    put_imm(b, &e, (int64_t)x, 8);
    commit(b, &e, -1, 0);
}

void pvm_emit_imm_imm(pvm_builder *b, int op, int64_t x, int64_t y)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_IMM_IMM)) return;
    int lx = check_imm(b, x);
    e.bytes[e.n++] = (uint8_t)lx;
    put_imm(b, &e, x, lx);
    put_imm(b, &e, y, check_imm(b, y));
    commit(b, &e, -1, 0);
}

void pvm_emit_jump(pvm_builder *b, int op, pvm_label target)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_OFF)) return;
    put_imm(b, &e, 0, 4);
    commit(b, &e, 1, target);
}

void pvm_emit_reg_imm(pvm_builder *b, int op, unsigned a, int64_t x)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG_IMM)) return;
    e.bytes[e.n++] = (uint8_t)reg(b, a);
    put_imm(b, &e, x, check_imm(b, x));
    commit(b, &e, -1, 0);
}

static void reg_imm_two(pvm_builder *b, int op, pvm_kind kind, unsigned a, int64_t x, int64_t y, bool label,
                        pvm_label target)
{
    enc e;
    if (!start(b, &e, op, kind)) return;
    int lx = check_imm(b, x);
    e.bytes[e.n++] = (uint8_t)(reg(b, a) | (unsigned)lx << 4);
    put_imm(b, &e, x, lx);
    int at = (int)e.n;
    put_imm(b, &e, y, label ? 4 : check_imm(b, y));
    commit(b, &e, label ? at : -1, target);
}

void pvm_emit_reg_imm_imm(pvm_builder *b, int op, unsigned a, int64_t x, int64_t y)
{
    reg_imm_two(b, op, PVM_KIND_REG_IMM_IMM, a, x, y, false, 0);
}

void pvm_emit_reg_imm_jump(pvm_builder *b, int op, unsigned a, int64_t x, pvm_label target)
{
    reg_imm_two(b, op, PVM_KIND_REG_IMM_OFF, a, x, 0, true, target);
}

void pvm_emit_reg_reg(pvm_builder *b, int op, unsigned d, unsigned a)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG_REG)) return;
    e.bytes[e.n++] = (uint8_t)(reg(b, d) | reg(b, a) << 4);
    commit(b, &e, -1, 0);
}

void pvm_emit_reg_reg_imm(pvm_builder *b, int op, unsigned a, unsigned rb, int64_t x)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG_REG_IMM)) return;
    e.bytes[e.n++] = (uint8_t)(reg(b, a) | reg(b, rb) << 4);
    put_imm(b, &e, x, check_imm(b, x));
    commit(b, &e, -1, 0);
}

void pvm_emit_reg_reg_jump(pvm_builder *b, int op, unsigned a, unsigned rb, pvm_label target)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG_REG_OFF)) return;
    e.bytes[e.n++] = (uint8_t)(reg(b, a) | reg(b, rb) << 4);
    put_imm(b, &e, 0, 4);
    commit(b, &e, 2, target);
}

void pvm_emit_reg_reg_imm_imm(pvm_builder *b, int op, unsigned a, unsigned rb, int64_t x, int64_t y)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG_REG_IMM_IMM)) return;
    e.bytes[e.n++] = (uint8_t)(reg(b, a) | reg(b, rb) << 4);
    int lx = check_imm(b, x);
    e.bytes[e.n++] = (uint8_t)lx;
    put_imm(b, &e, x, lx);
    put_imm(b, &e, y, check_imm(b, y));
    commit(b, &e, -1, 0);
}

void pvm_emit_reg3(pvm_builder *b, int op, unsigned d, unsigned a, unsigned rb)
{
    enc e;
    if (!start(b, &e, op, PVM_KIND_REG3)) return;
    e.bytes[e.n++] = (uint8_t)(reg(b, a) | reg(b, rb) << 4);
    e.bytes[e.n++] = (uint8_t)reg(b, d);
    commit(b, &e, -1, 0);
}

void pvm_emit_raw(pvm_builder *b, const uint8_t *bytes, size_t n, int instruction_start)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t m = instruction_start && i == 0;
        if (!buf_byte(&b->code, bytes[i]) || !buf_byte(&b->mask_bits, m)) return fail(b, "out of memory");
    }
}

static void set_data(pvm_builder *b, buf *dst, uint32_t *size_out, const uint8_t *data, uint32_t len, uint32_t size)
{
    if (len > size) return fail(b, "data of %u bytes exceeds its size %u", len, size);
    dst->len = 0;
    if (!buf_put(dst, data, len)) fail(b, "out of memory");
    *size_out = size;
}
void pvm_builder_set_ro_data(pvm_builder *b, const uint8_t *d, uint32_t len, uint32_t size) { set_data(b, &b->ro, &b->ro_size, d, len, size); }
void pvm_builder_set_rw_data(pvm_builder *b, const uint8_t *d, uint32_t len, uint32_t size) { set_data(b, &b->rw, &b->rw_size, d, len, size); }
void pvm_builder_set_stack_size(pvm_builder *b, uint32_t size) { b->stack_size = size; }

void pvm_builder_export(pvm_builder *b, const char *name, pvm_label l)
{
    named_label *n = realloc(b->exports, (b->n_exports + 1) * sizeof *n);
    if (!n) return fail(b, "out of memory");
    b->exports = n;
    n[b->n_exports].name = strdup(name);
    n[b->n_exports++].label = l;
}

void pvm_builder_import(pvm_builder *b, const char *name)
{
    char **n = realloc(b->imports, (b->n_imports + 1) * sizeof *n);
    if (!n) return fail(b, "out of memory");
    b->imports = n;
    n[b->n_imports++] = strdup(name);
}

static bool label_pc(pvm_builder *b, pvm_label l, uint32_t *pc)
{
    if (l >= b->n_labels || b->labels[l] == UINT32_MAX) {
        fail(b, "label %u is never bound", l);
        return false;
    }
    *pc = b->labels[l];
    return true;
}

/* Resolve fixups; build the packed bitmask. */
static pvm_status resolve(pvm_builder *b, buf *mask, pvm_error *err)
{
    for (size_t i = 0; i < b->n_fixups; i++) {
        uint32_t t;
        if (!label_pc(b, b->fixups[i].label, &t)) break;
        uint32_t off = t - b->fixups[i].pc;
        for (int k = 0; k < 4; k++) b->code.p[b->fixups[i].at + k] = (uint8_t)(off >> (8 * k));
    }
    if (b->error[0]) return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "builder: %s", b->error);
    size_t n = (b->code.len + 7) / 8;
    mask->len = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t v = 0;
        for (size_t k = 0; k < 8 && i * 8 + k < b->code.len; k++) v |= (uint8_t)(b->mask_bits.p[i * 8 + k] << k);
        if (!buf_byte(mask, v)) return pvm_fail(err, PVM_ERR_NO_MEMORY, "builder: out of memory");
    }
    return PVM_OK;
}

static unsigned jt_entry_size(pvm_builder *b)
{
    uint32_t max = 0, pc;
    for (size_t i = 0; i < b->n_jt; i++)
        if (label_pc(b, b->jt[i], &pc) && pc > max) max = pc;
    return b->n_jt == 0 ? 0 : max < 0x100 ? 1 : max < 0x10000 ? 2 : max < 0x1000000 ? 3 : 4;
}

static bool put_le(buf *o, uint64_t v, unsigned n)
{
    uint8_t t[8];
    for (unsigned i = 0; i < n; i++) t[i] = (uint8_t)(v >> (8 * i));
    return buf_put(o, t, n);
}

/* jump table + code + bitmask, after the caller's counts. */
static bool put_jt_code_mask(pvm_builder *b, buf *o, unsigned z, const buf *mask)
{
    bool ok = true;
    for (size_t i = 0; i < b->n_jt; i++) {
        uint32_t pc = 0;
        label_pc(b, b->jt[i], &pc);
        ok &= put_le(o, pc, z);
    }
    return ok && buf_put(o, b->code.p, b->code.len) && buf_put(o, mask->p, mask->len);
}

static bool put_gp_natural(buf *o, uint64_t v)
{
    uint8_t t[9];
    return buf_put(o, t, pvm_write_gp_natural(t, v));
}

static pvm_status gp_blob(pvm_builder *b, buf *o, pvm_error *err)
{
    buf mask = {0};
    pvm_status st = resolve(b, &mask, err);
    unsigned z = jt_entry_size(b);
    if (!st && !(put_gp_natural(o, b->n_jt) && buf_byte(o, (uint8_t)z) && put_gp_natural(o, b->code.len) &&
                 put_jt_code_mask(b, o, z, &mask)))
        st = pvm_fail(err, PVM_ERR_NO_MEMORY, "builder: out of memory");
    if (!st && b->error[0]) st = pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "builder: %s", b->error);
    free(mask.p);
    return st;
}

static pvm_status hand_out(buf *o, pvm_status st, uint8_t **out, size_t *len)
{
    if (st) {
        free(o->p);
        return st;
    }
    *out = o->p;
    *len = o->len;
    return PVM_OK;
}

pvm_status pvm_builder_finish_gp(pvm_builder *b, uint8_t **out, size_t *len, pvm_error *err)
{
    buf o = {0};
    return hand_out(&o, gp_blob(b, &o, err), out, len);
}

pvm_status pvm_builder_finish_gp_standard(pvm_builder *b, uint8_t **out, size_t *len, pvm_error *err)
{
    buf o = {0}, prog = {0};
    pvm_status st = gp_blob(b, &prog, err);
    if (!st && !(put_le(&o, b->ro.len, 3) && put_le(&o, b->rw.len, 3) &&
                 put_le(&o, (b->rw_size - b->rw.len + 4095) / 4096, 2) && put_le(&o, b->stack_size, 3) &&
                 buf_put(&o, b->ro.p, b->ro.len) && buf_put(&o, b->rw.p, b->rw.len) && put_le(&o, prog.len, 4) &&
                 buf_put(&o, prog.p, prog.len)))
        st = pvm_fail(err, PVM_ERR_NO_MEMORY, "builder: out of memory");
    free(prog.p);
    return hand_out(&o, st, out, len);
}

static bool put_varint(buf *o, uint32_t v)
{
    uint8_t t[5];
    return buf_put(o, t, pvm_write_polkavm_varint(t, v));
}

static bool put_section(buf *o, uint8_t id, const buf *payload)
{
    return buf_byte(o, id) && put_varint(o, (uint32_t)payload->len) && buf_put(o, payload->p, payload->len);
}

pvm_status pvm_builder_finish_polkavm(pvm_builder *b, uint8_t **out, size_t *len, pvm_error *err)
{
    static const uint8_t version_of[PVM_ISA_COUNT] = {[PVM_ISA_REVIVEV1] = 0, [PVM_ISA_LATEST32] = 1,
                                                      [PVM_ISA_LATEST64] = 2, [PVM_ISA_JAMV1] = 3, [PVM_ISA_GP07] = 0xFF};
    if (version_of[b->isa] == 0xFF)
        return pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "builder: a .polkavm container cannot hold the gp07 ISA");
    buf mask = {0}, o = {0}, s = {0};
    pvm_status st = resolve(b, &mask, err);
    bool ok = !st;
    uint8_t hdr[13] = {'P', 'V', 'M', 0, version_of[b->isa]};
    ok = ok && buf_put(&o, hdr, sizeof hdr);
    if (ok && (b->ro_size || b->rw_size || b->stack_size)) {
        s.len = 0;
        ok = put_varint(&s, b->ro_size) && put_varint(&s, b->rw_size) && put_varint(&s, b->stack_size) &&
             put_section(&o, 1, &s);
    }
    if (ok && b->ro.len) ok = put_section(&o, 2, &b->ro);
    if (ok && b->rw.len) ok = put_section(&o, 3, &b->rw);
    if (ok && b->n_imports) {
        s.len = 0;
        uint32_t off = 0;
        ok = put_varint(&s, (uint32_t)b->n_imports);
        for (size_t i = 0; ok && i < b->n_imports; i++) {
            ok = put_le(&s, off, 4);
            off += (uint32_t)strlen(b->imports[i]);
        }
        for (size_t i = 0; ok && i < b->n_imports; i++) ok = buf_put(&s, b->imports[i], strlen(b->imports[i]));
        ok = ok && put_section(&o, 4, &s);
    }
    if (ok && b->n_exports) {
        s.len = 0;
        ok = put_varint(&s, (uint32_t)b->n_exports);
        for (size_t i = 0; ok && i < b->n_exports; i++) {
            uint32_t pc = 0;
            label_pc(b, b->exports[i].label, &pc);
            size_t nl = strlen(b->exports[i].name);
            ok = put_varint(&s, pc) && put_varint(&s, (uint32_t)nl) && buf_put(&s, b->exports[i].name, nl);
        }
        ok = ok && put_section(&o, 5, &s);
    }
    if (ok) {
        unsigned z = jt_entry_size(b);
        s.len = 0;
        ok = put_varint(&s, (uint32_t)b->n_jt) && buf_byte(&s, (uint8_t)z) && put_varint(&s, (uint32_t)b->code.len) &&
             put_jt_code_mask(b, &s, z, &mask) && put_section(&o, 6, &s) && buf_byte(&o, 0);
    }
    if (ok)
        for (int i = 0; i < 8; i++) o.p[5 + i] = (uint8_t)((uint64_t)o.len >> (8 * i));
    if (!st && b->error[0]) st = pvm_fail(err, PVM_ERR_INVALID_ARGUMENT, "builder: %s", b->error);
    if (!st && !ok) st = pvm_fail(err, PVM_ERR_NO_MEMORY, "builder: out of memory");
    free(mask.p);
    free(s.p);
    return hand_out(&o, st, out, len);
}
