/* Reading bench/guests/held_out.txt (see held_out_list.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "held_out_list.h"

int bench_held_out_load(const char *path, bench_held_out *out, char *err, size_t err_len)
{
    out->count = 0;
    FILE *file = fopen(path, "r");
    if (!file) {
        snprintf(err, err_len, "%s: the held-out list is not readable (%s)", path, strerror(errno));
        return -1;
    }
    char line[256];
    int status = 0;
    while (status == 0 && fgets(line, sizeof line, file)) {
        line[strcspn(line, "#\r\n")] = '\0';
        char *name = line + strspn(line, " \t");
        name[strcspn(name, " \t")] = '\0';
        if (*name == '\0')
            continue;
        if (out->count == BENCH_HELD_OUT_MAX || strlen(name) >= BENCH_HELD_OUT_NAME_MAX) {
            snprintf(err, err_len, "%s: more than %d names, or a name of %d characters or more", path,
                     BENCH_HELD_OUT_MAX, BENCH_HELD_OUT_NAME_MAX);
            status = -1;
        } else
            snprintf(out->names[out->count++], BENCH_HELD_OUT_NAME_MAX, "%s", name);
    }
    fclose(file);
    return status;
}

bool bench_held_out_contains(const bench_held_out *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->names[i], name) == 0)
            return true;
    return false;
}
