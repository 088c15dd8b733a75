/* libpfm4 event names to perf_event_attr (internal to pvmlab_counters; tests use it). */
#ifndef PVMLAB_PFM_ENCODE_H
#define PVMLAB_PFM_ENCODE_H

#include <linux/perf_event.h>
#include <stddef.h>

/* Initialises libpfm4 (idempotent) and encodes event, for user space only, into *attr.
 * canonical receives libpfm4's full event string (may be NULL). Returns 0, or -1 with
 * "libpfm4: EVENT: problem" in reason. */
int pfm_encode_event(const char *event, struct perf_event_attr *attr, char *canonical,
                     size_t canonical_len, char *reason, size_t reason_len);

#endif
