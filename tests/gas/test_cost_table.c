/* Cost table files: byte-identical round trips of the checked-in tables,
 * the compiled-in C header, and every rejection path of the loader (each
 * error names the file, the line and the problem). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/gas/cost_table.h"
#include "unit_table_generated.h"

static const char *const checked_in[] = {"unit.table", "pipeline-l1hit.pipeline", "pipeline-l2hit.pipeline",
                                         "pipeline-l3hit.pipeline"};

static char *read_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PVMLAB_TABLES_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(PVM_COST_TABLE_MAX_BYTES + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, PVM_COST_TABLE_MAX_BYTES, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void test_checked_in_tables_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof checked_in / sizeof checked_in[0]; i++) {
        size_t len, out_len;
        char *text = read_file(checked_in[i], &len);
        pvm_cost_table t;
        pvm_error err = {{0}};
        if (pvm_cost_table_parse(checked_in[i], text, len, &t, &err) != PVM_OK) fail_msg("%s", err.msg);
        char *out = pvm_cost_table_format(&t, &out_len);
        assert_non_null(out);
        assert_int_equal(out_len, len);
        assert_memory_equal(out, text, len);
        free(out);
        free(text);
    }
}

static void test_compiled_in_header_matches_file(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file("unit.table", &len);
    assert_int_equal(sizeof UNIT_TABLE - 1, len);
    assert_memory_equal(UNIT_TABLE, text, len);
    assert_true(UNIT_TABLE_HASH == pvm_cost_table_hash(text, len));
    pvm_cost_table t;
    assert_int_equal(pvm_cost_table_parse("UNIT_TABLE", UNIT_TABLE, sizeof UNIT_TABLE - 1, &t, NULL), PVM_OK);
    for (int op = 0; op < PVM_OP_COUNT; op++) assert_int_equal(t.op_cost[op], 1);
    free(text);
}

static void test_format_parse_preserves_values(void **state)
{
    (void)state;
    pvm_cost_table t = {.kind = PVM_TABLE_KIND_TABLE};
    snprintf(t.prov.calibration, sizeof t.prov.calibration, "run 42");
    snprintf(t.prov.machine, sizeof t.prov.machine, "Zen 4 7950X");
    snprintf(t.prov.counters, sizeof t.prov.counters, "perf_event cycles");
    snprintf(t.prov.tool, sizeof t.prov.tool, "test");
    for (int op = 0; op < PVM_OP_COUNT; op++) t.op_cost[op] = (uint32_t)op * 977u;
    t.op_cost[PVM_OP_INVALID] = UINT32_MAX;
    size_t len;
    char *text = pvm_cost_table_format(&t, &len);
    assert_non_null(text);
    pvm_cost_table back;
    assert_int_equal(pvm_cost_table_parse("x", text, len, &back, NULL), PVM_OK);
    assert_memory_equal(back.op_cost, t.op_cost, sizeof t.op_cost);
    assert_string_equal(back.prov.machine, "Zen 4 7950X");
    free(text);
    snprintf(t.prov.machine, sizeof t.prov.machine, "two\nlines");
    assert_null(pvm_cost_table_format(&t, &len));
    assert_null(pvm_cost_table_format_c_header(&t, "1bad", &len));
}

/* --- rejections ----------------------------------------------------------- */

/* The checked-in table `file` with line `line` (1-based) replaced by
 * `replacement` (NULL = deleted; may hold several lines), the hash line
 * recomputed unless keep_hash or the edit is to the hash line itself.
 * Caller frees. */
