/* Run and compare one JSON conformance vector. Every field is checked for its
 * type and range before use: u64 fields are read exactly (json-c keeps integers
 * above 2^53), u32 fields (addresses, lengths, pc) must fit, bytes must be 0..255. */
#include "vector_run.h"
#include "vm/util/grow.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *why;
    size_t why_len;
} ctx;

static vector_outcome say(ctx *c, vector_outcome o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->why_len, fmt, ap);
    va_end(ap);
    return o;
}

/* A non-negative JSON integer (json-c clamps: a negative value reads as < 0 through get_int64). */
static bool as_u64(json_object *v, uint64_t *out)
{
    if (!v || !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0) return false;
    *out = json_object_get_uint64(v);
    return true;
}

static bool get_u64(json_object *o, const char *key, uint64_t *out)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && as_u64(v, out);
}

static bool get_u32(json_object *o, const char *key, uint64_t *out)
{
    return get_u64(o, key, out) && *out <= UINT32_MAX;
}

static bool get_i64(json_object *o, const char *key, int64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int)) return false;
    *out = json_object_get_int64(v);
    return *out != INT64_MAX || json_object_get_uint64(v) == INT64_MAX; /* json-c clamps values above INT64_MAX */
}

static json_object *get_array(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* Array of integers 0..255 into a malloc'ed buffer; NULL if any element is not a byte. */
static uint8_t *byte_array(json_object *arr, size_t *len)
{
    size_t n = json_object_array_length(arr);
    uint8_t *b = malloc(n ? n : 1);
    if (!b) return NULL;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        if (!as_u64(json_object_array_get_idx(arr, i), &v) || v > 255) {
            free(b);
            return NULL;
        }
        b[i] = (uint8_t)v;
    }
    *len = n;
    return b;
}

static bool reg_array(json_object *arr, uint64_t regs[PVM_REG_COUNT])
{
    if (!arr || json_object_array_length(arr) != PVM_REG_COUNT) return false;
    for (unsigned i = 0; i < PVM_REG_COUNT; i++)
        if (!as_u64(json_object_array_get_idx(arr, i), &regs[i])) return false;
    return true;
}

/* A page-map entry: address and length fit in the 4 GiB space together. */
static bool page_entry(json_object *p, uint32_t *addr, uint32_t *len, bool *writable)
{
    uint64_t a, l;
    json_object *w;
    if (!p || !json_object_is_type(p, json_type_object) || !get_u32(p, "address", &a) || !get_u64(p, "length", &l) ||
        l > (1ull << 32) - a || !json_object_object_get_ex(p, "is-writable", &w) || !json_object_is_type(w, json_type_boolean))
        return false;
    if (l > UINT32_MAX) return false; /* a whole 4 GiB map from address 0: not expressible, and below 64 KiB anyway */
    *addr = (uint32_t)a;
    *len = (uint32_t)l;
    *writable = json_object_get_boolean(w);
    return true;
}

/* A memory chunk {address, contents}: bytes that fit below 2^32. */
static uint8_t *chunk(json_object *c, uint32_t *addr, size_t *n)
{
    uint64_t a;
    json_object *arr;
    if (!c || !json_object_is_type(c, json_type_object) || !get_u32(c, "address", &a) || !(arr = get_array(c, "contents")))
        return NULL;
    if (json_object_array_length(arr) > (1ull << 32) - a) return NULL;
    *addr = (uint32_t)a;
    return byte_array(arr, n);
}

typedef struct {
    uint32_t addr;
    uint8_t value;
} mem_byte;

static int by_addr(const void *a, const void *b)
{
    uint32_t x = ((const mem_byte *)a)->addr, y = ((const mem_byte *)b)->addr;
    return (x > y) - (x < y);
}

/* expected-memory as (address, byte) pairs sorted by address. */
static mem_byte *expected_bytes(json_object *emem, size_t *count, bool *ok)
{
    size_t n = 0, cap = 0;
    mem_byte *v = NULL;
    *ok = true;
    for (size_t j = 0; j < json_object_array_length(emem); j++) {
        uint32_t a;
        size_t len;
        uint8_t *bytes = chunk(json_object_array_get_idx(emem, j), &a, &len);
        if (!bytes) {
            *ok = false;
            break;
        }
        if (UTIL_GROW(v, cap, n + len, 16) != 0) {
            free(bytes);
            *ok = false;
            break;
        }
        for (size_t k = 0; k < len; k++) v[n++] = (mem_byte){a + (uint32_t)k, bytes[k]};
        free(bytes);
    }
    if (!*ok) {
        free(v);
        return NULL;
    }
    /* Real vectors never give one address twice; if a hostile one does, any of its values may be compared. */
    if (n > 1) qsort(v, n, sizeof *v, by_addr);
    *count = n;
    return v;
}

