#include "perf_group.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int perf_event_open_syscall(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
                            unsigned long flags)
{
    return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

static const char *perf_type_name(uint32_t type, char *scratch, size_t len)
{
    switch (type) {
    case PERF_TYPE_HARDWARE: return "PERF_TYPE_HARDWARE";
    case PERF_TYPE_SOFTWARE: return "PERF_TYPE_SOFTWARE";
    case PERF_TYPE_HW_CACHE: return "PERF_TYPE_HW_CACHE";
    case PERF_TYPE_RAW: return "PERF_TYPE_RAW";
    default: snprintf(scratch, len, "type %" PRIu32, type); return scratch;
    }
}

int perf_event_paranoid_level(void)
{
    FILE *file = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
    int level = 99;
    if (file) {
        if (fscanf(file, "%d", &level) != 1)
            level = 99;
        fclose(file);
    }
    return level;
}

void perf_open_failure_text(char *buf, size_t len, const struct perf_event_attr *attr,
                            const char *event_name, int err)
{
    char scratch[32];
    const char *errno_name = strerrorname_np(err);
    int written = snprintf(buf, len, "perf_event_open(%s, %s) -> %s (%s)",
                           perf_type_name(attr->type, scratch, sizeof scratch), event_name,
                           errno_name ? errno_name : "?", strerror(err));
    if ((err == EACCES || err == EPERM) && written > 0 && (size_t)written < len)
        snprintf(buf + written, len - (size_t)written, "; kernel.perf_event_paranoid=%d",
                 perf_event_paranoid_level());
}

void perf_group_init(perf_group *group)
{
    memset(group, 0, sizeof *group);
    group->leader_fd = -1;
}

int perf_group_add(perf_group *group, counter_slot *slot, const struct perf_event_attr *attr)
{
    if (group->count == PERF_GROUP_MAX) {
        counter_slot_unavailable(slot, "internal: perf event group is full (%d events)", PERF_GROUP_MAX);
        return -1;
    }
    perf_group_member *member = &group->members[group->count++];
    member->slot = slot;
    member->attr = *attr;
    member->fd = -1;
    return 0;
}

void perf_group_open(perf_group *group)
{
    for (size_t i = 0; i < group->count; i++) {
        perf_group_member *member = &group->members[i];
        struct perf_event_attr *attr = &member->attr;
        bool leads = group->leader_fd < 0;
        attr->size = sizeof *attr;
        attr->disabled = leads; /* members follow their leader's enable/disable */
        attr->exclude_kernel = 1; /* user space only: allowed at perf_event_paranoid <= 2 */
        attr->exclude_hv = 1;
        attr->read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED
                            | PERF_FORMAT_TOTAL_TIME_RUNNING;
        int fd = perf_event_open_syscall(attr, 0, -1, group->leader_fd, PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            char reason[PVMLAB_COUNTER_TEXT_MAX];
            perf_open_failure_text(reason, sizeof reason, attr, member->slot->info.name, errno);
            counter_slot_unavailable(member->slot, "%s", reason);
            continue;
        }
        if (ioctl(fd, PERF_EVENT_IOC_ID, &member->id) != 0) {
            counter_slot_unavailable(member->slot, "ioctl(PERF_EVENT_IOC_ID) -> %s", strerror(errno));
            close(fd);
            continue;
        }
        member->fd = fd;
        if (leads)
            group->leader_fd = fd;
    }
}

static void fail_open_members(perf_group *group, const char *reason)
{
    for (size_t i = 0; i < group->count; i++)
        if (group->members[i].fd >= 0)
            counter_slot_fail_interval(group->members[i].slot, "%s", reason);
}

int perf_group_start(perf_group *group)
{
    for (size_t i = 0; i < group->count; i++)
        counter_slot_reset_interval(group->members[i].slot);
    if (group->leader_fd < 0)
        return 0;
    if (ioctl(group->leader_fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP) != 0
        || ioctl(group->leader_fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) != 0) {
        char reason[PVMLAB_COUNTER_TEXT_MAX];
        snprintf(reason, sizeof reason, "ioctl(PERF_EVENT_IOC_ENABLE) -> %s", strerror(errno));
        fail_open_members(group, reason);
        return -1;
    }
    return 0;
}

int perf_group_stop(perf_group *group)
{
    if (group->leader_fd < 0)
        return 0;
    /* Layout for PERF_FORMAT_GROUP|ID|TOTAL_TIME_*: nr, enabled, running, {value, id} * nr. */
    uint64_t buffer[3 + 2 * PERF_GROUP_MAX];
    char reason[PVMLAB_COUNTER_TEXT_MAX];
    if (ioctl(group->leader_fd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP) != 0) {
        snprintf(reason, sizeof reason, "ioctl(PERF_EVENT_IOC_DISABLE) -> %s", strerror(errno));
        fail_open_members(group, reason);
        return -1;
    }
    ssize_t got = read(group->leader_fd, buffer, sizeof buffer);
    if (got < (ssize_t)(3 * sizeof(uint64_t))) {
        snprintf(reason, sizeof reason, "read(perf group) -> %s", got < 0 ? strerror(errno) : "short read");
        fail_open_members(group, reason);
        return -1;
    }
    uint64_t entries = buffer[0], enabled = buffer[1], running = buffer[2];
    if (running == 0 || running < enabled) {
        /* Never scale a multiplexed count: that would be an estimate, not a measurement. */
        snprintf(reason, sizeof reason, "group ran %.0f%% of the interval on the PMU (multiplexed); not scaled",
                 enabled ? 100.0 * (double)running / (double)enabled : 0.0);
        fail_open_members(group, reason);
        return 0;
    }
    for (size_t i = 0; i < group->count; i++) {
        perf_group_member *member = &group->members[i];
        if (member->fd < 0)
            continue;
        bool found = false;
        for (uint64_t e = 0; e < entries && e < PERF_GROUP_MAX; e++) {
            if (buffer[3 + 2 * e + 1] == member->id) {
                counter_slot_set_value(member->slot, (int64_t)buffer[3 + 2 * e]);
                found = true;
                break;
            }
        }
        if (!found)
            counter_slot_fail_interval(member->slot, "perf group read has no entry for this event");
    }
    return 0;
}

void perf_group_close(perf_group *group)
{
    /* Members first, the leader last. */
    for (size_t i = group->count; i-- > 0;) {
        if (group->members[i].fd >= 0 && group->members[i].fd != group->leader_fd)
            close(group->members[i].fd);
        group->members[i].fd = -1;
    }
    if (group->leader_fd >= 0)
        close(group->leader_fd);
    group->leader_fd = -1;
}
