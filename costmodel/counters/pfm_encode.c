#include "pfm_encode.h"

#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pfm_encode_event(const char *event, struct perf_event_attr *attr, char *canonical,
                     size_t canonical_len, char *reason, size_t reason_len)
{
    int status = pfm_initialize();
    if (status != PFM_SUCCESS) {
        snprintf(reason, reason_len, "libpfm4: pfm_initialize -> %s", pfm_strerror(status));
        return -1;
    }
    memset(attr, 0, sizeof *attr);
    char *full_name = NULL; /* allocated by libpfm4 */
    pfm_perf_encode_arg_t arg;
    memset(&arg, 0, sizeof arg);
    arg.attr = attr;
    arg.fstr = &full_name;
    arg.size = sizeof arg;
    status = pfm_get_os_event_encoding(event, PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
    if (status != PFM_SUCCESS) {
        snprintf(reason, reason_len, "libpfm4: %s: %s", event, pfm_strerror(status));
        free(full_name);
        return -1;
    }
    attr->size = sizeof *attr;
    if (canonical && canonical_len)
        snprintf(canonical, canonical_len, "%s", full_name ? full_name : event);
    free(full_name);
    return 0;
}