static char *edited(const char *file, unsigned line, const char *replacement, bool keep_hash, size_t *len)
{
    size_t n;
    char *text = read_file(file, &n);
    char *out = malloc(n + 4096);
    assert_non_null(out);
    size_t o = 0;
    unsigned l = 1;
    for (const char *p = text; p < text + n; l++) {
        const char *nl = strchr(p, '\n');
        size_t ll = (size_t)(nl - p) + 1;
        if (l != line) memcpy(out + o, p, ll), o += ll;
        else if (replacement) memcpy(out + o, replacement, strlen(replacement)), o += strlen(replacement);
        p += ll;
    }
    out[o] = '\0';
    if (!keep_hash && line != 7) {
        char *h = strstr(out, "hash fnv1a64:");
        assert_non_null(h);
        char hex[17];
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)pvm_cost_table_hash(out, o));
        memcpy(h + strlen("hash fnv1a64:"), hex, 16);
    }
    free(text);
    *len = o;
    return out;
}

static void expect_error(const char *text, size_t len, const char *want)
{
    pvm_cost_table t;
    pvm_error err = {{0}};
    if (pvm_cost_table_parse("bad.table", text, len, &t, &err) != PVM_ERR_INVALID_ARGUMENT)
        fail_msg("accepted, expected an error containing '%s'", want);
    if (!strstr(err.msg, want)) fail_msg("error '%s' does not contain '%s'", err.msg, want);
    assert_null(strchr(err.msg, '\n'));
}

static void expect_edit_error(const char *file, unsigned line, const char *replacement, const char *want)
{
    size_t len;
    char *text = edited(file, line, replacement, false, &len);
    expect_error(text, len, want);
    free(text);
}

/* Body lines of unit.table: 8 = trap, 9 = fallthrough, ..., last = invalid. */
static void test_rejects_bad_keys(void **state)
{
    (void)state;
    expect_edit_error("unit.table", 9, "fallthrough_2 1\n", "bad.table:9: unknown key 'fallthrough_2'");
    expect_edit_error("unit.table", 9, NULL, "bad.table:9: missing key 'fallthrough' (found 'memset'");
    expect_edit_error("unit.table", 9, "fallthrough 1\ntrap 1\n", "bad.table:10: duplicate key 'trap' (first on line 8)");
    expect_edit_error("unit.table", 9, "fallthrough 1\nfallthrough 1\n", "bad.table:10: duplicate key 'fallthrough'");
    expect_edit_error("unit.table", 8 + PVM_OP_COUNT - 1, NULL, "missing key 'invalid' (found 'host.lazy_page_read'");
    expect_edit_error("unit.table", 8 + PVM_OP_COUNT + PVM_HOST_KEY_COUNT_V3 - 1, NULL,
                      "missing key 'host.memset_byte' (file ends early)");
    expect_edit_error("unit.table", 9, "fallthrough\n", "bad.table:9: expected 'KEY VALUE'");
    expect_edit_error("unit.table", 9, "\n", "bad.table:9: expected 'KEY VALUE'");
    expect_edit_error("unit.table", 9, "fallthrough 1\nextra 1\n", "bad.table:10: unknown key 'extra'");
    expect_edit_error("unit.table", 7 + PVM_OP_COUNT, "invalid 1\nmore 2\n", "unknown key 'more'");
    expect_edit_error("unit.table", 7 + PVM_OP_COUNT, "invalid 1\ninvalid 2\n", "duplicate key 'invalid'");
    expect_edit_error("pipeline-l2hit.pipeline", 8, NULL, "bad.table:8: missing key 'decode_width' (found 'rob_size'");
}

static void test_rejects_bad_values(void **state)
{
    (void)state;
    expect_edit_error("unit.table", 9, "fallthrough -1\n", "bad.table:9: value of 'fallthrough' is negative");
    expect_edit_error("unit.table", 9, "fallthrough 4294967296\n", "bad.table:9: value of 'fallthrough' overflows 32 bits");
    expect_edit_error("unit.table", 9, "fallthrough 99999999999999999999999999\n", "overflows 32 bits");
}

