/* sdk-run: a small embedder for the SDK tests, on the public API only. Runs one export of a
 * .polkavm program on the chosen backend; the SDK's host calls (vm/include/pvm/hostcalls.h:
 * pvm_write to our stdout/stderr, pvm_exit) are serviced by pvm_hostcalls_service, bound by
 * import name.
 *   sdk-run --backend interp|jit FILE [EXPORT]      (EXPORT defaults to main)
 * Exit status: the guest's (main's a0 or pvm_exit's status, low 8 bits); 100 + exit kind
 * for a trap/fault/out-of-gas/unknown host call, 2 for a bad argument or program. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvm/pvm.h"
#include "tests/vm/file_program.h"

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5 || strcmp(argv[1], "--backend") || (strcmp(argv[2], "interp") && strcmp(argv[2], "jit"))) {
        fprintf(stderr, "usage: sdk-run --backend interp|jit FILE [EXPORT]\n");
        return 2;
    }
    pvm_backend backend = strcmp(argv[2], "jit") ? PVM_BACKEND_INTERP : PVM_BACKEND_JIT;
    const char *path = argv[3], *export_name = argc == 5 ? argv[4] : "main";
    pvm_error err = {{0}};
    pvm_engine_config cfg = {backend, PVM_GAS_NONE, NULL};
    pvm_module_config mcfg = {.format = PVM_FORMAT_POLKAVM};
    file_program program;
    pvm_result res = {0};
    int rc = 2;
    int opened = file_program_open(&program, path, &cfg, &mcfg, export_name, NULL, 0, &err);
    if (opened == FILE_PROGRAM_UNREADABLE) {
        fprintf(stderr, "sdk-run: cannot read %s: %s\n", path, strerror(errno));
        goto done;
    }
    if (opened != 0) {
        fprintf(stderr, "sdk-run: %s: %s\n", path, err.msg);
        goto done;
    }
    pvm_instance *in = program.instance;
    for (;;) {
        fflush(stdout); /* the host call writes to fd 1 directly */
        if (pvm_instance_run(in, &res, &err)) {
            fprintf(stderr, "sdk-run: %s: %s\n", path, err.msg);
            goto done;
        }
        if (res.kind != PVM_EXIT_ECALLI) break;
        int status = 0;
        pvm_hostcall_outcome outcome = pvm_hostcalls_service(in, &res, &status);
        if (outcome == PVM_HOSTCALL_EXITED) {
            rc = status & 0xff;
            goto done;
        }
        if (outcome == PVM_HOSTCALL_NOT_STANDARD) {
            fprintf(stderr, "sdk-run: %s: host call %u is not a standard one\n", path, res.ecalli);
            rc = 100 + PVM_EXIT_ECALLI;
            goto done;
        }
        if (outcome == PVM_HOSTCALL_TRAPPED) {
            fprintf(stderr, "sdk-run: %s: host call %s failed, the guest was trapped\n", path,
                    pvm_hostcall_name(in, &res));
            rc = 100 + PVM_EXIT_PANIC;
            goto done;
        }
    }
    if (res.kind == PVM_EXIT_HALT) {
        rc = (int)(pvm_instance_reg(in, PVM_REG_A0) & 0xff);
    } else {
        fprintf(stderr, "sdk-run: %s: guest stopped: %s at pc %u\n", path, pvm_exit_name(res.kind), res.pc);
        rc = 100 + (int)res.kind;
    }
done:
    file_program_close(&program);
    return rc;
}
