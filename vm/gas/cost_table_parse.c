/* Cost table loader: strict parse of the format in cost_table.h. Every
 * rejection names the file, the line and the problem in one line. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cost_table_keys.h"

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * FNV_PRIME;
    return h;
}

/* Offset of the start of line `line` (1-based), or len if there is none. */
static size_t line_offset(const char *text, size_t len, unsigned line)
{
    size_t off = 0;
    for (unsigned l = 1; l < line && off < len; l++) {
        const char *nl = memchr(text + off, '\n', len - off);
        off = nl ? (size_t)(nl - text) + 1 : len;
    }
    return off;
}

uint64_t pvm_cost_table_hash(const char *text, size_t len)
{
    size_t start = line_offset(text, len, PVM_COST_TABLE_HASH_LINE);
    size_t end = line_offset(text, len, PVM_COST_TABLE_HASH_LINE + 1);
    return fnv1a(fnv1a(FNV_OFFSET, text, start), text + end, len - end);
}

typedef struct {
    const char *name; /* file name for messages */
    pvm_error *err;
    const char *text;
    size_t len, pos;
    unsigned line;                 /* current line number (1-based) */
    const char *cur;               /* current line, without its '\n' */
    size_t cur_len;
    int version;                   /* the file's format version */
} parser;

__attribute__((format(printf, 3, 4))) static pvm_status fail(parser *ps, unsigned line, const char *fmt, ...)
{
    if (ps->err) {
        int n = snprintf(ps->err->msg, sizeof ps->err->msg, "%s:%u: ", ps->name, line);
        if (n < 0 || (size_t)n >= sizeof ps->err->msg) n = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err->msg + n, sizeof ps->err->msg - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return PVM_ERR_INVALID_ARGUMENT;
}

/* Advance to the next line; false at the end of the text. */
static bool next_line(parser *ps)
{
    if (ps->pos >= ps->len) return false;
    const char *nl = memchr(ps->text + ps->pos, '\n', ps->len - ps->pos);
    ps->cur = ps->text + ps->pos;
    ps->cur_len = (size_t)(nl - ps->cur); /* the caller checked the final newline */
    ps->pos += ps->cur_len + 1;
    ps->line++;
    return true;
}

static bool printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e) return false;
    return true;
}

/* Current line is "WORD VALUE"; returns VALUE's offset in the line, or 0. */
static size_t after_word(const parser *ps, const char *word)
{
    size_t w = strlen(word);
    if (ps->cur_len > w + 1 && memcmp(ps->cur, word, w) == 0 && ps->cur[w] == ' ') return w + 1;
    return 0;
}

static pvm_status header_line(parser *ps, const char *word)
{
    if (!next_line(ps)) return fail(ps, ps->line + 1, "truncated header: missing '%s' line", word);
    if (!printable(ps->cur, ps->cur_len)) return fail(ps, ps->line, "non-printable byte in header");
    if (!after_word(ps, word)) return fail(ps, ps->line, "expected '%s ...'", word);
    return PVM_OK;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static pvm_status parse_header(parser *ps, pvm_cost_table *t)
{
    pvm_status st;
    if ((st = header_line(ps, PVM_COST_TABLE_MAGIC))) return st;
    size_t v = after_word(ps, PVM_COST_TABLE_MAGIC);
    if (ps->cur_len - v != 1 || ps->cur[v] < '1' || ps->cur[v] > '0' + PVM_COST_TABLE_VERSION)
        return fail(ps, ps->line, "unsupported format version '%.*s' (this build reads 1..%d)",
                    (int)(ps->cur_len - v), ps->cur + v, PVM_COST_TABLE_VERSION);
    ps->version = ps->cur[v] - '0';
    t->host = pvm_host_costs_reference(); /* format 1 has no host keys */
    if ((st = header_line(ps, "kind"))) return st;
    const char *kind = ps->cur + 5;
    size_t kind_len = ps->cur_len - 5;
    if (kind_len == 5 && memcmp(kind, "table", 5) == 0) t->kind = PVM_TABLE_KIND_TABLE;
    else if (kind_len == 8 && memcmp(kind, "pipeline", 8) == 0) t->kind = PVM_TABLE_KIND_PIPELINE;
    else return fail(ps, ps->line, "unknown kind '%.*s' (expected table or pipeline)", (int)kind_len, kind);
    for (int i = 0; i < 4; i++) {
        const char *word;
        char *field = pvm_cost_table_prov_field(&t->prov, i, &word);
        if ((st = header_line(ps, word))) return st;
        size_t n = ps->cur_len - strlen(word) - 1;
        if (n >= sizeof t->prov.tool) return fail(ps, ps->line, "%s longer than %zu bytes", word, sizeof t->prov.tool - 1);
        memcpy(field, ps->cur + strlen(word) + 1, n);
        field[n] = '\0';
    }
    if ((st = header_line(ps, "hash"))) return st;
    const char *h = ps->cur + 5;
    size_t hl = ps->cur_len - 5, pl = strlen(PVM_COST_TABLE_HASH_PREFIX);
    uint64_t declared = 0;
    bool ok = hl == pl + 16 && memcmp(h, PVM_COST_TABLE_HASH_PREFIX, pl) == 0;
    for (size_t i = pl; ok && i < hl; i++) {
        int d = hex_digit(h[i]);
        ok = d >= 0;
        declared = declared << 4 | (uint64_t)(d & 15);
    }
    if (!ok) return fail(ps, ps->line, "malformed hash (expected %s and 16 lowercase hex digits)", PVM_COST_TABLE_HASH_PREFIX);
    uint64_t actual = pvm_cost_table_hash(ps->text, ps->len);
    if (actual != declared)
        return fail(ps, ps->line, "content hash mismatch: file says %016llx, content hashes to %016llx",
                    (unsigned long long)declared, (unsigned long long)actual);
    return PVM_OK;
}

/* Decimal u32; rejects signs, fractions, exponents, hex and overflow. */
static pvm_status parse_value(parser *ps, const char *key, const char *s, size_t n, uint32_t *out)
{
    if (n == 0) return fail(ps, ps->line, "key '%s' has no value", key);
    if (!printable(s, n)) return fail(ps, ps->line, "value of '%s' is not an integer (non-printable byte)", key);
    bool digits = true;
    for (size_t i = (s[0] == '-'); i < n; i++) digits &= s[i] >= '0' && s[i] <= '9';
    if (!digits || n == (s[0] == '-'))
        return fail(ps, ps->line, "value of '%s' is not an integer: '%.*s'", key, (int)n, s);
    if (s[0] == '-') return fail(ps, ps->line, "value of '%s' is negative: '%.*s'", key, (int)n, s);
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > UINT32_MAX) return fail(ps, ps->line, "value of '%s' overflows 32 bits: '%.*s'", key, (int)n, s);
    }
    *out = (uint32_t)v;
    return PVM_OK;
}

