/* The benchmark guests manifest (bench/guests/guests.def) read at run time: the
 * one C reader of the file for tools that are given a manifest path (fidelity of
 * a cost table on the guests, the guest instruction mix). The runner's compiled-in
 * table (bench/runner/guest_catalog.c) includes the same file as an X-macro; a
 * test checks both give the same guests. The CMake reader is
 * bench/guests/guest_manifest.cmake. */
#ifndef PVM_UTIL_GUEST_MANIFEST_H
#define PVM_UTIL_GUEST_MANIFEST_H
#include <stddef.h>
#include <stdint.h>

typedef struct util_guest {
    char name[64];
    char source[64]; /* NAME.c, relative to the manifest's folder */
    uint64_t quick_size, full_size;
    uint64_t quick_checksum, full_checksum;
} util_guest;

/* Reads every line that starts with "GUEST(" in path:
 *   GUEST(name, source.c, quick_size, full_size, 0xquick_checksum, 0xfull_checksum)
 * Other lines (comments) are ignored. Returns 0 with a malloc'd array in *guests
 * (in file order; the caller frees it) and its length in *count, or -1 with
 * "PATH: ..." / "PATH:LINE: cannot parse: ..." in err for a file it cannot read or
 * a GUEST line it cannot parse (then *guests is NULL). */
int util_guest_manifest_read(const char *path, util_guest **guests, size_t *count, char *err, size_t err_len);
/* The guest named name in guests[0..count), or NULL. */
const util_guest *util_guest_find(const util_guest *guests, size_t count, const char *name);
#endif
