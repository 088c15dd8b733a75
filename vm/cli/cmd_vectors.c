/* pvm vectors DIR: run every JSON conformance vector and compare the whole
 * outcome. u64 fields are read exactly (json-c keeps integers above 2^53). */
#include <dirent.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
    char first_diff[256];
} vec_result;

static bool get_u64(json_object *o, const char *key, uint64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int)) return false;
    *out = json_object_get_uint64(v);
    return true;
}

static bool get_i64(json_object *o, const char *key, int64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int)) return false;
    *out = json_object_get_int64(v);
    return true;
}

static json_object *get_array(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_array) ? v : NULL;
}

static uint8_t *byte_array(json_object *arr, size_t *len)
{
    size_t n = json_object_array_length(arr);
    uint8_t *b = malloc(n ? n : 1);
    if (!b) return NULL;
    for (size_t i = 0; i < n; i++) b[i] = (uint8_t)json_object_get_int(json_object_array_get_idx(arr, i));
    *len = n;
    return b;
}

#define DIFF(...) do { snprintf(r->first_diff, sizeof r->first_diff, __VA_ARGS__); goto done; } while (0)

/* Returns 1 pass, 0 fail (first_diff says why), -1 malformed vector. */
static int run_vector(pvm_engine *e, json_object *t, vec_result *r)
{
    int ok = 0;
    pvm_error err = {{0}};
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    uint8_t *prog = NULL, *expect_mem = NULL;
    size_t plen;
    json_object *jprog = get_array(t, "program"), *regs = get_array(t, "initial-regs"),
                *pages = get_array(t, "initial-page-map"), *mem = get_array(t, "initial-memory"),
                *eregs = get_array(t, "expected-regs"), *emem = get_array(t, "expected-memory");
    uint64_t pc, epc;
    int64_t gas, egas;
    json_object *jstatus;
    if (!jprog || !regs || !pages || !mem || !eregs || !emem || !get_u64(t, "initial-pc", &pc) ||
        !get_i64(t, "initial-gas", &gas) || !get_u64(t, "expected-pc", &epc) || !get_i64(t, "expected-gas", &egas) ||
        !json_object_object_get_ex(t, "expected-status", &jstatus) || json_object_array_length(regs) != PVM_REG_COUNT ||
        json_object_array_length(eregs) != PVM_REG_COUNT)
        return -1;
    if (!(prog = byte_array(jprog, &plen))) return -1;
    pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_GP07, .page_size = 4096};
    if (pvm_module_compile(e, prog, plen, &mc, NULL, &m, &err) || pvm_instance_new(m, &in, &err))
        DIFF("program rejected: %.200s", err.msg);
    for (size_t i = 0; i < json_object_array_length(pages); i++) {
        json_object *p = json_object_array_get_idx(pages, i), *w;
        uint64_t addr, len;
        if (!get_u64(p, "address", &addr) || !get_u64(p, "length", &len) || !json_object_object_get_ex(p, "is-writable", &w))
            DIFF("malformed initial-page-map entry %zu", i);
        if (pvm_instance_map(in, (uint32_t)addr, (uint32_t)len,
                             json_object_get_boolean(w) ? PVM_ACCESS_WRITE : PVM_ACCESS_READ, &err))
            DIFF("initial-page-map: %.200s", err.msg);
    }
    for (size_t i = 0; i < json_object_array_length(mem); i++) {
        json_object *c = json_object_array_get_idx(mem, i);
        uint64_t addr;
        size_t n;
        if (!get_u64(c, "address", &addr) || !get_array(c, "contents")) DIFF("malformed initial-memory entry %zu", i);
        uint8_t *bytes = byte_array(get_array(c, "contents"), &n);
        pvm_status st = bytes ? pvm_instance_write(in, (uint32_t)addr, bytes, n, &err) : PVM_ERR_NO_MEMORY;
        free(bytes);
        if (st) DIFF("initial-memory: %.200s", err.msg);
    }
    for (unsigned i = 0; i < PVM_REG_COUNT; i++)
        pvm_instance_set_reg(in, i, json_object_get_uint64(json_object_array_get_idx(regs, i)), NULL);
    pvm_instance_set_pc(in, (uint32_t)pc, NULL);
    pvm_instance_set_gas(in, gas);
    pvm_result res;
    if (pvm_instance_run(in, &res, &err)) DIFF("run failed: %.200s", err.msg);

    const char *status = json_object_get_string(jstatus);
    const char *got = pvm_exit_name(res.kind);
    if (strcmp(status, got)) DIFF("status: expected %s, got %s (pc %u)", status, got, res.pc);
    if (res.pc != epc) DIFF("pc: expected %" PRIu64 ", got %u", epc, res.pc);
    if (res.kind == PVM_EXIT_PAGE_FAULT) {
        uint64_t fa;
        if (get_u64(t, "expected-page-fault-address", &fa) && fa != res.fault_address)
            DIFF("page-fault-address: expected 0x%" PRIx64 ", got 0x%x", fa, res.fault_address);
    }
    for (unsigned i = 0; i < PVM_REG_COUNT; i++) {
        uint64_t want = json_object_get_uint64(json_object_array_get_idx(eregs, i)), have = pvm_instance_reg(in, i);
        if (want != have) DIFF("regs[%u]: expected 0x%" PRIx64 ", got 0x%" PRIx64, i, want, have);
    }
    if (pvm_instance_gas(in) != egas) DIFF("gas: expected %" PRId64 ", got %" PRId64, egas, pvm_instance_gas(in));
    /* Memory: every accessible byte equals expected-memory, or 0 where none is given. */
    for (size_t i = 0; i < json_object_array_length(pages); i++) {
        json_object *p = json_object_array_get_idx(pages, i);
        uint64_t addr, len;
        get_u64(p, "address", &addr);
        get_u64(p, "length", &len);
        free(expect_mem);
        expect_mem = calloc(1, len ? len : 1);
        uint8_t *have = malloc(len ? len : 1);
        if (!expect_mem || !have) {
            free(have);
            DIFF("out of memory");
        }
        for (size_t j = 0; j < json_object_array_length(emem); j++) {
            json_object *c = json_object_array_get_idx(emem, j), *ca = get_array(c, "contents");
            uint64_t a;
            if (!get_u64(c, "address", &a) || !ca) continue;
            for (size_t k = 0; k < json_object_array_length(ca); k++)
                if (a + k >= addr && a + k < addr + len)
                    expect_mem[a + k - addr] = (uint8_t)json_object_get_int(json_object_array_get_idx(ca, k));
        }
        pvm_instance_read(in, (uint32_t)addr, have, len, NULL);
        for (uint64_t k = 0; k < len; k++)
            if (have[k] != expect_mem[k]) {
                uint8_t h = have[k];
                free(have);
                DIFF("memory[0x%" PRIx64 "]: expected 0x%02x, got 0x%02x", addr + k, expect_mem[k], h);
            }
        free(have);
    }
    ok = 1;
