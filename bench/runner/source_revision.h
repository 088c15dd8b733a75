/* The git revision of the source tree at run time (the build's revision is fixed when
 * cmake ran; the tree may have moved on or have local changes since). */
#ifndef PVMLAB_BENCH_SOURCE_REVISION_H
#define PVMLAB_BENCH_SOURCE_REVISION_H

#include <stddef.h>

/* "<12 hex>" or "<12 hex>-dirty" (tracked files differ from HEAD), or "unknown: reason". */
void bench_source_revision(const char *source_dir, char *out, size_t out_len);

#endif