static void test_accepts_max_u32(void **state)
{
    (void)state;
    size_t len;
    char *text = edited("unit.table", 9, "fallthrough 4294967295\n", false, &len);
    pvm_cost_table t;
    assert_int_equal(pvm_cost_table_parse("ok", text, len, &t, NULL), PVM_OK);
    assert_int_equal(t.op_cost[PVM_OP_FALLTHROUGH], UINT32_MAX);
    free(text);
}

static void test_rejects_non_integers(void **state)
{
    (void)state;
    static const char *const bad[] = {"1.5", "abc", "0x10", "1e3", "+1", "-", "1 ", " 1", "1\r", "１"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "fallthrough %s\n", bad[i]);
        expect_edit_error("unit.table", 9, line, "bad.table:9: value of 'fallthrough' is not an integer");
    }
    expect_edit_error("unit.table", 9, "fallthrough \n", "bad.table:9: key 'fallthrough' has no value");
}

static void test_rejects_bad_header(void **state)
{
    (void)state;
    expect_edit_error("unit.table", 1, "pvmlab-cost-table 7\n", "bad.table:1: unsupported format version '7'");
    /* Format 4 carries the lazy-page kinds as two more host keys: a format 2 body lacks them. */
    expect_edit_error("unit.table", 1, "pvmlab-cost-table 4\n", "missing key 'host.lazy_page_read_image' (file ends early)");
    /* Format 1 has no host keys: a format 1 file that has them is wrong. */
    expect_edit_error("unit.table", 1, "pvmlab-cost-table 1\n", "unknown key 'host.lazy_page_read'");
    expect_edit_error("unit.table", 1, "cost-table 1\n", "bad.table:1: expected 'pvmlab-cost-table ...'");
    expect_edit_error("unit.table", 2, "kind simple\n", "bad.table:2: unknown kind 'simple'");
    expect_edit_error("unit.table", 4, NULL, "bad.table:4: expected 'machine ...'");
    expect_edit_error("unit.table", 4, "machine \n", "bad.table:4: expected 'machine ...'");
    expect_edit_error("unit.table", 7, "hash fnv1a64:xyz\n", "bad.table:7: malformed hash");
    expect_edit_error("unit.table", 7, "hash fnv1a64:45D49E9406B6576E\n", "bad.table:7: malformed hash");
    expect_error("", 0, "bad.table:1: empty file");
    static const char two_lines[] = "pvmlab-cost-table 1\nkind table\n";
    expect_error(two_lines, sizeof two_lines - 1, "bad.table:3: truncated header: missing 'calibration' line");
    /* Pipeline parameters that would stall the simulator, reported at their key. */
    expect_edit_error("pipeline-l2hit.pipeline", 9, "rob_size 0\n", "bad.table:9: rob_size: must be 1..64");
    expect_edit_error("pipeline-l2hit.pipeline", 19, "latency.l2 0\n", "bad.table:19: latency.l2: must be 1..");
    expect_edit_error("pipeline-l2hit.pipeline", 17, "cache_level 4\n", "bad.table:17: cache_level: must be 1, 2 or 3");
}

static unsigned line_of_key(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    assert_non_null(p);
    unsigned line = 1;
    for (const char *q = text; q < p; q++) line += *q == '\n';
    return line;
}

static void test_rejects_pipeline_cross_checks(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file("pipeline-l2hit.pipeline", &len);
    unsigned div_decode = line_of_key(text, "\nclass.div.decode ") + 1;
    unsigned mul_units = line_of_key(text, "\nclass.mul.mul ") + 1;
    unsigned alu_latency = line_of_key(text, "\nclass.alu3.latency ") + 1;
    unsigned load_latency = line_of_key(text, "\nclass.load.latency ") + 1;
    free(text);
    char want[128];
    snprintf(want, sizeof want, "bad.table:%u: class.div.decode: decode slots", div_decode);
    expect_edit_error("pipeline-l2hit.pipeline", div_decode, "class.div.decode 5\n", want);
    snprintf(want, sizeof want, "bad.table:%u: class.mul.mul: needs 2 units, the pool holds 1", mul_units);
    expect_edit_error("pipeline-l2hit.pipeline", mul_units, "class.mul.mul 2\n", want);
    snprintf(want, sizeof want, "bad.table:%u: class.alu3.latency: latency", alu_latency);
    expect_edit_error("pipeline-l2hit.pipeline", alu_latency, "class.alu3.latency 0\n", want);
    snprintf(want, sizeof want, "bad.table:%u: class.load.latency: must be 0", load_latency);
    expect_edit_error("pipeline-l2hit.pipeline", load_latency, "class.load.latency 4\n", want);
}

