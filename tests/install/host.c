/* A minimal embedder, built against an installed libpvm: compile a GP blob, run
 * it, service its standard host call (pvm_exit(42), ecalli 1) and print the outcome. */
#include <stdio.h>
#include "pvm/hostcalls.h"
#include "pvm/pvm.h"

int main(void)
{
    /* load_imm a0, 42 ; ecalli PVM_HOSTCALL_EXIT  (GP 0.7 numbering: load_imm = 51, ecalli = 10) */
    static const uint8_t blob[] = {0, 0, 5, 51, PVM_REG_A0, 42, 10, PVM_HOSTCALL_EXIT, 0x09};
    pvm_engine_config cfg = {PVM_BACKEND_INTERP, PVM_GAS_SYNC, NULL};
    pvm_engine *e;
    pvm_module *m;
    pvm_instance *in;
    pvm_result r;
    pvm_error err = {{0}};
    int status = -1;
    if (pvm_engine_new(&cfg, &e, &err) || pvm_module_compile(e, blob, sizeof blob, NULL, NULL, &m, &err) ||
        pvm_instance_new(m, &in, &err) || pvm_instance_prepare_call(in, NULL, 0, NULL, 0, &err)) {
        fprintf(stderr, "host: %s\n", err.msg);
        return 1;
    }
    pvm_instance_set_gas(in, 100);
    if (pvm_instance_run(in, &r, &err) || pvm_hostcalls_service(in, &r, &status) != PVM_HOSTCALL_EXITED) {
        fprintf(stderr, "host: run: %s (exit %s)\n", err.msg, pvm_exit_name(r.kind));
        return 1;
    }
    printf("host: guest exit %d, gas left %lld, libpvm %s\n", status, (long long)pvm_instance_gas(in), pvm_version());
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return status == 42 ? 0 : 1;
}
