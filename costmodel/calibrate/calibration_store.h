/* A calibration session: counters, pinning, the database rows (machine, build, run,
 * engine) and, at the end, the calibration and its values. */
#ifndef PVMLAB_CAL_STORE_H
#define PVMLAB_CAL_STORE_H

#include "calibration_fit.h"
#include "measure.h"
#include "results/results.h"

typedef struct calibration_session {
    pvmlab_db *db;
    pvmlab_counters *counters;
    time_source time;
    const char *counter_choice, *backend;
    const char *gas_model;   /* the metering model the programs ran under, "none" = unmetered */
    pvmlab_id machine, run, engine;
    int pinned_cpu;          /* -1 when not pinned */
    char pinning[256];       /* "pinned to CPU 1" or "not pinned: ..." */
    char unavailable[2048];  /* counters unavailable and why */
    char machine_name[96];
} calibration_session;

/* Opens everything; on failure returns -1 with one line in err and nothing open. */
int calibration_session_open(calibration_session *s, const char *db_path, const char *counter_choice,
                             const char *backend, const char *gas_model, const char *suite, int argc, char **argv,
                             char *err, size_t err_len);
/* Ends the run with status and closes everything. */
void calibration_session_close(calibration_session *s, const char *status);

/* Stores the calibration (parameters: how it was measured; fit results: the fit JSON) and
 * its values (ps, reference cycles from the TSC frequency, MAD, n). */
int calibration_store(calibration_session *s, const cal_result *r, const char *suite, const mb_spec *specs,
                      size_t n, pvmlab_id *out, char *err, size_t err_len);

#endif