/* A format 1 file (no host keys) is read with the reference host charges; format 2 carries
 * its own, which a model loaded from it charges. */
static void test_format1_and_host_charges(void **state)
{
    (void)state;
    size_t len;
    char *text = edited("unit.table", 1, "pvmlab-cost-table 1\n", true, &len);
    for (int k = 0; k < PVM_HOST_KEY_COUNT_V3; k++) { /* drop the last line */
        text[--len] = '\0';
        char *nl = strrchr(text, '\n');
        len = (size_t)(nl - text) + 1;
        text[len] = '\0';
    }
    char *h = strstr(text, "hash fnv1a64:");
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)pvm_cost_table_hash(text, len));
    memcpy(h + strlen("hash fnv1a64:"), hex, 16);
    pvm_cost_table t;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_parse("v1.table", text, len, &t, &err), PVM_OK);
    assert_int_equal(t.host.lazy_page_read, 100);
    assert_int_equal(t.host.lazy_page_write, 50);
    assert_int_equal(t.host.memset_byte, 1);
    assert_int_equal(t.host.lazy_page_read_image, 100); /* the reference: an image page loads like a zero page */
    assert_int_equal(t.host.lazy_page_write_first, 150); /* and a first store pays read + write */
    free(text);
    text = edited("unit.table", 8 + PVM_OP_COUNT + 2, "host.memset_byte 7\n", false, &len);
    assert_int_equal(pvm_cost_table_parse("v2.table", text, len, &t, &err), PVM_OK);
    assert_int_equal(t.host.memset_byte, 7);
    free(text);
}

/* Format 4: the lazy-page kinds priced apart (two more host keys, after host.memset_byte). A
 * format 2/3 file means read_image = read and write_first = read + write; a table whose
 * numbers say exactly that keeps the older format and its bytes; any other split is written
 * as format 4 and read back the same. */
static void test_format4_lazy_kinds(void **state)
{
    (void)state;
    size_t len;
    char *text = edited("unit.table", 8 + PVM_OP_COUNT + 1, "host.lazy_page_write 20\n", false, &len);
    pvm_cost_table t, back;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_parse("v2.table", text, len, &t, &err), PVM_OK);
    free(text);
    assert_int_equal(t.host.lazy_page_read_image, 100);
    assert_int_equal(t.host.lazy_page_write_first, 120);
    text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 2\n", 20) == 0); /* nothing split: still format 2 */
    assert_null(strstr(text, "host.lazy_page_write_first"));
    free(text);
    t.host.lazy_page_read_image = 45, t.host.lazy_page_write_first = 29;
    text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 4\n", 20) == 0);
    assert_non_null(strstr(text, "\nhost.memset_byte 1\nhost.lazy_page_read_image 45\nhost.lazy_page_write_first 29\n"));
    assert_int_equal(pvm_cost_table_parse("v4.table", text, len, &back, &err), PVM_OK);
    assert_memory_equal(&back.host, &t.host, sizeof t.host);
    free(text);
    /* The saturating sum: read + write beyond 32 bits is UINT32_MAX, not a wrapped number. */
    t.host.lazy_page_read = UINT32_MAX - 1, t.host.lazy_page_write = 7;
    pvm_host_costs_derive_split(&t.host);
    assert_int_equal(t.host.lazy_page_write_first, UINT32_MAX);
    /* An error on a format-4 key needs format 4 even when the values are the joined ones. */
    t.host.lazy_page_read = 30, t.host.lazy_page_write = 20;
    pvm_host_costs_derive_split(&t.host);
    t.se_known[PVM_OP_COUNT + 4] = true, t.se_milligas[PVM_OP_COUNT + 4] = 900;
    text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 4\n", 20) == 0);
    assert_non_null(strstr(text, "\nse host.lazy_page_write_first 900\n"));
    assert_int_equal(pvm_cost_table_parse("v4.table", text, len, &back, &err), PVM_OK);
    assert_true(back.se_known[PVM_OP_COUNT + 4]);
    free(text);
}

