/* Cost model construction from a model name (pvm.h): unit, table:FILE,
 * pipeline-l1hit / -l2hit / -l3hit (the reference parameters) and
 * pipeline:FILE. */
#include "vm/memory/lazy_cost.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cost_table_keys.h"
#include "gas.h"

/* Writes the one-line message (if the caller wants it) and returns st. */
static pvm_status fail(pvm_error *err, pvm_status st, const char *fmt, const char *arg)
{
    if (err) snprintf(err->msg, sizeof err->msg, fmt, arg);
    return st;
}

static pvm_status invalid(pvm_error *err, const char *fmt, const char *arg)
{
    return fail(err, PVM_ERR_INVALID_ARGUMENT, fmt, arg);
}

static bool has_prefix(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* Load FILE of the wanted kind into m. */
static pvm_status from_file(pvm_cost_model *m, const char *path, pvm_table_kind want, pvm_error *err)
{
    pvm_cost_table *t = malloc(sizeof *t);
    if (!t) return fail(err, PVM_ERR_NO_MEMORY, "%s: out of memory", path);
    pvm_status st = pvm_cost_table_load(path, t, err);
    if (st == PVM_OK && t->kind != want) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "%s: is a '%s' table, the model needs a '%s' table", path,
                     pvm_table_kind_name(t->kind), pvm_table_kind_name(want));
        st = PVM_ERR_INVALID_ARGUMENT;
    }
    if (st == PVM_OK && want == PVM_TABLE_KIND_TABLE) memcpy(m->op_cost, t->op_cost, sizeof m->op_cost);
    if (st == PVM_OK && want == PVM_TABLE_KIND_PIPELINE) *m->pipeline = t->pipeline;
    if (st == PVM_OK) m->host = t->host;
    free(t);
    return st;
}

pvm_status pvm_cost_model_new(const char *name, pvm_cost_model **out, pvm_error *err)
{
    if (!out) return invalid(err, "%s", "pvm_cost_model_new: out is NULL");
    *out = NULL;
    if (!name) return invalid(err, "%s", "cost model name is NULL");
    if (strlen(name) >= sizeof((pvm_cost_model *)0)->name) return invalid(err, "cost model name too long: %.100s...", name);
    static const char *const levels[3] = {"pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    int level = 0;
    for (int i = 0; i < 3; i++)
        if (strcmp(name, levels[i]) == 0) level = i + 1;
    bool is_table = has_prefix(name, "table:"), is_pipeline_file = has_prefix(name, "pipeline:");
    if (strcmp(name, "unit") != 0 && !is_table && !is_pipeline_file && !level)
        return invalid(err,
                       "unknown cost model '%.100s' (expected unit, table:FILE, pipeline-l1hit, pipeline-l2hit, "
                       "pipeline-l3hit or pipeline:FILE)",
                       name);
    if ((is_table || is_pipeline_file) && !strchr(name, ':')[1]) return invalid(err, "cost model '%.100s' names no file", name);

    pvm_cost_model *m = calloc(1, sizeof *m);
    if (!m) return fail(err, PVM_ERR_NO_MEMORY, "%s", "out of memory");
    snprintf(m->name, sizeof m->name, "%s", name);
    m->host = pvm_host_costs_reference(); /* a table file replaces them */
    pvm_status st = PVM_OK;
    if (is_table) {
        m->kind = PVM_COST_TABLE;
        st = from_file(m, name + strlen("table:"), PVM_TABLE_KIND_TABLE, err);
    } else if (level || is_pipeline_file) {
        m->kind = PVM_COST_PIPELINE;
        m->pipeline = malloc(sizeof *m->pipeline);
        if (!m->pipeline) st = fail(err, PVM_ERR_NO_MEMORY, "%s", "out of memory");
        else if (level) pvm_pipeline_reference((uint32_t)level, m->pipeline);
        else st = from_file(m, name + strlen("pipeline:"), PVM_TABLE_KIND_PIPELINE, err);
    } else {
        m->kind = PVM_COST_UNIT;
    }
    if (st != PVM_OK) {
        pvm_cost_model_free(m);
        return st;
    }
    *out = m;
    return PVM_OK;
}

void pvm_cost_model_free(pvm_cost_model *m)
{
    if (!m) return;
    free(m->pipeline);
    free(m);
}

const char *pvm_cost_model_name(const pvm_cost_model *m) { return m ? m->name : "unit"; }

pvm_host_costs pvm_gas_host_costs(const pvm_cost_model *m)
{
    return m ? m->host : pvm_host_costs_reference();
}
