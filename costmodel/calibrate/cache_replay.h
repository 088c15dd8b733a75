/* Simulated cache counts for timed calls without slowing them: every timed call is
 * replayed, outside its timed interval, on a shadow instance of the same program on an
 * interpreter with the memory trace feeding the counters' cache model, so the simulated
 * misses belong to exactly the accesses the timed call made (same program, arguments and
 * memory contents; the VM is deterministic) while the timed call runs untraced. */
#ifndef PVMLAB_CAL_CACHE_REPLAY_H
#define PVMLAB_CAL_CACHE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "costmodel/counters/counters.h"
#include "costmodel/microbench/microbench.h"
#include "pvm/pvm.h"

typedef struct cache_replay cache_replay;

/* A shadow of program p on interp (an interpreter engine). Returns NULL without error when
 * interp is NULL or the counters have no cache model; NULL with err set on failure. */
cache_replay *cache_replay_begin(pvm_engine *interp, pvmlab_counters *counters, const mb_program *p, char *err,
                                 size_t err_len);
/* Replays one call of s (reset first when the timed call reset; previous_a0 as the timed
 * call got it) and reports its cache counts to the counters (call between stop and read).
 * Returns 0, or -1 with a reason. */
int cache_replay_call(cache_replay *r, const mb_spec *s, bool reset, uint64_t previous_a0, char *err,
                      size_t err_len);
void cache_replay_end(cache_replay *r);

#endif
