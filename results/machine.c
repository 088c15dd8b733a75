/* The machine a run happens on: detected from uname, /proc/cpuinfo and a PMU probe. */
#include "db_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Copies the value of the first "key : value" line of /proc/cpuinfo whose key is one of keys. */
static void read_cpu_model(char *out, size_t len)
{
    static const char *const keys[] = {"model name", "Hardware", "cpu model", "uarch", "isa"};
    snprintf(out, len, "unknown");
    FILE *file = fopen("/proc/cpuinfo", "r");
    if (!file)
        return;
    char line[512];
    while (fgets(line, sizeof line, file)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            if (strncmp(line, keys[k], strlen(keys[k])) != 0)
                continue;
            char *value = colon + 1;
            while (isspace((unsigned char)*value))
                value++;
            value[strcspn(value, "\n")] = '\0';
            if (*value) {
                snprintf(out, len, "%s", value);
                fclose(file);
                return;
            }
        }
    }
    fclose(file);
}

void pvmlab_machine_detect(pvmlab_machine_info *info)
{
    memset(info, 0, sizeof *info);
    struct utsname names;
    if (uname(&names) == 0) {
        snprintf(info->hostname, sizeof info->hostname, "%s", names.nodename);
        snprintf(info->kernel, sizeof info->kernel, "%s %s %s %s", names.sysname, names.release, names.version,
                 names.machine);
    } else {
        snprintf(info->hostname, sizeof info->hostname, "unknown");
        snprintf(info->kernel, sizeof info->kernel, "unknown");
    }
    read_cpu_model(info->cpu_model, sizeof info->cpu_model);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    info->cores = cores > 0 ? (int)cores : 0;
    /* pmu_available/pmu_reason stay false/empty: the counters library, which can ask
     * the kernel, fills them (pvmlab_machine_detect_counters). */
}

int pvmlab_db_insert_machine(pvmlab_db *db, const pvmlab_machine_info *info, pvmlab_id *out)
{
    const db_value key[] = {
        DB_TEXT_VALUE(info->hostname), DB_TEXT_VALUE(info->cpu_model),     DB_INT_VALUE(info->cores),
        DB_TEXT_VALUE(info->kernel),   DB_INT_VALUE(info->pmu_available), DB_TEXT_VALUE(info->pmu_reason),
    };
    return db_get_or_insert(db, STMT_MACHINE_INSERT, STMT_MACHINE_SELECT, key, sizeof key / sizeof key[0], out);
}