done:
    free(prog);
    free(expect_mem);
    pvm_instance_free(in);
    pvm_module_release(m);
    return ok;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int cmd_vectors(int argc, char **argv)
{
    cli_vm_opts o = {0};
    const char *dir = NULL;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        int r = cli_parse_vm_opt(argc, argv, &i, &o);
        if (r < 0) return CLI_EXIT_USAGE;
        if (r) continue;
        if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) verbose = true;
        else if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "pvm vectors: unexpected argument %s\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "pvm vectors: missing DIR\n");
        return CLI_EXIT_USAGE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *de;
    while (names && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json")) continue;
        if (n == cap) {
            char **nn = realloc(names, (cap *= 2) * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    if (!names) return 1;
    qsort(names, n, sizeof *names, cmp_str);
    /* The vectors charge whole blocks up front and never go below zero: sync gas, unit costs. */
    pvm_engine_config cfg = {o.backend, PVM_GAS_SYNC, NULL};
    pvm_engine *e;
    pvm_error err = {{0}};
    if (pvm_engine_new(&cfg, &e, &err)) {
        fprintf(stderr, "pvm vectors: %s\n", err.msg);
        return 1;
    }
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        json_object *t = json_object_from_file(path);
        vec_result r = {{0}};
        int ok = t ? run_vector(e, t, &r) : -1;
        if (ok == -1) snprintf(r.first_diff, sizeof r.first_diff, "not a valid test vector (JSON or fields)");
        if (ok == 1) {
            passed++;
            if (verbose) printf("pass %s\n", names[i]);
        } else {
            failed++;
            printf("FAIL %s: %s\n", names[i], r.first_diff);
        }
        json_object_put(t);
        free(names[i]);
    }
    free(names);
    pvm_engine_free(e);
    printf("%u passed, %u failed\n", passed, failed);
    return failed || !passed ? 1 : 0;
}
