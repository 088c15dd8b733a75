#include "calibration_keys.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parses "<digits>[K|M|G][iB|B]" after a prefix and one separator; -1 when it is not. */
static double parse_size_after(const char *key, const char *prefix)
{
    size_t length = strlen(prefix);
    if (strncasecmp(key, prefix, length) != 0)
        return -1;
    const char *at = key + length;
    if (*at && strchr(":_=-.", *at))
        at++;
    if (!isdigit((unsigned char)*at))
        return -1;
    char *end;
    double value = strtod(at, &end);
    switch (toupper((unsigned char)*end)) {
    case 'K': value *= 1024.0, end++; break;
    case 'M': value *= 1024.0 * 1024.0, end++; break;
    case 'G': value *= 1024.0 * 1024.0 * 1024.0, end++; break;
    default: break;
    }
    if (strcasecmp(end, "") != 0 && strcasecmp(end, "b") != 0 && strcasecmp(end, "ib") != 0)
        return -1;
    return value;
}

/* "mem.l2", "mem.dram", "l1_hit", "L3": 1..4, or 0. */
static int cache_level(const char *key)
{
    if (strncasecmp(key, "mem.", 4) == 0)
        key += 4;
    if (strcasecmp(key, "dram") == 0)
        return 4;
    if ((key[0] != 'l' && key[0] != 'L') || key[1] < '1' || key[1] > '3')
        return 0;
    char after = key[2];
    return after == '\0' || after == '_' || after == '-' || after == ':' ? key[1] - '0' : 0;
}

pvmlab_key_kind pvmlab_classify_key(const char *key, double *number)
{
    static const char *const working_set_prefixes[] = {"chase", "working_set", "load_latency", "ws"};
    *number = 0;
    for (size_t i = 0; i < sizeof working_set_prefixes / sizeof working_set_prefixes[0]; i++) {
        double bytes = parse_size_after(key, working_set_prefixes[i]);
        if (bytes > 0) {
            *number = bytes;
            return PVMLAB_KEY_WORKING_SET;
        }
    }
    double stride = parse_size_after(key, "stride");
    if (stride > 0) {
        *number = stride;
        return PVMLAB_KEY_STRIDE;
    }
    int level = cache_level(key);
    if (level) {
        *number = level;
        return PVMLAB_KEY_CACHE_LEVEL;
    }
    if (strncmp(key, "op.", 3) == 0 || !strchr(key, '.'))
        return PVMLAB_KEY_OPCODE;
    return PVMLAB_KEY_OTHER;
}

const char *pvmlab_opcode_label(const char *key)
{
    return strncmp(key, "op.", 3) == 0 ? key + 3 : key;
}

size_t pvmlab_calibration_count_kind(const pvmlab_calibration_record *record, pvmlab_key_kind kind)
{
    size_t count = 0;
    double number;
    for (size_t i = 0; i < record->entry_count; i++)
        count += pvmlab_classify_key(record->entries[i].key, &number) == kind;
    return count;
}
