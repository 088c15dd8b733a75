/* The guests manifest reader (see guest_manifest.h). */
#include "guest_manifest.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "file_read.h"
#include "grow.h"

/* One GUEST(...) line, NUL-terminated; false unless every field is there and well formed. */
static int parse_line(const char *line, util_guest *g)
{
    int end = -1;
    memset(g, 0, sizeof *g);
    if (sscanf(line, "GUEST(%63[a-z0-9_] , %63[a-z0-9_.] , %" SCNu64 " , %" SCNu64 " , 0x%" SCNx64 " , 0x%" SCNx64 " )%n",
               g->name, g->source, &g->quick_size, &g->full_size, &g->quick_checksum, &g->full_checksum, &end) != 6 ||
        end < 0)
        return 0;
    size_t n = strlen(g->source);
    return n > 2 && strcmp(g->source + n - 2, ".c") == 0 && strchr(g->source, '.') == g->source + n - 2;
}

int util_guest_manifest_read(const char *path, util_guest **guests, size_t *count, char *err, size_t err_len)
{
    *guests = NULL;
    *count = 0;
    char *text = util_read_file(path, NULL);
    if (!text) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    util_guest *out = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    int rc = 0;
    for (char *line = text, *next; line && *line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (strncmp(line, "GUEST(", 6) != 0) continue;
        if (util_grow(&out, &cap, n + 1, sizeof *out, 32) != 0) {
            snprintf(err, err_len, "%s: out of memory", path);
            rc = -1;
            break;
        }
        if (!parse_line(line, &out[n])) {
            snprintf(err, err_len, "%s:%zu: cannot parse: %.120s", path, lineno, line);
            rc = -1;
            break;
        }
        n++;
    }
    free(text);
    if (rc) {
        free(out);
        return -1;
    }
    *guests = out;
    *count = n;
    return 0;
}

const util_guest *util_guest_find(const util_guest *guests, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(guests[i].name, name) == 0) return &guests[i];
    return NULL;
}