static const mem_byte *find_byte(const mem_byte *v, size_t n, uint32_t addr)
{
    mem_byte key = {addr, 0};
    return n ? bsearch(&key, v, n, sizeof *v, by_addr) : NULL;
}

/* Every accessible byte equals expected-memory, or 0 where none is given. Reads
 * the mapped ranges in 64 KiB slices, so a 4 GiB page map needs no 4 GiB buffer. */
static vector_outcome compare_memory(ctx *c, pvm_instance *in, json_object *pages, const mem_byte *want, size_t nwant)
{
    enum { SLICE = 1 << 16 };
    uint8_t *have = NULL;
    for (size_t i = 0; i < nwant; i++) {
        if (!want[i].value) continue;
        bool mapped = false;
        for (size_t p = 0; p < json_object_array_length(pages) && !mapped; p++) {
            uint32_t a = 0, l = 0;
            bool w;
            page_entry(json_object_array_get_idx(pages, p), &a, &l, &w);
            mapped = want[i].addr >= a && want[i].addr - a < l;
        }
        uint8_t b = 0;
        if (mapped && pvm_instance_read(in, want[i].addr, &b, 1, NULL) == PVM_OK && b != want[i].value)
            return say(c, VECTOR_FAIL, "memory[0x%x]: expected 0x%02x, got 0x%02x", want[i].addr, want[i].value, b);
    }
    if (!(have = malloc(SLICE))) return say(c, VECTOR_FAIL, "out of memory");
    for (size_t p = 0; p < json_object_array_length(pages); p++) {
        uint32_t a = 0, l = 0;
        bool w;
        page_entry(json_object_array_get_idx(pages, p), &a, &l, &w);
        for (uint64_t off = 0; off < l; off += SLICE) {
            uint32_t n = (uint32_t)(l - off < SLICE ? l - off : SLICE), at = a + (uint32_t)off;
            if (pvm_instance_read(in, at, have, n, NULL) != PVM_OK) memset(have, 0, n);
            for (uint32_t k = 0; k < n; k++) {
                if (!have[k]) continue;
                const mem_byte *e = find_byte(want, nwant, at + k);
                if (!e || e->value != have[k]) {
                    uint8_t h = have[k];
                    free(have);
                    return say(c, VECTOR_FAIL, "memory[0x%x]: expected 0x%02x, got 0x%02x", at + k, e ? e->value : 0, h);
                }
            }
        }
    }
    free(have);
    return VECTOR_PASS;
}

