/* pvmlab-guest-mix: measures the benchmark guests' dynamic distributions (block lengths,
 * opcode mix, distance to the operand's producer) from their PVM builds and prints them as
 * the C data of costmodel/microbench/guest_mix_data.h. Run by scripts/guest_mix.sh, once,
 * when the guests or the linker change; the output is reviewed and checked in.
 *
 *   pvmlab-guest-mix GUESTS_DEF --target rv64 NAME.polkavm... --target rv32 NAME.polkavm...
 *   (NAME's quick size from GUESTS_DEF)
 *
 * One distribution per target: the rv64 and rv32 builds of the same C differ (64-bit
 * arithmetic in 32-bit halves, other ops, more parallel blocks), so the generator draws a
 * program from one target's distribution, never from a blend. Within a target each guest
 * is weighted equally: its histograms are turned into fractions, and the fractions are
 * averaged over the guests given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costmodel/microbench/address_sources.h"
#include "costmodel/microbench/branch_predictability.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "vm/util/file_read.h"
#include "vm/util/guest_manifest.h"

static const char *const OP_ID[PVM_OP_COUNT] = {
#define X(id, ...) #id,
#include "vm/isa/isa_table.def"
#undef X
};

enum { MAX_TARGETS = 4 };

typedef struct target_sums {
    char name[16];
    int guests;
    double ops[PVM_OP_COUNT], len[MB_MIX_MAX_BLOCK_LEN + 1], dep[MB_MIX_DEP_BUCKETS], critical, miss, miss_per_instr;
    double address[MB_ADDR_BUCKETS]; /* shares of register-addressed accesses */
} target_sums;

static long ppm(double sum, int guests)
{
    return (long)(1e6 * sum / guests + 0.5);
}

