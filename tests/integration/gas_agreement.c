/* gas-agreement FILE EXPORT ARG MODEL...: runs one export of a program on the
 * interpreter and on the recompiler under sync gas for every cost model and
 * checks that exit, pc, a0 and gas left are identical. Prints one line per
 * model; exit 0 when all agree, 1 on a difference, 2 on bad input. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pvm/pvm.h"
#include "vm/util/file_read.h"

typedef struct {
    pvm_result res;
    uint64_t a0;
    int64_t gas;
} outcome;

static int run_one(const uint8_t *bytes, size_t len, pvm_backend be, const pvm_cost_model *cm, const char *export_name,
                   uint64_t arg, outcome *o, char *why, size_t why_len)
{
    pvm_error err = {{0}};
    pvm_engine_config cfg = {be, PVM_GAS_SYNC, cm};
    pvm_engine *e = NULL;
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    int rc = 1;
    if (pvm_engine_new(&cfg, &e, &err) || pvm_module_compile(e, bytes, len, NULL, NULL, &m, &err) ||
        pvm_instance_new(m, &in, &err) || pvm_instance_prepare_call(in, export_name, 0, &arg, 1, &err)) {
        snprintf(why, why_len, "%s", err.msg);
        goto done;
    }
    const int64_t budget = INT64_C(1) << 50;
    pvm_instance_set_gas(in, budget);
    if (pvm_instance_run(in, &o->res, &err)) {
        snprintf(why, why_len, "%s", err.msg);
        goto done;
    }
    o->a0 = pvm_instance_reg(in, 7);
    o->gas = budget - pvm_instance_gas(in);
    rc = 0;
done:
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: gas-agreement FILE EXPORT ARG MODEL...\n");
        return 2;
    }
    if (!pvm_backend_available(PVM_BACKEND_JIT)) {
        printf("SKIPPED: the recompiler is not built for this host\n");
        return 0;
    }
    size_t len;
    uint8_t *bytes = (uint8_t *)util_read_file(argv[1], &len);
    if (!bytes) {
        perror(argv[1]);
        return 2;
    }
    uint64_t arg = strtoull(argv[3], NULL, 0);
    int bad = 0;
    for (int i = 4; i < argc; i++) {
        pvm_cost_model *cm = NULL;
        pvm_error err = {{0}};
        if (pvm_cost_model_new(argv[i], &cm, &err)) {
            fprintf(stderr, "gas-agreement: %s\n", err.msg);
            free(bytes);
            return 2;
        }
        outcome a = {0}, b = {0};
        char why[300] = "";
        if (run_one(bytes, len, PVM_BACKEND_INTERP, cm, argv[2], arg, &a, why, sizeof why) ||
            run_one(bytes, len, PVM_BACKEND_JIT, cm, argv[2], arg, &b, why, sizeof why)) {
            printf("%s %s: error: %s\n", argv[1], argv[i], why);
            bad = 1;
        } else if (a.res.kind != b.res.kind || a.res.pc != b.res.pc || a.a0 != b.a0 || a.gas != b.gas) {
            printf("%s %s: DIFFER interp %s@%u a0=%016" PRIx64 " gas=%" PRId64 " / jit %s@%u a0=%016" PRIx64
                   " gas=%" PRId64 "\n",
                   argv[1], argv[i], pvm_exit_name(a.res.kind), a.res.pc, a.a0, a.gas, pvm_exit_name(b.res.kind),
                   b.res.pc, b.a0, b.gas);
            bad = 1;
        } else {
            printf("%s %s: agree %s a0=%016" PRIx64 " gas=%" PRId64 "\n", argv[1], argv[i], pvm_exit_name(a.res.kind),
                   a.a0, a.gas);
            if (a.res.kind != PVM_EXIT_HALT) bad = 1; /* a guest must halt */
        }
        pvm_cost_model_free(cm);
    }
    free(bytes);
    return bad;
}
