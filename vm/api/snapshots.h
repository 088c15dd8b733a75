/* An engine's copy-on-write snapshots (memory/image.h), shared by content: modules
 * whose initial memory is the same bytes in the same layout (the same program compiled
 * again, as the bench's oneshot mode and a host that reloads a program do) use one
 * snapshot, so a window freed into the engine's pool by an instance of one of them
 * still maps what the next one's instance needs (pvm_memory_park): no system call.
 *
 * A snapshot lives while a module uses it, and then idle for the next module with its
 * bytes: at most PVM_SNAPSHOT_IDLE_MAX idle ones per engine (the oldest goes first),
 * all at pvm_engine_free. Evicting one makes every pooled window let go of its file
 * first (pvm_memory_forget_snapshot), so its memory is freed at the release that
 * evicts it, not inside a later instantiation. Like the pool, not thread-safe: callers
 * serialise instantiation and release on an engine. */
#ifndef PVM_API_SNAPSHOTS_H
#define PVM_API_SNAPSHOTS_H
#include "vm/state/vm_state.h"

#define PVM_SNAPSHOT_PARTS_MAX 3   /* ro, rw, args */
#define PVM_SNAPSHOT_ACCESS_MAX 5  /* the layout's regions */
#define PVM_SNAPSHOT_IDLE_MAX 2

struct pvm_snapshot {
    pvm_memory_image img;
    int refs;            /* modules using it; 0: idle */
    uint64_t idle_since; /* the engine's release count when it became idle */
    unsigned n_parts, n_access;
    uint32_t part_len[PVM_SNAPSHOT_PARTS_MAX], data_len[PVM_SNAPSHOT_PARTS_MAX];
    pvm_image_access access[PVM_SNAPSHOT_ACCESS_MAX];
};

/* The engine's snapshot of exactly these parts and initial access table (the bytes
 * compared, not a hash of them), else a new one (pvm_memory_image_create); a reference
 * for the caller. NULL when the snapshot cannot be made (no memfd, too many parts). */
pvm_snapshot *pvm_snapshot_get(pvm_engine *e, const pvm_image_part *parts, unsigned n, const pvm_image_access *access,
                               unsigned n_access);
/* Drop a reference; an idle snapshot stays for the next module, within the bound. */
void pvm_snapshot_put(pvm_engine *e, pvm_snapshot *s);
/* Free every snapshot (no module may use one; the pool's windows destroyed first). */
void pvm_snapshots_free(pvm_engine *e);
#endif
