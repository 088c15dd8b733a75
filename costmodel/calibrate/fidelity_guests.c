/* Time per gas of the benchmark guests under a cost model (see fidelity_guests.h). */
#define _POSIX_C_SOURCE 200809L
#include "fidelity_guests.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/file_read.h"
#include "util/clock.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}


/* One guest: median of 3 timed runs of run(size); gas is the same every run. */
static int measure_one(const char *path, uint32_t size, const pvm_cost_model *cm, pvm_backend backend, double *ns,
                       int64_t *gas, char *err, size_t err_len)
{
    size_t len = 0;
    uint8_t *bytes = (uint8_t *)util_read_file(path, &len);
    if (!bytes) {
        snprintf(err, err_len, "%s: cannot read", path);
        return -1;
    }
    pvm_error perr = {{0}};
    pvm_engine_config cfg = {backend, PVM_GAS_SYNC, cm};
    pvm_engine *e = NULL;
    pvm_module *m = NULL;
    pvm_instance *in = NULL;
    int rc = -1;
    double t[3];
    if (pvm_engine_new(&cfg, &e, &perr) || pvm_module_compile(e, bytes, len, NULL, NULL, &m, &perr) ||
        pvm_instance_new(m, &in, &perr))
        goto fail;
    for (int i = 0; i < 4; i++) { /* the first run warms the memory up and is not kept */
        uint64_t arg = size;
        const int64_t budget = INT64_C(1) << 56;
        pvm_result r;
        if (pvm_instance_prepare_call(in, "run", 0, &arg, 1, &perr)) goto fail;
        pvm_instance_set_gas(in, budget);
        double t0 = (double)util_now_ns();
        if (pvm_instance_run(in, &r, &perr)) goto fail;
        double dt = (double)util_now_ns() - t0;
        if (r.kind != PVM_EXIT_HALT) {
            snprintf(perr.msg, sizeof perr.msg, "ended with %s at pc %u", pvm_exit_name(r.kind), r.pc);
            goto fail;
        }
        *gas = budget - pvm_instance_gas(in);
        if (i) t[i - 1] = dt;
    }
    qsort(t, 3, sizeof t[0], cmp_double);
    *ns = t[1];
    rc = 0;
    goto done;
fail:
    snprintf(err, err_len, "%s: %s", path, perr.msg);
done:
    pvm_instance_free(in);
    pvm_module_release(m);
    pvm_engine_free(e);
    free(bytes);
    return rc;
}

int fidelity_guests_measure(const char *dir, const char *guests_def, const char *model, pvm_backend backend,
                            fidelity_guests_summary *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    FILE *def = fopen(guests_def, "r");
    if (!def) {
        printf("fidelity: benchmark guests skipped (%s not readable)\n", guests_def);
        return 0;
    }
    pvm_cost_model *cm = NULL;
    pvm_error perr = {{0}};
    if (pvm_cost_model_new(model, &cm, &perr)) {
        fclose(def);
        snprintf(err, err_len, "%s", perr.msg);
        return -1;
    }
    double per_gas[64];
    char names[64][64];
    size_t n = 0;
    char line[512];
    int rc = 0;
    while (rc == 0 && n < 64 && fgets(line, sizeof line, def)) {
        char name[64];
        unsigned long quick;
        if (sscanf(line, "GUEST(%63[a-z0-9_], %*[a-z0-9_.], %lu,", name, &quick) != 2) continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.polkavm", dir, name);
        FILE *probe = fopen(path, "rb");
        if (!probe) continue;
        fclose(probe);
        double ns;
        int64_t gas;
        if (measure_one(path, (uint32_t)quick, cm, backend, &ns, &gas, err, err_len) != 0) {
            rc = -1;
            break;
        }
        per_gas[n] = gas > 0 ? ns / (double)gas : 0;
        snprintf(names[n], sizeof names[n], "%.63s", name);
        printf("  guest %-22s %12.3f ms %16lld gas %10.4f ns/gas\n", name, ns / 1e6, (long long)gas, per_gas[n]);
        n++;
    }
    fclose(def);
    pvm_cost_model_free(cm);
    if (rc) return rc;
    if (n == 0) {
        printf("fidelity: benchmark guests skipped (no NAME.polkavm in %s: run pvmlab bench first)\n", dir);
        return 0;
    }
    double sorted[64];
    memcpy(sorted, per_gas, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    out->guests = n;
    out->median_ns_per_gas = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    for (size_t i = 0; i < n; i++)
        if (per_gas[i] >= out->max_ns_per_gas) {
            out->max_ns_per_gas = per_gas[i];
            snprintf(out->worst_guest, sizeof out->worst_guest, "%.63s", names[i]);
        }
    out->max_over_median = out->median_ns_per_gas > 0 ? out->max_ns_per_gas / out->median_ns_per_gas : 0;
    return 0;
}
