/* Code memory across fork: the child keeps running the code it inherited
 * even when the parent frees that module and compiles another one into the
 * same place (code_memory.c gives the child private copies). Exit status 0 = ok. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vm/isa/isa.h"
#include "pvm/builder.h"
#include "pvm/pvm.h"

/* a0 = value, then return to the host through ra (= the halt address). */
static pvm_module *compile_returning(pvm_engine *e, int64_t value)
{
    pvm_builder *b = pvm_builder_new(PVM_ISA_GP07);
    pvm_emit_reg_imm(b, PVM_OP_LOAD_IMM, 7, value);
    pvm_emit_reg_imm(b, PVM_OP_JUMP_IND, 0, 0);
    uint8_t *blob;
    size_t len;
    pvm_module *m = NULL;
    pvm_module_config mc = {.format = PVM_FORMAT_GP_BLOB, .isa = PVM_ISA_GP07, .page_size = 4096};
    if (pvm_builder_finish_gp(b, &blob, &len, NULL) == PVM_OK) {
        pvm_module_compile(e, blob, len, &mc, NULL, &m, NULL);
        free(blob);
    }
    pvm_builder_free(b);
    return m;
}

static int run_once(pvm_instance *in, uint64_t want)
{
    pvm_result res;
    if (pvm_instance_prepare_call(in, NULL, 0, NULL, 0, NULL) || pvm_instance_run(in, &res, NULL)) return 1;
    return res.kind == PVM_EXIT_HALT && pvm_instance_reg(in, 7) == want ? 0 : 1;
}

int main(void)
{
    pvm_engine_config cfg = {PVM_BACKEND_JIT, PVM_GAS_NONE, NULL};
    pvm_engine *e;
    pvm_instance *in;
    if (pvm_engine_new(&cfg, &e, NULL)) return 1;
    pvm_module *a = compile_returning(e, 111);
    if (!a || pvm_instance_new(a, &in, NULL) || run_once(in, 111)) return 1;
    int go[2];
    if (pipe(go) != 0) return 1;
    pid_t child = fork();
    if (child == 0) {
        char c;
        if (read(go[0], &c, 1) != 1) _exit(2);
        _exit(run_once(in, 111)); /* still the inherited code of a */
    }
    pvm_instance_free(in);
    pvm_module_release(a);
    pvm_module *b = compile_returning(e, 222); /* takes the slot a had */
    pvm_instance *ib;
    if (!b || pvm_instance_new(b, &ib, NULL) || run_once(ib, 222)) return 1;
    if (write(go[1], "x", 1) != 1) return 1;
    int status = 0;
    waitpid(child, &status, 0);
    pvm_instance_free(ib);
    pvm_engine_free(e);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("fork: child ran its inherited code %s\n", ok ? "correctly" : "WRONG");
    return ok ? 0 : 1;
}
