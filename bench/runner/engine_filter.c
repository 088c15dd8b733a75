/* The --engines filter (see engine_filter.h). */
#include <stdio.h>
#include <string.h>

#include "engine_filter.h"

static bool entry_matches(const char *entry, size_t length, const char *name)
{
    if (length > 0 && entry[length - 1] == '*')
        return strncmp(entry, name, length - 1) == 0;
    return strlen(name) == length && strncmp(entry, name, length) == 0;
}

bool bench_engine_selected(const char *spec, const char *name)
{
    if (!spec || !*spec)
        return true;
    for (const char *entry = spec; *entry;) {
        size_t length = strcspn(entry, ",");
        if (entry_matches(entry, length, name))
            return true;
        entry += length + (entry[length] == ',');
    }
    return false;
}

int bench_filter_engines(bench_engine_list *list, const char *spec, char *unknown, size_t unknown_len)
{
    if (!spec || !*spec)
        return 0;
    for (const char *entry = spec; *entry;) {
        size_t length = strcspn(entry, ",");
        bool known = false;
        for (size_t i = 0; i < list->count && !known; i++)
            known = entry_matches(entry, length, list->engines[i].name);
        for (size_t i = 0; i < list->missing_count && !known; i++)
            known = entry_matches(entry, length, list->missing[i].name);
        if (!known && length > 0) {
            snprintf(unknown, unknown_len, "%.*s", (int)length, entry);
            return -1;
        }
        entry += length + (entry[length] == ',');
    }
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++) {
        if (bench_engine_selected(spec, list->engines[i].name))
            list->engines[kept++] = list->engines[i];
        else if (list->engines[i].ops && list->engines[i].ops->destroy)
            list->engines[i].ops->destroy(&list->engines[i]);
    }
    list->count = kept;
    kept = 0;
    for (size_t i = 0; i < list->missing_count; i++)
        if (bench_engine_selected(spec, list->missing[i].name))
            list->missing[kept++] = list->missing[i];
    list->missing_count = kept;
    return 0;
}
