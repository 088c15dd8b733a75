/* A group of perf events opened together and read in one read(2), so that all of its
 * counts cover the same interval. Used by the pmu and software backends. */
#ifndef PVMLAB_PERF_GROUP_H
#define PVMLAB_PERF_GROUP_H

#include <linux/perf_event.h>

#include "counter_slot.h"

enum { PERF_GROUP_MAX = 16 };

typedef struct perf_group_member {
    counter_slot *slot; /* not owned; receives the value or the reason */
    struct perf_event_attr attr;
    int fd;
    uint64_t id;
} perf_group_member;

typedef struct perf_group {
    perf_group_member members[PERF_GROUP_MAX];
    size_t count;
    int leader_fd; /* -1 when no member could be opened */
} perf_group;

void perf_group_init(perf_group *group);

/* Queues an event for slot (which must stay valid). Returns 0, or -1 when the group is full
 * (the slot is then marked unavailable). */
int perf_group_add(perf_group *group, counter_slot *slot, const struct perf_event_attr *attr);

/* Opens every queued event for this thread, user space only; the first that opens leads.
 * Events that fail are marked unavailable with "perf_event_open(TYPE, name) -> ERRNO (text)". */
void perf_group_open(perf_group *group);

/* Resets and enables the group. Returns 0, or -1 (slots then carry the reason). */
int perf_group_start(perf_group *group);

/* Disables the group and stores each member's count in its slot. Returns 0 or -1. */
int perf_group_stop(perf_group *group);

void perf_group_close(perf_group *group);

/* Formats the reason perf_event_open failed with errno err, naming the event type, the event
 * and, for permission errors, kernel.perf_event_paranoid. */
void perf_open_failure_text(char *buf, size_t len, const struct perf_event_attr *attr,
                            const char *event_name, int err);

/* kernel.perf_event_paranoid, or 99 when it cannot be read. */
int perf_event_paranoid_level(void);

/* Thin wrapper over the perf_event_open system call (glibc has none). */
int perf_event_open_syscall(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
                            unsigned long flags);

#endif