vector_outcome vector_run(pvm_engine *e, json_object *t, pvm_isa isa, char *why, size_t why_len)
{
    ctx c = {why, why_len};
    pvm_error err = {{0}};
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    uint8_t *prog = NULL;
    mem_byte *want = NULL;
    size_t plen, nwant = 0;
    uint64_t pc, epc, regs[PVM_REG_COUNT], eregs[PVM_REG_COUNT];
    int64_t gas, egas;
    json_object *jprog, *pages, *mem, *emem, *jstatus;
    vector_outcome o = VECTOR_MALFORMED;
    why[0] = 0;
    if (!t || !json_object_is_type(t, json_type_object)) return say(&c, o, "not a JSON object");
#define NEED(cond, what) do { if (!(cond)) { o = say(&c, VECTOR_MALFORMED, "malformed vector: %s", what); goto done; } } while (0)
    NEED(jprog = get_array(t, "program"), "program is not an array");
    NEED(reg_array(get_array(t, "initial-regs"), regs), "initial-regs is not 13 unsigned 64-bit integers");
    NEED(reg_array(get_array(t, "expected-regs"), eregs), "expected-regs is not 13 unsigned 64-bit integers");
    NEED(pages = get_array(t, "initial-page-map"), "initial-page-map is not an array");
    NEED(mem = get_array(t, "initial-memory"), "initial-memory is not an array");
    NEED(emem = get_array(t, "expected-memory"), "expected-memory is not an array");
    NEED(get_u32(t, "initial-pc", &pc), "initial-pc is not a 32-bit unsigned integer");
    NEED(get_u32(t, "expected-pc", &epc), "expected-pc is not a 32-bit unsigned integer");
    NEED(get_i64(t, "initial-gas", &gas), "initial-gas is not an integer");
    NEED(get_i64(t, "expected-gas", &egas), "expected-gas is not an integer");
    NEED(json_object_object_get_ex(t, "expected-status", &jstatus) && json_object_is_type(jstatus, json_type_string),
         "expected-status is not a string");
    NEED(prog = byte_array(jprog, &plen), "program is not an array of bytes (0..255)");
    for (size_t i = 0; i < json_object_array_length(pages); i++) {
        uint32_t a, l;
        bool w;
        NEED(page_entry(json_object_array_get_idx(pages, i), &a, &l, &w),
             "initial-page-map entry: address, length (address + length <= 2^32) or is-writable missing or out of range");
    }
    bool wants_ok;
    want = expected_bytes(emem, &nwant, &wants_ok);
    NEED(wants_ok, "expected-memory entry: address or contents (bytes, within 2^32) missing or out of range");

    o = VECTOR_FAIL;
    pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = isa, .page_size = 4096};
    if (pvm_module_compile(e, prog, plen, &mc, NULL, &m, &err) || pvm_instance_new(m, &in, &err)) {
        say(&c, o, "program rejected: %.200s", err.msg);
        goto done;
    }
    for (size_t i = 0; i < json_object_array_length(pages); i++) {
        uint32_t a, l;
        bool w;
        page_entry(json_object_array_get_idx(pages, i), &a, &l, &w);
        if (pvm_instance_map(in, a, l, w ? PVM_ACCESS_WRITE : PVM_ACCESS_READ, &err)) {
            say(&c, o, "initial-page-map: %.200s", err.msg);
            goto done;
        }
    }
    for (size_t i = 0; i < json_object_array_length(mem); i++) {
        uint32_t a;
        size_t n;
        uint8_t *bytes = chunk(json_object_array_get_idx(mem, i), &a, &n);
        if (!bytes) {
            o = say(&c, VECTOR_MALFORMED, "malformed vector: initial-memory entry %zu: address or contents out of range", i);
            goto done;
        }
        pvm_status st = pvm_instance_write(in, a, bytes, n, &err);
        free(bytes);
        if (st) {
            say(&c, o, "initial-memory: %.200s", err.msg);
            goto done;
        }
    }
    for (unsigned i = 0; i < PVM_REG_COUNT; i++) pvm_instance_set_reg(in, i, regs[i], NULL);
    pvm_instance_set_pc(in, (uint32_t)pc, NULL);
    pvm_instance_set_gas(in, gas);
    pvm_result res;
    if (pvm_instance_run(in, &res, &err)) {
        say(&c, o, "run failed: %.200s", err.msg);
        goto done;
    }
    const char *status = json_object_get_string(jstatus), *got = pvm_exit_name(res.kind);
    if (strcmp(status, got)) {
        say(&c, o, "status: expected %.40s, got %s (pc %u)", status, got, res.pc);
        goto done;
    }
    if (res.pc != epc) {
        say(&c, o, "pc: expected %" PRIu64 ", got %u", epc, res.pc);
        goto done;
    }
    uint64_t fa;
    if (res.kind == PVM_EXIT_PAGE_FAULT && get_u64(t, "expected-page-fault-address", &fa) && fa != res.fault_address) {
        say(&c, o, "page-fault-address: expected 0x%" PRIx64 ", got 0x%x", fa, res.fault_address);
        goto done;
    }
    for (unsigned i = 0; i < PVM_REG_COUNT; i++)
        if (eregs[i] != pvm_instance_reg(in, i)) {
            say(&c, o, "regs[%u]: expected 0x%" PRIx64 ", got 0x%" PRIx64, i, eregs[i], pvm_instance_reg(in, i));
            goto done;
        }
    if (pvm_instance_gas(in) != egas) {
        say(&c, o, "gas: expected %" PRId64 ", got %" PRId64, egas, pvm_instance_gas(in));
        goto done;
    }
    o = compare_memory(&c, in, pages, want, nwant);
#undef NEED
done:
    free(prog);
    free(want);
    pvm_instance_free(in);
    pvm_module_release(m);
    return o;
}
