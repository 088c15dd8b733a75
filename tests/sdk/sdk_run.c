/* sdk-run: a small embedder for the SDK tests. Runs one export of a .polkavm program on the
 * chosen backend and services the SDK's host calls (vm/include/pvm/hostcalls.h):
 * pvm_write(fd, ptr, len) copies guest bytes to our stdout/stderr, pvm_exit(status) stops.
 *   sdk-run --backend interp|jit FILE [EXPORT]      (EXPORT defaults to main)
 * Exit status: the guest's (main's a0 or pvm_exit's status, low 8 bits); 100 + kind for a
 * trap/fault/out-of-gas, 2 for a bad argument or unreadable program.
 * The public API has no import names yet, so imports are bound by pvm-link's numbering
 * (sorted by name): a program whose only imports are pvm_exit and pvm_write has them as
 * 0 and 1, which is what every program linked with the SDK's libc has. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvm/pvm.h"

enum { REG_A0 = 7, REG_A1 = 8, REG_A2 = 9, IMPORT_EXIT = 0, IMPORT_WRITE = 1 };

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *p = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *q = realloc(p, cap);
            if (!q) break;
            p = q;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return p;
}

/* pvm_write: -1 for a bad fd; a bad range stops the guest (returns false). */
static int service_write(pvm_instance *in, bool is32)
{
    uint64_t fd = pvm_instance_reg(in, REG_A0), ptr = pvm_instance_reg(in, REG_A1), len = pvm_instance_reg(in, REG_A2);
    uint64_t mask = is32 ? 0xFFFFFFFFu : UINT64_MAX, result = (uint64_t)-1 & mask;
    if ((fd == 1 || fd == 2) && len <= (1u << 24) && ptr <= UINT32_MAX) {
        char *buf = malloc(len ? len : 1);
        pvm_error err = {{0}};
        if (!buf || pvm_instance_read(in, (uint32_t)ptr, buf, len, &err)) {
            fprintf(stderr, "sdk-run: pvm_write outside guest memory: %s\n", err.msg);
            free(buf);
            return 0;
        }
        FILE *out = fd == 1 ? stdout : stderr;
        if (fwrite(buf, 1, len, out) == len) result = len;
        fflush(out);
        free(buf);
    }
    pvm_instance_set_reg(in, REG_A0, result, NULL);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5 || strcmp(argv[1], "--backend") || (strcmp(argv[2], "interp") && strcmp(argv[2], "jit"))) {
        fprintf(stderr, "usage: sdk-run --backend interp|jit FILE [EXPORT]\n");
        return 2;
    }
    pvm_backend backend = strcmp(argv[2], "jit") ? PVM_BACKEND_INTERP : PVM_BACKEND_JIT;
    const char *path = argv[3], *export_name = argc == 5 ? argv[4] : "main";
    size_t len;
    uint8_t *bytes = read_all(path, &len);
    if (!bytes) {
        fprintf(stderr, "sdk-run: cannot read %s\n", path);
        return 2;
    }
    pvm_error err = {{0}};
    pvm_engine_config cfg = {backend, PVM_GAS_NONE, NULL};
    pvm_module_config mcfg = {.format = PVM_FORMAT_POLKAVM};
    pvm_engine *e = NULL;
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    pvm_result res = {0};
    int rc = 2;
    if (pvm_engine_new(&cfg, &e, &err) || pvm_module_compile(e, bytes, len, &mcfg, NULL, &m, &err) ||
        pvm_instance_new(m, &in, &err) || pvm_instance_prepare_call(in, export_name, 0, NULL, 0, &err)) {
        fprintf(stderr, "sdk-run: %s: %s\n", path, err.msg);
        goto done;
    }
    bool is32 = pvm_module_isa(m) == PVM_ISA_LATEST32;
    for (;;) {
        if (pvm_instance_run(in, &res, &err)) {
            fprintf(stderr, "sdk-run: %s: %s\n", path, err.msg);
            goto done;
        }
        if (res.kind != PVM_EXIT_ECALLI) break;
        if (res.ecalli == IMPORT_EXIT) {
            rc = (int)(pvm_instance_reg(in, REG_A0) & 0xff);
            goto done;
        }
        if (res.ecalli != IMPORT_WRITE || !service_write(in, is32)) {
            if (res.ecalli != IMPORT_WRITE) fprintf(stderr, "sdk-run: unknown host call %u\n", res.ecalli);
            rc = 100 + PVM_EXIT_PANIC;
            goto done;
        }
    }
    if (res.kind == PVM_EXIT_HALT) {
        rc = (int)(pvm_instance_reg(in, REG_A0) & 0xff);
    } else {
        fprintf(stderr, "sdk-run: %s: guest stopped: %s at pc %u\n", path, pvm_exit_name(res.kind), res.pc);
        rc = 100 + (int)res.kind;
    }
done:
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    free(bytes);
    return rc;
}