static void print_target(const target_sums *t)
{
    printf("    {\n        .target = \"%s\",\n        .builds = %d,\n        .op_ppm = {\n", t->name, t->guests);
    for (int op = 0; op < PVM_OP_COUNT; op++)
        if (ppm(t->ops[op], t->guests)) printf("            [PVM_OP_%s] = %ld,\n", OP_ID[op], ppm(t->ops[op], t->guests));
    printf("        },\n        .block_len_ppm = {");
    double entries = 0; /* per instruction, summed over lengths */
    for (int k = 1; k <= MB_MIX_MAX_BLOCK_LEN; k++) entries += t->len[k] / k;
    int column = 0;
    for (int k = 1; k <= MB_MIX_MAX_BLOCK_LEN; k++) {
        long v = (long)(1e6 * (t->len[k] / k) / entries + 0.5);
        if (!v) continue;
        printf("%s[%d] = %ld,", column % 6 ? " " : "\n            ", k, v);
        column++;
    }
    printf("\n        },\n        .dep_distance_ppm = {");
    for (int k = 0; k < MB_MIX_DEP_BUCKETS; k++) printf("%s%ld", k ? ", " : "", ppm(t->dep[k], t->guests));
    printf("},\n        .critical_path_ppm = %ld,\n", ppm(t->critical, t->guests));
    printf("        .branch_miss_ppm = %ld,\n", ppm(t->miss, t->guests));
    printf("        .mispredict_ppm = %ld,\n", ppm(t->miss_per_instr, t->guests));
    printf("        .address_ppm = {");
    for (int k = 0; k < MB_ADDR_BUCKETS; k++) printf("%s%ld", k ? ", " : "", ppm(t->address[k], t->guests));
    printf("},\n    },\n");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pvmlab-guest-mix GUESTS_DEF --target NAME NAME.polkavm... [--target NAME ...]\n");
        return 2;
    }
    static target_sums targets[MAX_TARGETS];
    int n_targets = 0;
    target_sums *t = NULL;
    util_guest *manifest = NULL;
    size_t n_manifest = 0;
    char manifest_err[512];
    if (util_guest_manifest_read(argv[1], &manifest, &n_manifest, manifest_err, sizeof manifest_err) != 0) {
        fprintf(stderr, "pvmlab-guest-mix: %s\n", manifest_err);
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--target") == 0) {
            if (i + 1 >= argc || n_targets == MAX_TARGETS || strlen(argv[i + 1]) >= sizeof t->name) {
                fprintf(stderr, "pvmlab-guest-mix: --target needs a short name (at most %d targets)\n", MAX_TARGETS);
                free(manifest);
                return 2;
            }
            t = &targets[n_targets++];
            snprintf(t->name, sizeof t->name, "%s", argv[++i]);
            continue;
        }
        if (!t) {
            fprintf(stderr, "pvmlab-guest-mix: %s: give --target NAME before the target's builds\n", argv[i]);
            free(manifest);
            return 2;
        }
        const char *path = argv[i], *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char name[128];
        snprintf(name, sizeof name, "%s", base);
        char *dot = strchr(name, '.');
        if (dot) *dot = 0;
        const util_guest *entry = util_guest_find(manifest, n_manifest, name);
        unsigned long size = entry ? (unsigned long)entry->quick_size : 0;
        size_t n = 0;
        uint8_t *blob = (uint8_t *)util_read_file(path, &n);
        if (!blob || !size) {
            fprintf(stderr, "pvmlab-guest-mix: %s: %s\n", path, blob ? "not in the guests file" : "cannot read");
            free(blob);
            free(manifest);
            return 1;
        }
        mb_dynamic_mix m;
        char err[256];
        uint64_t arg = size;
        mb_branch_stats bs;
        mb_address_sources as;
        if (mb_dynamic_mix_measure(blob, n, NULL, 0, 0, "run", &arg, 1, &m, err, sizeof err) != 0 ||
            mb_branch_predictability_measure(blob, n, NULL, 0, 0, "run", &arg, 1, &bs, err, sizeof err) != 0 ||
            mb_address_sources_measure(blob, n, NULL, 0, 0, "run", &arg, 1, &as, err, sizeof err) != 0) {
            fprintf(stderr, "pvmlab-guest-mix: %s: %s\n", path, err);
            free(blob);
            free(manifest);
            return 1;
        }
        free(blob);
        const char *dump = getenv("PVMLAB_GUEST_MIX_DUMP"); /* per-guest counts, for experiments */
        FILE *d = dump ? fopen(dump, "a") : NULL;
        if (d) {
            fprintf(d, "%s blocks %llu\n", path, (unsigned long long)m.blocks);
            for (int op = 0; op < PVM_OP_COUNT; op++)
                if (m.op_count[op]) fprintf(d, "%s %s %llu\n", path, pvm_op_table[op].name, (unsigned long long)m.op_count[op]);
            fclose(d);
        }
        for (int op = 0; op < PVM_OP_COUNT; op++) t->ops[op] += (double)m.op_count[op] / (double)m.instructions;
        /* Block lengths per instruction (the share of the guest's instructions executed in
         * blocks of k), averaged like everything else; print_target turns them back into
         * shares of block entries. Averaging the per-entry shares instead would weigh the
         * long-block guests' instructions less than the others': a generator drawing from
         * that makes blocks about 13 long where the guests' instructions sit in blocks of
         * about 9, and a third fewer branches per instruction than the guests'. */
        uint64_t in_blocks = 0;
        for (int k = 1; k <= MB_MIX_MAX_BLOCK_LEN; k++) in_blocks += (uint64_t)k * m.block_len[k];
        for (int k = 1; k <= MB_MIX_MAX_BLOCK_LEN; k++)
            t->len[k] += in_blocks ? (double)k * (double)m.block_len[k] / (double)in_blocks : 0;
        for (int k = 0; k < MB_MIX_DEP_BUCKETS; k++) t->dep[k] += (double)m.dep_distance[k] / (double)m.instructions;
        t->critical += (double)m.critical_path / (double)m.instructions;
        t->miss += bs.branches ? (double)bs.mispredicts / (double)bs.branches : 0;
        t->miss_per_instr += (double)bs.mispredicts / (double)m.instructions;
        fprintf(stderr, "%s: %llu instructions, %llu blocks, %.2f instructions per block, critical path %.2f of it\n",
                path, (unsigned long long)m.instructions, (unsigned long long)m.blocks,
                (double)m.instructions / (double)m.blocks, (double)m.critical_path / (double)m.instructions);
        fprintf(stderr, "%s: %llu conditional branches (%.1f per 100 instructions), %.2f%% taken, the predictor mispredicts %.2f%% of them\n",
                path, (unsigned long long)bs.branches, 100.0 * (double)bs.branches / (double)m.instructions,
                bs.branches ? 100.0 * (double)bs.taken / (double)bs.branches : 0.0,
                bs.branches ? 100.0 * (double)bs.mispredicts / (double)bs.branches : 0.0);
        double share[MB_ADDR_BUCKETS]; /* of the register-addressed accesses */
        for (int k = 0; k < MB_ADDR_BUCKETS; k++) {
            share[k] = as.accesses ? (double)as.bucket[k] / (double)as.accesses : 0;
            t->address[k] += share[k];
        }
        fprintf(stderr, "%s: %.1f register-addressed accesses per 100 instructions; their base: stack %.1f%%, "
                        "loaded <= 4 before %.1f%%, <= 16 %.1f%%, <= 64 %.1f%%, other %.1f%%\n",
                path, 100.0 * (double)as.accesses / (double)as.instructions, 100.0 * share[MB_ADDR_STACK],
                100.0 * share[MB_ADDR_LOADED_4], 100.0 * share[MB_ADDR_LOADED_16], 100.0 * share[MB_ADDR_LOADED_64],
                100.0 * share[MB_ADDR_OTHER]);
        t->guests++;
    }
    free(manifest);
    for (int k = 0; k < n_targets; k++)
        if (!targets[k].guests) {
            fprintf(stderr, "pvmlab-guest-mix: target %s has no builds\n", targets[k].name);
            return 2;
        }
    printf("/* Per target, each build weighted equally; fractions x 1e6, rounded. */\n");
    printf("static const mb_guest_mix MB_GUEST_MIX[MB_GUEST_TARGETS] = {\n");
    for (int k = 0; k < n_targets; k++) print_target(&targets[k]);
    printf("};\n");
    return 0;
}
