/* The git revision of the source tree at run time, for a run's provenance (the build's revision is fixed when
 * cmake ran; the tree may have moved on or have local changes since). */
#ifndef PVMLAB_RESULTS_SOURCE_REVISION_H
#define PVMLAB_RESULTS_SOURCE_REVISION_H

#include <stddef.h>

/* "<12 hex>" or "<12 hex>-dirty" (tracked files differ from HEAD), or "unknown: reason". */
void pvmlab_source_revision(const char *source_dir, char *out, size_t out_len);

#endif
