/* The guests manifest as a C table (guests.def is an X-macro file). */
#include <string.h>

#include "guest_catalog.h"

#define GUEST(name, source, quick_size, full_size, quick_checksum, full_checksum) \
    {#name, quick_size, full_size, quick_checksum, full_checksum},
static const bench_guest_entry CATALOG[] = {
#include "bench/guests/guests.def"
};
#undef GUEST

const bench_guest_entry *bench_guest_catalog(size_t *count)
{
    *count = sizeof CATALOG / sizeof CATALOG[0];
    return CATALOG;
}

const bench_guest_entry *bench_guest_find(const char *name)
{
    for (size_t i = 0; i < sizeof CATALOG / sizeof CATALOG[0]; i++)
        if (strcmp(CATALOG[i].name, name) == 0)
            return &CATALOG[i];
    return NULL;
}
