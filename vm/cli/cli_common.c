#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "vm/isa/isa.h"
#include "vm/util/file_read.h"

uint8_t *cli_read_file(const char *path, size_t *len)
{
    uint8_t *bytes = (uint8_t *)util_read_file(path, len);
    if (!bytes) fprintf(stderr, "pvm: %s: %s\n", path, strerror(errno));
    return bytes;
}

/* Decimal, or hexadecimal after 0x: a leading 0 is not octal ("010" is ten). */
bool cli_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s) return false;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!((*s >= '0' && *s <= '9') || (base == 16 && isxdigit((unsigned char)*s)))) return false; /* no sign, space, empty */
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end) return false;
    *out = v;
    return true;
}

bool cli_parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    bool neg = *s == '-';
    uint64_t u;
    if (!cli_parse_u64(s + neg, &u)) return false;
    if (neg ? u > (uint64_t)INT64_MAX + 1 : u > INT64_MAX) return false;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

static const char *need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "pvm: option %s needs a value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

int cli_parse_vm_opt(int argc, char **argv, int *i, cli_vm_opts *o)
{
    const char *a = argv[*i], *v;
    if (strcmp(a, "--backend") == 0) {
        if (!(v = need_value(argc, argv, i))) return -1;
        if (strcmp(v, "interp") == 0) o->backend = PVM_BACKEND_INTERP;
        else if (strcmp(v, "jit") == 0) o->backend = PVM_BACKEND_JIT;
        else {
            fprintf(stderr, "pvm: --backend %s: use interp or jit\n", v);
            return -1;
        }
        return 1;
    }
    if (strcmp(a, "--gas-mode") == 0) {
        if (!(v = need_value(argc, argv, i))) return -1;
        if (strcmp(v, "none") == 0) o->gas_mode = PVM_GAS_NONE;
        else if (strcmp(v, "sync") == 0) o->gas_mode = PVM_GAS_SYNC;
        else if (strcmp(v, "async") == 0) o->gas_mode = PVM_GAS_ASYNC;
        else {
            fprintf(stderr, "pvm: --gas-mode %s: use none, sync or async\n", v);
            return -1;
        }
        o->gas_mode_set = true;
        return 1;
    }
    if (strcmp(a, "--model") == 0) {
        if (!(v = need_value(argc, argv, i))) return -1;
        o->model = v;
        return 1;
    }
    if (strcmp(a, "--format") == 0) {
        if (!(v = need_value(argc, argv, i))) return -1;
        if (strcmp(v, "auto") == 0) o->mcfg.format = PVM_FORMAT_AUTO;
        else if (strcmp(v, "gp") == 0) o->mcfg.format = PVM_FORMAT_GP_BLOB;
        else if (strcmp(v, "gp-standard") == 0) o->mcfg.format = PVM_FORMAT_GP_STANDARD;
        else if (strcmp(v, "polkavm") == 0) o->mcfg.format = PVM_FORMAT_POLKAVM;
        else {
            fprintf(stderr, "pvm: --format %s: use auto, gp, gp-standard or polkavm\n", v);
            return -1;
        }
        return 1;
    }
    if (strcmp(a, "--isa") == 0) {
        if (!(v = need_value(argc, argv, i))) return -1;
        if (!pvm_isa_from_name(v, &o->mcfg.isa)) {
            fprintf(stderr, "pvm: --isa %s: use gp07, jamv1, latest32, latest64 or revivev1\n", v);
            return -1;
        }
        return 1;
    }
    if (strcmp(a, "--page-size") == 0) {
        uint64_t n;
        if (!(v = need_value(argc, argv, i))) return -1;
        if (!cli_parse_u64(v, &n) || (n != 4096 && n != 16384)) {
            fprintf(stderr, "pvm: --page-size %s: use 4096 or 16384\n", v);
            return -1;
        }
        o->mcfg.page_size = (uint32_t)n;
        return 1;
    }
    return 0;
}

int cli_load(const char *path, const cli_vm_opts *o, pvm_engine **e, pvm_cost_model **model, pvm_module **m,
             uint8_t **bytes_out)
{
    *bytes_out = NULL;
    pvm_error err = {{0}};
    *e = NULL;
    *model = NULL;
    *m = NULL;
    if (o->model && pvm_cost_model_new(o->model, model, &err) != PVM_OK) {
        fprintf(stderr, "pvm: --model %s: %s\n", o->model, err.msg);
        return CLI_EXIT_USAGE;
    }
    pvm_engine_config cfg = {o->backend, o->gas_mode, *model};
    if (pvm_engine_new(&cfg, e, &err) != PVM_OK) {
        fprintf(stderr, "pvm: %s\n", err.msg);
        return 1;
    }
    size_t len;
    uint8_t *bytes = cli_read_file(path, &len);
    if (!bytes) return 1;
    pvm_module_config mcfg = o->mcfg;
    mcfg.borrow_bytes = true; /* no copy: the caller frees the bytes after the engine */
    pvm_status st = pvm_module_compile(*e, bytes, len, &mcfg, NULL, m, &err);
    *bytes_out = bytes;
    if (st != PVM_OK) {
        fprintf(stderr, "pvm: %s: %s\n", path, err.msg);
        return 1;
    }
    return 0;
}
