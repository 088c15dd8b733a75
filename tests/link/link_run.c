/* link-run: runs one export of a .polkavm program and prints a0 and a1, and for a 32-bit
 * program also the 64-bit value a1:a0 (how RV32 returns a uint64_t). Used by the
 * pvm-link tests, which need a1 where `pvm run` prints only a0.
 *   link-run FILE EXPORT [ARG...]
 *   link-run --gp-standard FILE [ARG...]   (a GP standard program, entered at pc 0)
 * prints "exit=<kind> pc=N a0=0x.. a1=0x.. u64=0x.. xlen_a0=<a0 as XLEN/4 hex digits>"
 * (plus " ecalli=N" for a host call); exit 0 on halt, 3 on any other guest exit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pvm/pvm.h"

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = n > 0 ? malloc((size_t)n) : NULL;
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

int main(int argc, char **argv)
{
    bool gp_standard = argc > 1 && !strcmp(argv[1], "--gp-standard");
    if (argc < 3 || argc > 9) {
        fprintf(stderr, "usage: link-run FILE EXPORT [ARG...] | link-run --gp-standard FILE [ARG...]\n");
        return 2;
    }
    const char *export_name = gp_standard ? NULL : argv[2];
    uint64_t args[6];
    size_t nargs = 0;
    for (int i = 3; i < argc; i++) args[nargs++] = strtoull(argv[i], NULL, 0);
    if (gp_standard) argv++;
    size_t len;
    uint8_t *bytes = read_all(argv[1], &len);
    if (!bytes) {
        fprintf(stderr, "link-run: cannot read %s\n", argv[1]);
        return 1;
    }
    pvm_error err = {{0}};
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    pvm_module_config mcfg = {.format = gp_standard ? PVM_FORMAT_GP_STANDARD : PVM_FORMAT_AUTO, .isa = PVM_ISA_GP07};
    pvm_engine *e = NULL;
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    pvm_result res;
    int rc = 1;
    if (pvm_engine_new(&cfg, &e, &err) || pvm_module_compile(e, bytes, len, &mcfg, NULL, &m, &err) ||
        pvm_instance_new(m, &in, &err) || pvm_instance_prepare_call(in, export_name, 0, args, nargs, &err) ||
        pvm_instance_run(in, &res, &err)) {
        fprintf(stderr, "link-run: %s: %s\n", argv[1], err.msg);
        goto done;
    }
    uint64_t a0 = pvm_instance_reg(in, 7), a1 = pvm_instance_reg(in, 8);
    bool is32 = pvm_module_isa(m) == PVM_ISA_LATEST32;
    uint64_t u64 = is32 ? (a1 << 32) | (a0 & 0xFFFFFFFFu) : a0;
    printf("exit=%s pc=%u a0=0x%" PRIx64 " a1=0x%" PRIx64 " u64=0x%016" PRIx64, pvm_exit_name(res.kind), res.pc, a0, a1, u64);
    if (is32) printf(" xlen_a0=%08" PRIx32, (uint32_t)a0);
    else printf(" xlen_a0=%016" PRIx64, a0);
    if (res.kind == PVM_EXIT_ECALLI) printf(" ecalli=%u", res.ecalli);
    printf("\n");
    rc = res.kind == PVM_EXIT_HALT ? 0 : 3;
done:
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    free(bytes);
    return rc;
}