/* Removes the line `line` (with its newline) from text and writes the hash the rest has. */
static void drop_line_and_rehash(char *text, const char *line)
{
    char *cut = strstr(text, line);
    assert_non_null(cut);
    memmove(cut, cut + strlen(line), strlen(cut + strlen(line)) + 1);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)pvm_cost_table_hash(text, strlen(text)));
    memcpy(strstr(text, "hash fnv1a64:") + strlen("hash fnv1a64:"), hex, 16);
}

/* Format 5: chase.hop after the host keys, written only when it is not 0 (or has an error);
 * older formats read as 0, and a format-5 file without the key is refused. */
static void test_format5_chase_hop(void **state)
{
    (void)state;
    size_t len, unit_len;
    char *unit = read_file("unit.table", &unit_len);
    pvm_cost_table t, back;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_parse("unit.table", unit, unit_len, &t, &err), PVM_OK);
    assert_int_equal(t.host.chase_hop, 0);
    t.host.chase_hop = 91;
    char *text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 5\n", 20) == 0);
    const char *first = strstr(text, "\nhost.lazy_page_write_first "), *hop = strstr(text, "\nchase.hop 91\n");
    assert_true(first && hop && hop > first && !memchr(first + 1, '\n', (size_t)(hop - first - 1))); /* the next line */
    assert_int_equal(pvm_cost_table_parse("v5.table", text, len, &back, &err), PVM_OK);
    assert_int_equal(back.host.chase_hop, 91);
    char *again = pvm_cost_table_format(&back, &len);
    assert_string_equal(again, text);
    free(again);
    /* the key left out of a format-5 file: named, with the file's end */
    drop_line_and_rehash(text, "chase.hop 91\n");
    expect_error(text, strlen(text), "missing key 'chase.hop' (file ends early)");
    free(text);
    /* an error on chase.hop alone needs format 5 too */
    t.host.chase_hop = 0;
    t.se_known[PVM_OP_COUNT + 5] = true, t.se_milligas[PVM_OP_COUNT + 5] = 2500;
    text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 5\n", 20) == 0);
    assert_non_null(strstr(text, "\nse chase.hop 2500\n"));
    free(text);
    free(unit);
}

/* Format 6: a pipeline table's recurrence floor, after chase.hop; a table without one keeps
 * its older format; a per-op table with one is refused at the key's line; the key left out
 * of a format-6 file is named. */
