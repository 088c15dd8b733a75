/* Reading a stored calibration back: its values with their errors, as typed rows
 * (read-only SQL; the store keeps all SQL in results/). */
#ifndef PVMLAB_CAL_READ_H
#define PVMLAB_CAL_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h"

typedef struct stored_value {
    char key[96];
    double ps, cycles, mad; /* NaN where NULL */
    double se;              /* standard error of ps, NaN where NULL (older calibrations) */
    int64_t n;
} stored_value;

typedef struct stored_calibration {
    pvmlab_id id;
    char uuid[40];
    char backend[32];      /* time source: "tsc" or "clock" */
    char counters[32];     /* the --counters choice */
    char vm_backend[16];   /* "interp" or "jit" */
    char machine[96];      /* cpu model */
    stored_value *values;  /* ordered by key */
    size_t count;
} stored_calibration;

/* The values of calibration id, ordered by key (by_key) or as they were stored, into a new
 * array *values (caller frees) of *count. 0; 1 when out of memory; -1 on a database error
 * (pvmlab_db_error says which). The one reader of calibration values: calibration_read and
 * the calibration list (calibration_list.h) both use it. */
int calibration_values_read(pvmlab_db *db, pvmlab_id id, bool by_key, stored_value **values, size_t *count);

/* Loads calibration id. Returns 0; 1 when there is no such calibration (err says so);
 * -1 on a database error or out of memory (err says which). */
int calibration_read(pvmlab_db *db, pvmlab_id id, stored_calibration *out, char *err, size_t err_len);
void stored_calibration_free(stored_calibration *c);
/* The ps value of key, or NaN when absent or NULL. */
double stored_ps(const stored_calibration *c, const char *key);
/* The stored value of key, or NULL. */
const stored_value *stored_find(const stored_calibration *c, const char *key);

#endif
