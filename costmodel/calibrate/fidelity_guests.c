/* Time per gas of the benchmark guests under a cost model (see fidelity_guests.h). */
#define _POSIX_C_SOURCE 200809L
#include "fidelity_guests.h"

#include <stdio.h>
#include <string.h>

#include "pvm_blob.h"
#include "tools.h"

/* The guest's .polkavm: <build>/guests/<target>/NAME.polkavm, else linked from NAME.elf
 * there (pvm_blob.h); 1 when the guest has neither. */
static int load_blob(const fidelity_guests_config *c, const char *name, pvm_blob *blob, char *err, size_t err_len)
{
    memset(blob, 0, sizeof *blob);
    char elf[4200], prebuilt[4200];
    snprintf(elf, sizeof elf, "%s/guests/%s/%s.elf", c->build_dir, c->target, name);
    snprintf(prebuilt, sizeof prebuilt, "%s/guests/%s/%s.polkavm", c->build_dir, c->target, name);
    if (!bench_file_exists(elf) && !bench_file_exists(prebuilt))
        return 1;
    bench_env env = {.build_dir = c->build_dir, .cache_dir = c->cache_dir};
    char linker[4200] = "pvm-link";
    if (!bench_file_exists(prebuilt) && !pvm_blob_find_linker(&env, linker, sizeof linker)) {
        snprintf(err, err_len, "pvm-link not found (neither %s/bin/pvm-link nor on PATH)", c->build_dir);
        return -1;
    }
    return pvm_blob_load_target(&env, linker, c->target, name, blob, err, err_len) == 0 ? 0 : -1;
}

int fidelity_guests_measure(const fidelity_guests_config *c, fidelity_measured *out, char *skipped,
                            size_t skipped_len, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    fidelity_memory_rule(out);
    if (skipped && skipped_len)
        skipped[0] = '\0';
    FILE *def = fopen(c->guests_def, "r");
    if (!def) {
        if (skipped)
            snprintf(skipped, skipped_len, "%s not readable", c->guests_def);
        return 0;
    }
    pvm_cost_model *cm = NULL;
    pvm_engine *engine = NULL;
    pvm_error perr = {{0}};
    if (pvm_cost_model_new(c->model, &cm, &perr) != PVM_OK ||
        pvm_engine_new(&(pvm_engine_config){.backend = c->backend, .gas_mode = PVM_GAS_SYNC, .cost_model = cm},
                       &engine, &perr) != PVM_OK) {
        fclose(def);
        pvm_cost_model_free(cm);
        snprintf(err, err_len, "%s", perr.msg);
        return -1;
    }
    char line[512];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, def)) {
        char name[64];
        unsigned long quick;
        if (sscanf(line, "GUEST(%63[a-z0-9_], %*[a-z0-9_.], %lu,", name, &quick) != 2)
            continue;
        pvm_blob blob;
        int found = load_blob(c, name, &blob, err, err_len);
        if (found == 1)
            continue;
        if (found < 0) {
            rc = -1;
            break;
        }
        uint64_t arg = quick;
        rc = fidelity_time_program(engine, name, blob.bytes, blob.length, "run", &arg, 1, out, err, err_len);
        pvm_blob_free(&blob);
        if (rc == 0) {
            const pvmlab_fidelity_program *p = &out->programs[out->count - 1];
            printf("  %s %-22s %10.3f ms %14lld gas %9.4f ns/gas%s\n", c->target, name, p->wall_ns / 1e6,
                   (long long)p->gas, p->wall_ns / (double)p->gas, p->memory_bound ? "  memory-bound" : "");
        }
    }
    fclose(def);
    pvm_engine_free(engine);
    pvm_cost_model_free(cm);
    if (rc == 0 && out->count == 0 && skipped)
        snprintf(skipped, skipped_len, "no %s guest build found (%s/guests/%s/NAME.elf: build the guests target)",
                 c->target, c->build_dir, c->target);
    return rc;
}
