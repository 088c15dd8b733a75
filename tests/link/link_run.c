/* link-run: runs one export of a .polkavm program and prints a0 and a1, and for a 32-bit
 * program also the 64-bit value a1:a0 (how RV32 returns a uint64_t). Used by the
 * pvm-link tests, which need a1 where `pvm run` prints only a0.
 *   link-run FILE EXPORT [ARG...]
 *   link-run --gp-standard FILE [ARG...]   (a GP standard program, entered at pc 0)
 * prints "exit=<kind> pc=N a0=0x.. a1=0x.. u64=0x.. xlen_a0=<a0 as XLEN/4 hex digits>"
 * (plus " ecalli=N" for a host call); exit 0 on halt, 3 on any other guest exit.
 * LINK_RUN_BACKEND=jit runs it on the recompiler (the sanitizer build's link_guests: the
 * guests' quick sizes on an instrumented -O0 interpreter took two minutes of its CI run);
 * unset, empty or "interp": the interpreter; anything else is refused (exit 2). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pvm/pvm.h"
#include "tests/vm/file_program.h"

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
    pvm_error err = {{0}};
    const char *backend = getenv("LINK_RUN_BACKEND");
    if (backend && *backend && strcmp(backend, "jit") != 0 && strcmp(backend, "interp") != 0) {
        fprintf(stderr, "link-run: LINK_RUN_BACKEND=%s: neither \"interp\" nor \"jit\"\n", backend);
        return 2;
    }
    pvm_engine_config cfg = {backend && !strcmp(backend, "jit") ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP, PVM_GAS_NONE, NULL};
    pvm_module_config mcfg = {.format = gp_standard ? PVM_FORMAT_GP_STANDARD : PVM_FORMAT_AUTO, .isa = PVM_ISA_GP07};
    file_program program;
    pvm_result res;
    int rc = 1;
    int opened = file_program_open(&program, argv[1], &cfg, &mcfg, export_name, args, nargs, &err);
    if (opened == FILE_PROGRAM_UNREADABLE) {
        fprintf(stderr, "link-run: cannot read %s: %s\n", argv[1], strerror(errno));
        goto done;
    }
    if (opened != 0 || pvm_instance_run(program.instance, &res, &err)) {
        fprintf(stderr, "link-run: %s: %s\n", argv[1], err.msg);
        goto done;
    }
    pvm_instance *in = program.instance;
    uint64_t a0 = pvm_instance_reg(in, 7), a1 = pvm_instance_reg(in, 8);
    bool is32 = pvm_module_isa(program.module) == PVM_ISA_LATEST32;
    uint64_t u64 = is32 ? (a1 << 32) | (a0 & 0xFFFFFFFFu) : a0;
    printf("exit=%s pc=%u a0=0x%" PRIx64 " a1=0x%" PRIx64 " u64=0x%016" PRIx64, pvm_exit_name(res.kind), res.pc, a0, a1, u64);
    if (is32) printf(" xlen_a0=%08" PRIx32, (uint32_t)a0);
    else printf(" xlen_a0=%016" PRIx64, a0);
    if (res.kind == PVM_EXIT_ECALLI) printf(" ecalli=%u", res.ecalli);
    printf("\n");
    rc = res.kind == PVM_EXIT_HALT ? 0 : 3;
done:
    file_program_close(&program);
    return rc;
}
