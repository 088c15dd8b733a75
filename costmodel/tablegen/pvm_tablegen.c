/* pvm-tablegen: writes the checked-in default cost tables (and, with
 * --c-header, a C header that compiles a table in). Output is a pure
 * function of the arguments: the same call gives the same bytes.
 *
 *   pvm-tablegen MODEL [-o FILE] [--c-header SYMBOL] [--check FILE]
 *                [--calibration ID] [--machine NAME] [--counters SOURCE]
 *   MODEL: unit | pipeline-l1hit | pipeline-l2hit | pipeline-l3hit | FILE.table|FILE.pipeline
 * A FILE model re-emits a table file (load, then write: must be identical).
 * --check FILE exits 1 unless FILE holds exactly the bytes that would be
 * written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/gas/cost_table.h"

#define TOOL "pvm-tablegen 1"

static int usage(void)
{
    fprintf(stderr, "usage: pvm-tablegen unit|pipeline-l1hit|pipeline-l2hit|pipeline-l3hit|FILE [-o FILE] "
                    "[--c-header SYMBOL] [--check FILE] [--calibration ID] [--machine NAME] [--counters SOURCE]\n");
    return 2;
}

static void set(char *field, size_t cap, const char *value) { snprintf(field, cap, "%s", value); }

/* The reference tables: unit costs and PolkaVM's Full-model constants. */
static int reference_table(const char *model, pvm_cost_table *t)
{
    memset(t, 0, sizeof *t);
    t->host = pvm_host_costs_reference();
    set(t->prov.machine, sizeof t->prov.machine, "none");
    set(t->prov.counters, sizeof t->prov.counters, "none");
    set(t->prov.tool, sizeof t->prov.tool, TOOL);
    if (strcmp(model, "unit") == 0) {
        t->kind = PVM_TABLE_KIND_TABLE;
        for (int op = 0; op < PVM_OP_COUNT; op++) t->op_cost[op] = 1;
        set(t->prov.calibration, sizeof t->prov.calibration, "builtin-unit (GP 0.7: 1 per instruction)");
        return 0;
    }
    static const char *const levels[3] = {"pipeline-l1hit", "pipeline-l2hit", "pipeline-l3hit"};
    for (uint32_t i = 0; i < 3; i++) {
        if (strcmp(model, levels[i]) != 0) continue;
        t->kind = PVM_TABLE_KIND_PIPELINE;
        pvm_pipeline_reference(i + 1, &t->pipeline);
        set(t->prov.calibration, sizeof t->prov.calibration, "builtin-reference (PolkaVM Full model, polkavm e88d5b4f)");
        return 0;
    }
    return -1;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = malloc(PVM_COST_TABLE_MAX_BYTES + 1);
    *len = buf ? fread(buf, 1, PVM_COST_TABLE_MAX_BYTES + 1, f) : 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') return usage();
    const char *model = argv[1], *out = NULL, *symbol = NULL, *check = NULL;
    const char *calibration = NULL, *machine = NULL, *counters = NULL;
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "-o") == 0               ? &out
                            : strcmp(argv[i], "--c-header") == 0    ? &symbol
                            : strcmp(argv[i], "--check") == 0       ? &check
                            : strcmp(argv[i], "--calibration") == 0 ? &calibration
                            : strcmp(argv[i], "--machine") == 0     ? &machine
                            : strcmp(argv[i], "--counters") == 0    ? &counters
                                                                    : NULL;
        if (!slot || i + 1 >= argc) return usage();
        *slot = argv[++i];
    }
    pvm_cost_table *t = calloc(1, sizeof *t);
    if (!t) return 1;
    pvm_error err = {{0}};
    if (reference_table(model, t) != 0 && pvm_cost_table_load(model, t, &err) != PVM_OK) {
        fprintf(stderr, "pvm-tablegen: %s\n", err.msg[0] ? err.msg : "unknown model");
        return 1;
    }
    if (calibration) set(t->prov.calibration, sizeof t->prov.calibration, calibration);
    if (machine) set(t->prov.machine, sizeof t->prov.machine, machine);
    if (counters) set(t->prov.counters, sizeof t->prov.counters, counters);

    size_t len = 0;
    char *bytes = symbol ? pvm_cost_table_format_c_header(t, symbol, &len) : pvm_cost_table_format(t, &len);
    free(t);
    if (!bytes) {
        fprintf(stderr, "pvm-tablegen: cannot format (bad provenance text or symbol, or out of memory)\n");
        return 1;
    }
    int rc = 0;
    if (check) {
        size_t have_len = 0;
        unsigned char *have = read_all(check, &have_len);
        if (!have || have_len != len || memcmp(have, bytes, len) != 0) {
            fprintf(stderr, "pvm-tablegen: %s differs from the generated %s table\n", check, model);
            rc = 1;
        }
        free(have);
    } else if (out) {
        if (pvm_cost_table_write_file(out, bytes, len, &err) != PVM_OK) {
            fprintf(stderr, "pvm-tablegen: %s\n", err.msg);
            rc = 1;
        }
    } else if (fwrite(bytes, 1, len, stdout) != len) {
        rc = 1;
    }
    free(bytes);
    return rc;
}