static bool key_is(const char *name, const char *s, size_t n) { return strlen(name) == n && memcmp(name, s, n) == 0; }

/* A format-3 error line "se KEY MILLIGAS" after the keys: KEY one of the table's keys, after
 * the key of the previous error line (*next: the first key index still allowed). */
static pvm_status parse_error_line(parser *ps, pvm_cost_table *t, size_t nkeys, size_t *next)
{
    const char *key = ps->cur + 3, *sp = memchr(key, ' ', ps->cur_len - 3);
    if (!sp || sp == key) return fail(ps, ps->line, "expected 'se KEY MILLIGAS'");
    size_t kl = (size_t)(sp - key);
    char name[64];
    for (size_t i = 0; i < nkeys; i++) {
        pvm_cost_table_key(t, i, name, sizeof name);
        if (!key_is(name, key, kl)) continue;
        if (i < *next) return fail(ps, ps->line, "error of '%s' out of key order or repeated", name);
        pvm_status st = parse_value(ps, name, sp + 1, ps->cur_len - 3 - kl - 1, &t->se_milligas[i]);
        if (st) return st;
        t->se_known[i] = true;
        *next = i + 1;
        return PVM_OK;
    }
    if (!printable(key, kl)) return fail(ps, ps->line, "non-printable byte in key");
    return fail(ps, ps->line, "error of unknown key '%.*s'", (int)kl, key);
}

/* Body: exactly the kind's keys, each once, in order; then (format 3) their errors. lines[i]
 * records the line of key i for later error messages. */
