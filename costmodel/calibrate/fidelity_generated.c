/* Held-out generated programs under a cost model (see fidelity_generated.h). */
#include "fidelity_generated.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costmodel/microbench/microbench.h"

void fidelity_generated_set_name(uint64_t seed, char *out, size_t len)
{
    snprintf(out, len, "generated seed=0x%016llx", (unsigned long long)seed);
}

int fidelity_generated_measure(const char *model, pvm_backend backend, uint64_t seed, size_t count,
                               uint64_t instructions, core_sharing *sharing, fidelity_measured *out, char *err,
                               size_t err_len)
{
    memset(out, 0, sizeof *out);
    fidelity_memory_rule(out);
    out->sharing = sharing;
    mb_spec *specs = NULL;
    if (mb_mixed_specs(seed, count, instructions, &specs) != 0) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    pvm_cost_model *cm = NULL;
    pvm_engine *engine = NULL;
    pvm_error perr = {{0}};
    int rc = -1;
    if (pvm_cost_model_new(model, &cm, &perr) != PVM_OK ||
        pvm_engine_new(&(pvm_engine_config){.backend = backend, .gas_mode = PVM_GAS_SYNC, .cost_model = cm}, &engine,
                       &perr) != PVM_OK) {
        snprintf(err, err_len, "%s", perr.msg);
        goto done;
    }
    rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        mb_program p;
        if ((rc = mb_build(&specs[i], &p, err, err_len)) != 0)
            break;
        if (p.image) { /* fidelity_time_code writes no host image into the instance */
            snprintf(err, err_len, "%s: a generated program with a host-written image cannot be timed here",
                     specs[i].name);
            rc = -1;
        } else {
            uint64_t args[2], short_args[2];
            size_t nargs = mb_call_args(&specs[i], 0, args);
            mb_spec one_trip = specs[i];
            one_trip.trips = 1;
            mb_call_args(&one_trip, 0, short_args);
            rc = fidelity_time_code(engine, specs[i].name, p.blob, p.blob_len, "main", args, short_args, nargs, out,
                                    err, err_len);
        }
        mb_program_free(&p);
        if (rc == 0) {
            const pvmlab_fidelity_program *q = &out->programs[out->count - 1];
            printf("  %-28s %9.3f ms %12lld gas %9.4f ns/gas\n", q->program, q->wall_ns / 1e6, (long long)q->gas,
                   q->wall_ns / (double)q->gas);
        }
    }
done:
    pvm_engine_free(engine);
    pvm_cost_model_free(cm);
    free(specs);
    return rc;
}