static void test_format6_recurrence(void **state)
{
    (void)state;
    size_t len, pipe_len, unit_len;
    char *pipe = read_file("pipeline-l2hit.pipeline", &pipe_len), *unit = read_file("unit.table", &unit_len);
    pvm_cost_table t, back;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_parse("pipeline-l2hit.pipeline", pipe, pipe_len, &t, &err), PVM_OK);
    assert_int_equal(t.host.recurrence_milligas, 0);
    t.host.recurrence_milligas = 7416;
    char *text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 6\n", 20) == 0);
    const char *hop = strstr(text, "\nchase.hop 0\n"), *floor = strstr(text, "\nrecurrence.milligas_per_cycle 7416\n");
    assert_true(hop && floor && floor == hop + strlen("\nchase.hop 0")); /* the next line */
    assert_int_equal(pvm_cost_table_parse("v6.pipeline", text, len, &back, &err), PVM_OK);
    assert_int_equal(back.host.recurrence_milligas, 7416);
    char *again = pvm_cost_table_format(&back, &len);
    assert_string_equal(again, text);
    free(again);
    drop_line_and_rehash(text, "recurrence.milligas_per_cycle 7416\n");
    expect_error(text, strlen(text), "missing key 'recurrence.milligas_per_cycle' (file ends early)");
    free(text);
    /* without the floor: the reference table's bytes */
    back.host.recurrence_milligas = 0;
    text = pvm_cost_table_format(&back, &len);
    assert_int_equal(len, pipe_len);
    assert_memory_equal(text, pipe, len);
    free(text);
    /* a per-op table with a floor: refused, at its line */
    assert_int_equal(pvm_cost_table_parse("unit.table", unit, unit_len, &t, &err), PVM_OK);
    t.host.recurrence_milligas = 5;
    text = pvm_cost_table_format(&t, &len);
    assert_true(strncmp(text, "pvmlab-cost-table 6\n", 20) == 0);
    unsigned line = 1;
    for (const char *c = text; c < strstr(text, "recurrence.milligas_per_cycle"); c++) line += *c == '\n';
    char want[160];
    snprintf(want, sizeof want, "bad.table:%u: recurrence.milligas_per_cycle must be 0 in a table of kind table", line);
    expect_error(text, len, want);
    free(text);
    free(unit);
    free(pipe);
}

/* Format 3: the numbers' standard errors (thousandths of a gas) after the keys, in key order;
 * a table without errors is still written as format 2, byte for byte. */
static void test_format3_errors(void **state)
{
    (void)state;
    size_t len, unit_len;
    char *unit = read_file("unit.table", &unit_len);
    pvm_cost_table t;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_parse("unit.table", unit, unit_len, &t, &err), PVM_OK);
    char *again = pvm_cost_table_format(&t, &len);
    assert_int_equal(len, unit_len);
    assert_memory_equal(again, unit, len); /* no errors: format 2, the same bytes */
    free(again);
    t.se_known[PVM_OP_ADD_64] = true, t.se_milligas[PVM_OP_ADD_64] = 125;
    t.se_known[PVM_OP_COUNT + 0] = true, t.se_milligas[PVM_OP_COUNT + 0] = 4000; /* host.lazy_page_read */
    char *text = pvm_cost_table_format(&t, &len);
    assert_non_null(text);
    assert_true(strncmp(text, "pvmlab-cost-table 3\n", 20) == 0);
    assert_non_null(strstr(text, "\nse add_64 125\nse host.lazy_page_read 4000\n"));
    pvm_cost_table back;
    assert_int_equal(pvm_cost_table_parse("v3.table", text, len, &back, &err), PVM_OK);
    assert_true(back.se_known[PVM_OP_ADD_64] && back.se_milligas[PVM_OP_ADD_64] == 125);
    assert_true(back.se_known[PVM_OP_COUNT] && back.se_milligas[PVM_OP_COUNT] == 4000);
    assert_false(back.se_known[PVM_OP_ADD_32]);
    assert_memory_equal(back.op_cost, t.op_cost, sizeof t.op_cost);
    free(text);
    /* Out of order, unknown key, before the keys, in a format 2 file: one-line errors. */
    text = edited("unit.table", 8 + PVM_OP_COUNT + 2, "host.memset_byte 1\nse add_64 5\nse add_32 5\n", false, &len);
    memcpy(text, "pvmlab-cost-table 3", 19);
    char *h = strstr(text, "hash fnv1a64:");
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)pvm_cost_table_hash(text, len));
    memcpy(h + strlen("hash fnv1a64:"), hex, 16);
    expect_error(text, len, "error of 'add_32' out of key order or repeated");
    free(text);
    text = edited("unit.table", 8 + PVM_OP_COUNT + 2, "host.memset_byte 1\nse nosuch 5\n", false, &len);
    memcpy(text, "pvmlab-cost-table 3", 19);
    h = strstr(text, "hash fnv1a64:");
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)pvm_cost_table_hash(text, len));
    memcpy(h + strlen("hash fnv1a64:"), hex, 16);
    expect_error(text, len, "error of unknown key 'nosuch'");
    free(text);
    expect_edit_error("unit.table", 8 + PVM_OP_COUNT + 2, "host.memset_byte 1\nse add_64 5\n", "unknown key 'se'");
    free(unit);
}

