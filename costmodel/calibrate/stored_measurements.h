/* Measurements rebuilt from stored samples, so that the shards of a calibration (pvmlab
 * calibrate --shard K/N, each measuring part of the microbenchmarks, possibly on another
 * machine, merged with pvmlab db merge) can be fitted together: pvmlab calibrate
 * --fit-runs ID,ID,... */
#ifndef PVMLAB_CAL_STORED_MEASUREMENTS_H
#define PVMLAB_CAL_STORED_MEASUREMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "measure.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "costmodel/microbench/microbench.h"
#include "results/results.h"

/* For each spec, the samples stored under suite "calibrate" with the spec's name and units
 * in any of runs: the median and MAD of the repetitions that were neither preempted nor on
 * a shared core (all of them when every one was), as measure_program computed them, judged
 * against *probe_floor, the floor of every loaded sample's core-sharing probe (NaN: the
 * samples have none); ok[i] is false for a spec without samples. Returns 0, or -1 with one
 * line in err (a database error). */
int stored_measurements_load(pvmlab_db *db, const pvmlab_id *runs, size_t run_count, const mb_spec *specs,
                             size_t n, measurement *out, bool *ok, double *probe_floor, char *err, size_t err_len);

/* Whether the loaded samples were measured on the programs this build makes, as far as a
 * profile shows it: for every program with samples and a profile (one interpreter call of
 * the program as built now, profiles[i].blob set) whose calls all return the same value
 * (every family but the pointer chase, whose calls continue where the last one stopped),
 * the stored checksum is what that call returned. Programs are matched by name, so a change
 * of a generator between the measuring run and the fit would otherwise fit old times to new
 * programs. Returns 0, or -1 with the first program that differs in err. */
int stored_measurements_match(const mb_spec *specs, const measurement *m, const bool *ok,
                              const mb_block_profile *profiles, size_t n, char *err, size_t err_len);

#endif
