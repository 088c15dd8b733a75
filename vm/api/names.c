/* Printing names that come from a blob (exports, imports): only printable ASCII
 * passes through, everything else becomes \xNN. */
#include <stdio.h>
#include "pvm/pvm.h"

const char *pvm_sanitize_name(const char *name, char *out, size_t out_len)
{
    size_t o = 0;
    if (!out || !out_len) return out;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++) {
        bool plain = *p >= 0x20 && *p < 0x7f && *p != '\\';
        size_t need = plain ? 1 : 4;
        if (o + need >= out_len) break;
        if (plain) out[o++] = (char)*p;
        else o += (size_t)snprintf(out + o, out_len - o, "\\x%02x", *p);
    }
    out[o] = 0;
    return out;
}
