/* Time per gas of the benchmark guests under a cost model (see fidelity_guests.h). */
#define _POSIX_C_SOURCE 200809L
#include "fidelity_guests.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/util/file_read.h"
#include "vm/util/guest_manifest.h"

/* The guest's .polkavm, <build>/guests/<target>/NAME.polkavm (the guest-pvm-blobs target
 * makes it with pvm-link); 1 when it is not there. */
static int load_blob(const fidelity_guests_config *c, const char *name, uint8_t **bytes, size_t *len, char *err,
                     size_t err_len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/guests/%s/%s.polkavm", c->build_dir, c->target, name);
    if (access(path, F_OK) != 0)
        return 1;
    *bytes = (uint8_t *)util_read_file(path, len);
    if (!*bytes) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int fidelity_guests_measure(const fidelity_guests_config *c, fidelity_measured *out, char *skipped,
                            size_t skipped_len, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    fidelity_memory_rule(out);
    out->replay_all = true; /* the report explains every guest */
    out->sharing = c->sharing;
    if (skipped && skipped_len)
        skipped[0] = '\0';
    if (access(c->guests_def, R_OK) != 0) {
        if (skipped)
            snprintf(skipped, skipped_len, "%s not readable", c->guests_def);
        return 0;
    }
    util_guest *guests = NULL;
    size_t n_guests = 0;
    if (util_guest_manifest_read(c->guests_def, &guests, &n_guests, err, err_len) != 0)
        return -1;
    pvm_cost_model *cm = NULL;
    pvm_engine *engine = NULL;
    pvm_error perr = {{0}};
    if (pvm_cost_model_new(c->model, &cm, &perr) != PVM_OK ||
        pvm_engine_new(&(pvm_engine_config){.backend = c->backend, .gas_mode = PVM_GAS_SYNC, .cost_model = cm},
                       &engine, &perr) != PVM_OK) {
        free(guests);
        pvm_cost_model_free(cm);
        snprintf(err, err_len, "%s", perr.msg);
        return -1;
    }
    /* Every guest open at once, its timed runs in rounds (fidelity_timing.h), then each
     * finished in the manifest's order. */
    fidelity_program_run **runs = calloc(n_guests ? n_guests : 1, sizeof *runs);
    uint8_t **blobs = calloc(n_guests ? n_guests : 1, sizeof *blobs); /* kept for the replays */
    int rc = runs && blobs ? 0 : -1;
    if (rc != 0)
        snprintf(err, err_len, "guests: out of memory");
    for (size_t g = 0; rc == 0 && g < n_guests; g++) {
        size_t len = 0;
        int found = load_blob(c, guests[g].name, &blobs[g], &len, err, err_len);
        if (found == 1)
            continue;
        if (found < 0) {
            rc = -1;
            break;
        }
        uint64_t arg = guests[g].quick_size; /* open copies the arguments */
        rc = fidelity_program_open(engine, guests[g].name, blobs[g], len, "run", &arg, 1, out, &runs[g], err, err_len);
    }
    for (bool more = rc == 0; more && rc == 0;) {
        more = false;
        for (size_t g = 0; rc == 0 && g < n_guests; g++)
            if (runs[g] && fidelity_program_wants_more(out, runs[g])) {
                rc = fidelity_program_time_once(runs[g], out, err, err_len);
                more = true;
            }
    }
    for (size_t g = 0; g < n_guests; g++) {
        if (!runs || !runs[g])
            continue;
        if (rc != 0) {
            fidelity_program_close(runs[g]);
            continue;
        }
        rc = fidelity_program_finish(runs[g], out, err, err_len);
        if (rc == 0) {
            const pvmlab_fidelity_program *p = &out->programs[out->count - 1];
            char why[96] = "";
            if (p->instructions.present && p->instructions.value > 0)
                snprintf(why, sizeof why, "  per 1k instr: L1d %.1f L2 %.1f misses, %.1f mispredicts",
                         pvmlab_fidelity_per_kilo(p->l1_misses, p->instructions),
                         pvmlab_fidelity_per_kilo(p->l2_misses, p->instructions),
                         pvmlab_fidelity_per_kilo(p->mispredicts, p->instructions));
            printf("  %s %-22s %10.3f ms %14lld gas %9.4f ns/gas %6lld KiB data%s%s\n", c->target, guests[g].name,
                   p->wall_ns / 1e6, (long long)p->gas, p->wall_ns / (double)p->gas,
                   (long long)(p->footprint_bytes.present ? p->footprint_bytes.value >> 10 : -1), why,
                   p->memory_bound ? "  memory-bound" : "");
        }
    }
    for (size_t g = 0; blobs && g < n_guests; g++)
        free(blobs[g]);
    free(blobs);
    free(runs);
    free(guests);
    pvm_engine_free(engine);
    pvm_cost_model_free(cm);
    if (rc == 0 && out->count == 0 && skipped)
        snprintf(skipped, skipped_len, "no %s guest build found (%s/guests/%s/NAME.polkavm: build the guest-pvm-blobs target)",
                 c->target, c->build_dir, c->target);
    return rc;
}
