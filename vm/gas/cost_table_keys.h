/* The keys of a cost table file, in file order, shared by the parser and
 * the emitters so that both always agree on names and order. */
#ifndef PVM_GAS_COST_TABLE_KEYS_H
#define PVM_GAS_COST_TABLE_KEYS_H
#include <stdio.h>
#include "cost_table.h"

#define PVM_COST_TABLE_HEADER_LINES 7
#define PVM_COST_TABLE_HASH_LINE 7
#define PVM_COST_TABLE_MAGIC "pvmlab-cost-table"
#define PVM_COST_TABLE_HASH_PREFIX "fnv1a64:"

/* Keys of the kind's own numbers (format 1 has only these). */
static inline size_t pvm_cost_table_kind_key_count(pvm_table_kind kind)
{
    return kind == PVM_TABLE_KIND_TABLE ? (size_t)PVM_OP_COUNT : pvm_pipeline_key_count();
}

static inline size_t pvm_cost_table_key_count(pvm_table_kind kind)
{
    return pvm_cost_table_kind_key_count(kind) + PVM_HOST_KEY_COUNT;
}

/* The keys a file of format `version` carries: the first pvm_cost_table_key() keys. */
static inline size_t pvm_cost_table_key_count_in(pvm_table_kind kind, int version)
{
    size_t own = pvm_cost_table_kind_key_count(kind);
    if (version <= 1) return own;
    return own + (version >= 6   ? PVM_HOST_KEY_COUNT
                  : version == 5 ? PVM_HOST_KEY_COUNT_V5
                  : version == 4 ? PVM_HOST_KEY_COUNT_V4
                                 : PVM_HOST_KEY_COUNT_V3);
}

/* Name of key i into name; pointer to its value in t (NULL past the end). */
static inline uint32_t *pvm_cost_table_key(pvm_cost_table *t, size_t i, char *name, size_t cap)
{
    size_t own = pvm_cost_table_kind_key_count(t->kind);
    if (i >= own) {
        static const char *const host[PVM_HOST_KEY_COUNT] = {"host.lazy_page_read", "host.lazy_page_write",
                                                             "host.memset_byte", "host.lazy_page_read_image",
                                                             "host.lazy_page_write_first", "chase.hop",
                                                             "recurrence.milligas_per_cycle"};
        uint32_t *slot[PVM_HOST_KEY_COUNT] = {&t->host.lazy_page_read, &t->host.lazy_page_write,
                                              &t->host.memset_byte, &t->host.lazy_page_read_image,
                                              &t->host.lazy_page_write_first, &t->host.chase_hop,
                                              &t->host.recurrence_milligas};
        if (i - own >= PVM_HOST_KEY_COUNT) return NULL;
        snprintf(name, cap, "%s", host[i - own]);
        return slot[i - own];
    }
    if (t->kind == PVM_TABLE_KIND_PIPELINE) return pvm_pipeline_key(&t->pipeline, i, name, cap);
    snprintf(name, cap, "%s", pvm_op_table[i].name);
    return &t->op_cost[i];
}

static inline const char *pvm_table_kind_name(pvm_table_kind kind)
{
    return kind == PVM_TABLE_KIND_TABLE ? "table" : "pipeline";
}

/* Provenance lines 3..6: field name and storage. */
static inline char *pvm_cost_table_prov_field(pvm_table_provenance *p, int i, const char **name)
{
    static const char *const names[4] = {"calibration", "machine", "counters", "tool"};
    char *const fields[4] = {p->calibration, p->machine, p->counters, p->tool};
    *name = names[i];
    return fields[i];
}
#endif