static void test_rejects_wrong_hash(void **state)
{
    (void)state;
    size_t len;
    char *text = edited("unit.table", 9, "fallthrough 2\n", true, &len);
    expect_error(text, len, "bad.table:7: content hash mismatch: file says a25b5f79217d478d");
    free(text);
}

/* Every single flipped bit below the hash line is caught by the hash. */
static void test_rejects_every_flipped_byte(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof checked_in / sizeof checked_in[0]; f++) {
        size_t len;
        char *text = read_file(checked_in[f], &len);
        size_t body = (size_t)(strstr(text, "\nhash ") - text) + 1;
        body += (size_t)(strchr(text + body, '\n') - (text + body)) + 1;
        for (size_t i = 0; i < len; i++) {
            text[i] ^= 0x04;
            pvm_cost_table t;
            pvm_error err = {{0}};
            if (pvm_cost_table_parse("flip", text, len, &t, &err) == PVM_OK) fail_msg("%s: flip at %zu accepted", checked_in[f], i);
            if (i >= body && i + 1 < len && !strstr(err.msg, "content hash mismatch"))
                fail_msg("%s: flip at %zu: %s", checked_in[f], i, err.msg);
            text[i] ^= 0x04;
        }
        free(text);
    }
}

static void test_rejects_every_truncation(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof checked_in / sizeof checked_in[0]; f++) {
        size_t len;
        char *text = read_file(checked_in[f], &len);
        for (size_t n = 0; n < len; n++) {
            char *copy = malloc(n ? n : 1); /* exact size, so ASan sees any over-read */
            memcpy(copy, text, n);
            pvm_cost_table t;
            pvm_error err = {{0}};
            if (pvm_cost_table_parse("cut", copy, n, &t, &err) == PVM_OK) fail_msg("%s cut at %zu accepted", checked_in[f], n);
            assert_int_equal(strncmp(err.msg, "cut:", 4), 0);
            free(copy);
        }
        free(text);
    }
}

static void test_load_reports_missing_file(void **state)
{
    (void)state;
    pvm_cost_table t;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_table_load("/nonexistent/x.table", &t, &err), PVM_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.table"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checked_in_tables_round_trip),
        cmocka_unit_test(test_compiled_in_header_matches_file),
        cmocka_unit_test(test_format_parse_preserves_values),
        cmocka_unit_test(test_rejects_bad_keys),
        cmocka_unit_test(test_rejects_bad_values),
        cmocka_unit_test(test_accepts_max_u32),
        cmocka_unit_test(test_rejects_non_integers),
        cmocka_unit_test(test_rejects_bad_header),
        cmocka_unit_test(test_rejects_pipeline_cross_checks),
        cmocka_unit_test(test_rejects_wrong_hash),
        cmocka_unit_test(test_format3_errors),
        cmocka_unit_test(test_format4_lazy_kinds),
        cmocka_unit_test(test_format5_chase_hop),
        cmocka_unit_test(test_format6_recurrence),
        cmocka_unit_test(test_format1_and_host_charges),
        cmocka_unit_test(test_rejects_every_flipped_byte),
        cmocka_unit_test(test_rejects_every_truncation),
        cmocka_unit_test(test_load_reports_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