static pvm_status parse_body(parser *ps, pvm_cost_table *t, unsigned *lines)
{
    size_t nkeys = pvm_cost_table_key_count_in(t->kind, ps->version);
    if (nkeys > PVM_COST_TABLE_MAX_KEYS) return fail(ps, ps->line, "more keys than this build can hold");
    size_t expected = 0, next_error = 0;
    char want[64], name[64];
    while (next_line(ps)) {
        if (ps->version >= 3 && ps->cur_len > 3 && memcmp(ps->cur, "se ", 3) == 0) {
            if (expected < nkeys) {
                pvm_cost_table_key(t, expected, want, sizeof want);
                return fail(ps, ps->line, "error line before key '%s' (errors follow every key)", want);
            }
            pvm_status st = parse_error_line(ps, t, nkeys, &next_error);
            if (st) return st;
            continue;
        }
        if (next_error) return fail(ps, ps->line, "key line after the error lines");
        const char *sp = memchr(ps->cur, ' ', ps->cur_len);
        if (!sp || sp == ps->cur) return fail(ps, ps->line, "expected 'KEY VALUE'");
        size_t kl = (size_t)(sp - ps->cur);
        size_t found = nkeys;
        if (expected < nkeys && key_is((pvm_cost_table_key(t, expected, name, sizeof name), name), ps->cur, kl))
            found = expected; /* the usual case: keys in order */
        for (size_t i = 0; i < nkeys && found == nkeys; i++) {
            pvm_cost_table_key(t, i, name, sizeof name);
            if (key_is(name, ps->cur, kl)) found = i;
        }
        if (found == nkeys) {
            if (!printable(ps->cur, kl)) return fail(ps, ps->line, "non-printable byte in key");
            return fail(ps, ps->line, "unknown key '%.*s'", (int)kl, ps->cur);
        }
        uint32_t *slot = pvm_cost_table_key(t, found, name, sizeof name);
        if (found < expected) return fail(ps, ps->line, "duplicate key '%s' (first on line %u)", name, lines[found]);
        if (found > expected) {
            pvm_cost_table_key(t, expected, want, sizeof want);
            return fail(ps, ps->line, "missing key '%s' (found '%s' in its place)", want, name);
        }
        pvm_status st = parse_value(ps, name, sp + 1, ps->cur_len - kl - 1, slot);
        if (st) return st;
        lines[expected++] = ps->line;
    }
    if (expected < nkeys) {
        pvm_cost_table_key(t, expected, want, sizeof want);
        return fail(ps, ps->line + 1, "missing key '%s' (file ends early)", want);
    }
    if (ps->version < 4) pvm_host_costs_derive_split(&t->host);
    return PVM_OK;
}

/* Semantic check of pipeline parameters, reported at the offending key. */
static pvm_status check_pipeline(parser *ps, pvm_cost_table *t, const unsigned *lines)
{
    char why[192], name[64];
    if (pvm_pipeline_params_check(&t->pipeline, why, sizeof why) == 0) return PVM_OK;
    unsigned line = ps->line;
    const char *colon = strchr(why, ':');
    for (size_t i = 0; colon && i < pvm_pipeline_key_count(); i++) {
        pvm_pipeline_key(&t->pipeline, i, name, sizeof name);
        if (key_is(name, why, (size_t)(colon - why))) line = lines[i];
    }
    return fail(ps, line, "%s", why);
}

pvm_status pvm_cost_table_parse(const char *name, const char *text, size_t len, pvm_cost_table *out,
                                pvm_error *err)
{
    parser ps = {.name = name ? name : "<table>", .err = err, .text = text, .len = len};
    if (!text || len == 0) return fail(&ps, 1, "empty file");
    if (len > PVM_COST_TABLE_MAX_BYTES) return fail(&ps, 1, "larger than %u bytes", PVM_COST_TABLE_MAX_BYTES);
    if (text[len - 1] != '\n') {
        unsigned last = 1;
        for (size_t i = 0; i < len; i++) last += text[i] == '\n';
        return fail(&ps, last, "no newline at end of file (truncated?)");
    }
    pvm_cost_table *t = calloc(1, sizeof *t);
    unsigned *lines = calloc(pvm_cost_table_key_count(PVM_TABLE_KIND_TABLE) + pvm_pipeline_key_count(), sizeof *lines);
    pvm_status st = PVM_ERR_NO_MEMORY;
    if (!t || !lines) {
        if (err) snprintf(err->msg, sizeof err->msg, "%s: out of memory", ps.name);
    } else if (!(st = parse_header(&ps, t)) && !(st = parse_body(&ps, t, lines))) {
        if (t->kind == PVM_TABLE_KIND_PIPELINE) st = check_pipeline(&ps, t, lines);
        else if (t->host.recurrence_milligas) /* the floor is in model cycles: a per-op table has none */
            st = fail(&ps, lines[pvm_cost_table_key_count(t->kind) - 1],
                      "recurrence.milligas_per_cycle must be 0 in a table of kind table (pipeline tables only)");
        if (!st) *out = *t;
    }
    free(lines);
    free(t);
    return st;
}

pvm_status pvm_cost_table_load(const char *path, pvm_cost_table *out, pvm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err) snprintf(err->msg, sizeof err->msg, "%s: cannot open", path);
        return PVM_ERR_IO;
    }
    char *buf = malloc(PVM_COST_TABLE_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, PVM_COST_TABLE_MAX_BYTES + 1, f) : 0;
    bool read_error = ferror(f);
    fclose(f);
    pvm_status st;
    if (!buf) {
        if (err) snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
        st = PVM_ERR_NO_MEMORY;
    } else if (read_error) {
        if (err) snprintf(err->msg, sizeof err->msg, "%s: read error", path);
        st = PVM_ERR_IO;
    } else {
        st = pvm_cost_table_parse(path, buf, n, out, err);
    }
    free(buf);
    return st;
}
