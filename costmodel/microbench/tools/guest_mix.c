/* pvmlab-guest-mix: measures the benchmark guests' dynamic distributions (block lengths,
 * opcode mix, distance to the operand's producer) from their PVM builds and prints them as
 * the C data of costmodel/microbench/guest_mix_data.h. Run by scripts/guest_mix.sh, once,
 * when the guests or the linker change; the output is reviewed and checked in.
 *
 *   pvmlab-guest-mix GUESTS_DEF NAME.polkavm...   (NAME's quick size from GUESTS_DEF)
 *
 * Each guest is weighted equally: its histograms are turned into fractions, and the
 * fractions are averaged over the guests given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costmodel/microbench/branch_predictability.h"
#include "costmodel/microbench/dynamic_mix.h"
#include "vm/util/file_read.h"
#include "vm/util/guest_manifest.h"

static const char *const OP_ID[PVM_OP_COUNT] = {
#define X(id, ...) #id,
#include "vm/isa/isa_table.def"
#undef X
};

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pvmlab-guest-mix GUESTS_DEF NAME.polkavm...\n");
        return 2;
    }
    static double ops[PVM_OP_COUNT], len[MB_MIX_MAX_BLOCK_LEN + 1], dep[MB_MIX_DEP_BUCKETS], critical, miss,
        miss_per_instr;
    util_guest *manifest = NULL;
    size_t n_manifest = 0;
    char manifest_err[512];
    if (util_guest_manifest_read(argv[1], &manifest, &n_manifest, manifest_err, sizeof manifest_err) != 0) {
        fprintf(stderr, "pvmlab-guest-mix: %s\n", manifest_err);
        return 1;
    }
    int guests = 0;
    for (int i = 2; i < argc; i++) {
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
        if (mb_dynamic_mix_measure(blob, n, NULL, 0, 0, "run", &arg, 1, &m, err, sizeof err) != 0) {
            fprintf(stderr, "pvmlab-guest-mix: %s: %s\n", path, err);
            free(blob);
            free(manifest);
            return 1;
        }
        mb_branch_stats bs;
        if (mb_branch_predictability_measure(blob, n, NULL, 0, 0, "run", &arg, 1, &bs, err, sizeof err) != 0) {
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
        for (int op = 0; op < PVM_OP_COUNT; op++) ops[op] += (double)m.op_count[op] / (double)m.instructions;
        for (int k = 0; k <= MB_MIX_MAX_BLOCK_LEN; k++) len[k] += (double)m.block_len[k] / (double)m.blocks;
        for (int k = 0; k < MB_MIX_DEP_BUCKETS; k++) dep[k] += (double)m.dep_distance[k] / (double)m.instructions;
        critical += (double)m.critical_path / (double)m.instructions;
        miss += bs.branches ? (double)bs.mispredicts / (double)bs.branches : 0;
        miss_per_instr += (double)bs.mispredicts / (double)m.instructions;
        fprintf(stderr, "%s: %llu instructions, %llu blocks, %.2f instructions per block, critical path %.2f of it\n",
                path, (unsigned long long)m.instructions, (unsigned long long)m.blocks,
                (double)m.instructions / (double)m.blocks, (double)m.critical_path / (double)m.instructions);
        fprintf(stderr, "%s: %llu conditional branches (%.1f per 100 instructions), %.2f%% taken, the predictor mispredicts %.2f%% of them\n",
                path, (unsigned long long)bs.branches, 100.0 * (double)bs.branches / (double)m.instructions,
                bs.branches ? 100.0 * (double)bs.taken / (double)bs.branches : 0.0,
                bs.branches ? 100.0 * (double)bs.mispredicts / (double)bs.branches : 0.0);
        guests++;
    }
    free(manifest);
    printf("/* %d guest builds, each weighted equally; fractions x 1e6, rounded. */\n", guests);
    printf("static const uint32_t MB_GUEST_OP_PPM[PVM_OP_COUNT] = {\n");
    for (int op = 0; op < PVM_OP_COUNT; op++) {
        long v = (long)(1e6 * ops[op] / guests + 0.5);
        if (v) printf("    [PVM_OP_%s] = %ld,\n", OP_ID[op], v);
    }
    printf("};\nstatic const uint32_t MB_GUEST_BLOCK_LEN_PPM[MB_MIX_MAX_BLOCK_LEN + 1] = {\n");
    for (int k = 0; k <= MB_MIX_MAX_BLOCK_LEN; k++) {
        long v = (long)(1e6 * len[k] / guests + 0.5);
        if (v) printf("    [%d] = %ld,\n", k, v);
    }
    printf("};\nstatic const uint32_t MB_GUEST_DEP_DISTANCE_PPM[MB_MIX_DEP_BUCKETS] = {");
    for (int k = 0; k < MB_MIX_DEP_BUCKETS; k++) printf("%s%ld", k ? ", " : "", (long)(1e6 * dep[k] / guests + 0.5));
    printf("};\nstatic const uint32_t MB_GUEST_CRITICAL_PATH_PPM = %ld;\n", (long)(1e6 * critical / guests + 0.5));
    printf("static const uint32_t MB_GUEST_BRANCH_MISS_PPM = %ld;\n", (long)(1e6 * miss / guests + 0.5));
    printf("static const uint32_t MB_GUEST_MISPREDICT_PPM = %ld;\n", (long)(1e6 * miss_per_instr / guests + 0.5));
    return 0;
}
