/* Parser of the self-timing runners' line protocol (see reported_samples.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reported_samples.h"

/* Parses "<ns> <hex|->" into sample; false when malformed. */
static bool parse_sample(const char *fields, bench_timing *sample)
{
    char *end;
    long long ns = strtoll(fields, &end, 10);
    if (end == fields || *end != ' ' || ns < 0)
        return false;
    const char *checksum = end + 1;
    memset(sample, 0, sizeof *sample);
    sample->wall_ns = ns;
    if (strcmp(checksum, "-") == 0)
        return true;
    uint64_t value = strtoull(checksum, &end, 16);
    if (end == checksum || *end != '\0')
        return false;
    sample->checksum_present = true;
    sample->checksum = value;
    sample->checksum_bits = 64;
    return true;
}

int bench_parse_reported_samples(const char *text, unsigned count, bench_timing *out, char *version,
                                 size_t version_len, char *err, size_t err_len)
{
    unsigned seen = 0, bits = 64;
    const char *line = text;
    while (*line) {
        size_t length = strcspn(line, "\n");
        char copy[512];
        snprintf(copy, sizeof copy, "%.*s", (int)(length < sizeof copy - 1 ? length : sizeof copy - 1), line);
        if (strncmp(copy, "version ", 8) == 0) {
            if (version)
                snprintf(version, version_len, "%s", copy + 8);
        } else if (strncmp(copy, "bits ", 5) == 0) {
            bits = (unsigned)strtoul(copy + 5, NULL, 10);
        } else if (strncmp(copy, "sample ", 7) == 0) {
            if (seen == count || !parse_sample(copy + 7, &out[seen])) {
                snprintf(err, err_len, "unexpected runner line '%s'", copy);
                return -1;
            }
            if (out[seen].checksum_present)
                out[seen].checksum_bits = bits;
            seen++;
        }
        line += length;
        if (*line == '\n')
            line++;
    }
    if (seen != count) {
        snprintf(err, err_len, "the runner reported %u of %u samples", seen, count);
        return -1;
    }
    return 0;
}
