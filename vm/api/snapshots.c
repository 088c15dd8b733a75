/* Snapshots shared by content within an engine (see snapshots.h). */
#include "snapshots.h"
#include <stdlib.h>
#include <string.h>
#include "vm/util/grow.h"

/* Whether s holds exactly these parts and access entries: their bytes are the file's. */
static bool same_content(const pvm_snapshot *s, const pvm_image_part *parts, unsigned n, const pvm_image_access *access,
                         unsigned n_access)
{
    if (s->n_parts != n || s->n_access != n_access) return false;
    for (unsigned i = 0; i < n_access; i++)
        if (s->access[i].addr != access[i].addr || s->access[i].len != access[i].len ||
            s->access[i].access != access[i].access)
            return false;
    for (unsigned i = 0; i < n; i++) {
        uint32_t len = parts[i].data_len < parts[i].len ? parts[i].data_len : parts[i].len;
        if (s->part_len[i] != parts[i].len || s->data_len[i] != len) return false;
    }
    uint64_t at = 0;
    for (unsigned i = 0; i < n; i++) { /* sizes first, then the bytes (pages of the file's shared mapping) */
        if (s->data_len[i] && memcmp(s->img.data + at, parts[i].data, s->data_len[i]) != 0) return false;
        at += parts[i].len;
    }
    return true;
}

static void evict(pvm_engine *e, size_t i)
{
    pvm_snapshot *s = e->snapshots[i];
    for (unsigned w = 0; w < e->n_pool; w++) pvm_memory_forget_snapshot(&e->pool[w], s->img.id);
    pvm_memory_image_free(&s->img);
    free(s);
    e->snapshots[i] = e->snapshots[--e->n_snapshots];
}

pvm_snapshot *pvm_snapshot_get(pvm_engine *e, const pvm_image_part *parts, unsigned n, const pvm_image_access *access,
                               unsigned n_access)
{
    if (n > PVM_SNAPSHOT_PARTS_MAX || n_access > PVM_SNAPSHOT_ACCESS_MAX) return NULL;
    for (size_t i = 0; i < e->n_snapshots; i++)
        if (same_content(e->snapshots[i], parts, n, access, n_access)) {
            e->snapshots[i]->refs++;
            return e->snapshots[i];
        }
    pvm_snapshot *s = calloc(1, sizeof *s);
    if (!s || UTIL_GROW(e->snapshots, e->cap_snapshots, e->n_snapshots + 1, 4) != 0) {
        free(s);
        return NULL;
    }
    if (pvm_memory_image_create(&s->img, parts, n, access, n_access, NULL) != PVM_OK) {
        free(s);
        return NULL;
    }
    s->refs = 1;
    s->n_parts = n;
    s->n_access = n_access;
    for (unsigned i = 0; i < n; i++) {
        s->part_len[i] = parts[i].len;
        s->data_len[i] = parts[i].data_len < parts[i].len ? parts[i].data_len : parts[i].len;
    }
    memcpy(s->access, access, n_access * sizeof *access);
    e->snapshots[e->n_snapshots++] = s;
    return s;
}

void pvm_snapshot_put(pvm_engine *e, pvm_snapshot *s)
{
    if (!s || --s->refs > 0) return;
    s->idle_since = ++e->snapshot_releases;
    for (;;) {
        size_t idle = 0, oldest = 0;
        for (size_t i = 0; i < e->n_snapshots; i++) {
            if (e->snapshots[i]->refs) continue;
            if (!idle || e->snapshots[i]->idle_since < e->snapshots[oldest]->idle_since) oldest = i;
            idle++;
        }
        if (idle <= PVM_SNAPSHOT_IDLE_MAX) return;
        evict(e, oldest);
    }
}

void pvm_snapshots_free(pvm_engine *e)
{
    while (e->n_snapshots) evict(e, e->n_snapshots - 1);
    free(e->snapshots);
    e->snapshots = NULL;
    e->cap_snapshots = 0;
}
