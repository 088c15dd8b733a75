/* pvm-link: RISC-V ELF (RV32E/RV64E) -> .polkavm container or GP standard program.
 * Exit status: 0 written, 1 the input cannot be translated, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf_reader.h"
#include "link.h"
#include "output_file.h"
#include "vm/gas/gas.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: pvm-link INPUT.elf -o OUTPUT [options]\n"
            "  --isa latest64|latest32|jamv1   target ISA (default: latest64 for ELF64, latest32 for ELF32)\n"
            "  --format polkavm|gp-standard    output format (default: polkavm)\n"
            "  --export NAME                   export a global function (when the ELF has no .polkavm_exports)\n"
            "  --entry NAME                    gp-standard: the export pc 0 jumps to (default: the first)\n"
            "  --stack-size BYTES              stack size (default: max(64 KiB, the guest's minimum))\n"
            "  --no-fuse-address               keep lui/auipc + addi/load/store pairs as two instructions\n"
            "  --no-fuse-compare               keep slt(i)(u) + beqz/bnez and li + branch on a dead register\n"
            "                                  as two instructions\n"
            "  --no-drop-moves                 emit mv x, x\n"
            "  --fuse-address, --fuse-compare, --drop-moves   turn a peephole back on (all are on by default)\n"
            "  --no-unlikely                   no gas-aware `unlikely` hints at branch targets (default: on for\n"
            "                                  latest32/latest64 .polkavm output: an `unlikely` where it does not raise\n"
            "                                  its block's pipeline cost, so the branches into that block are priced\n"
            "                                  as predicted; `--unlikely` turns them back on)\n"
            "  --unlikely-model MODEL          the pipeline model the hints are chosen under: pipeline-l1hit,\n"
            "                                  pipeline-l2hit (default, as PolkaVM's linker), pipeline-l3hit or\n"
            "                                  pipeline:FILE (a generated pipeline table)\n"
            "  --stats                         print instruction counts\n");
}

static bool parse_isa(const char *s, pvm_isa *isa)
{
    if (!strcmp(s, "latest64")) *isa = PVM_ISA_LATEST64;
    else if (!strcmp(s, "latest32")) *isa = PVM_ISA_LATEST32;
    else if (!strcmp(s, "jamv1")) *isa = PVM_ISA_JAMV1;
    else return false;
    return true;
}

int main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *isa_name = NULL, *unlikely_model = NULL;
    pvm_cost_model *model = NULL;
    const char **exports = calloc((size_t)argc, sizeof *exports);
    link_options opt = {.fuse_address = true, .fuse_compare = true, .drop_moves = true, .unlikely_hints = true};
    bool stats = false;
    size_t n_exports = 0;
    int rc = 2;
    if (!exports) return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            rc = 0;
            goto done;
        } else if (!strcmp(a, "--version")) {
            printf("pvm-link %s\n", pvm_version());
            rc = 0;
            goto done;
        } else if (!strcmp(a, "-o") && has_value) output = argv[++i];
        else if (!strcmp(a, "--isa") && has_value) isa_name = argv[++i];
        else if (!strcmp(a, "--format") && has_value) {
            const char *f = argv[++i];
            if (!strcmp(f, "gp-standard")) opt.gp_standard = true;
            else if (strcmp(f, "polkavm")) {
                fprintf(stderr, "pvm-link: unknown format %s (polkavm, gp-standard)\n", f);
                goto done;
            }
        } else if (!strcmp(a, "--export") && has_value) exports[n_exports++] = argv[++i];
        else if (!strcmp(a, "--entry") && has_value) opt.entry = argv[++i];
        else if (!strcmp(a, "--stack-size") && has_value) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 0);
            if (*end || v == 0 || v > 0x10000000) {
                fprintf(stderr, "pvm-link: bad --stack-size %s\n", argv[i]);
                goto done;
            }
            opt.stack_size = (uint32_t)v;
        } else if (!strcmp(a, "--no-fuse-address")) opt.fuse_address = false;
        else if (!strcmp(a, "--fuse-compare")) opt.fuse_compare = true;
        else if (!strcmp(a, "--no-fuse-compare")) opt.fuse_compare = false;
        else if (!strcmp(a, "--no-drop-moves")) opt.drop_moves = false;
        else if (!strcmp(a, "--fuse-address")) opt.fuse_address = true;
        else if (!strcmp(a, "--drop-moves")) opt.drop_moves = true;
        else if (!strcmp(a, "--no-unlikely")) opt.unlikely_hints = false;
        else if (!strcmp(a, "--unlikely")) opt.unlikely_hints = true;
        else if (!strcmp(a, "--unlikely-model") && has_value) unlikely_model = argv[++i];
        else if (!strcmp(a, "--stats")) stats = true;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "pvm-link: unknown option or missing value: %s\n", a);
            usage(stderr);
            goto done;
        } else if (!input) input = a;
        else {
            fprintf(stderr, "pvm-link: unexpected argument %s\n", a);
            goto done;
        }
    }
    if (!input || !output) {
        usage(stderr);
        goto done;
    }
    if (unlikely_model) {
        pvm_error err = {{0}};
        if (pvm_cost_model_new(unlikely_model, &model, &err) != PVM_OK) {
            fprintf(stderr, "pvm-link: --unlikely-model %s: %s\n", unlikely_model, err.msg);
            rc = 1;
            goto done;
        }
        if (model->kind != PVM_COST_PIPELINE) {
            fprintf(stderr, "pvm-link: --unlikely-model %s: not a pipeline model (pipeline-l1hit, pipeline-l2hit, "
                            "pipeline-l3hit, pipeline:FILE)\n", unlikely_model);
            goto done;
        }
        opt.unlikely_model = model->pipeline;
    }
    opt.export_names = exports;
    opt.n_export_names = n_exports;
    elf_file elf;
    char msg[512];
    rc = 1;
    if (!elf_load(input, &elf, msg, sizeof msg)) {
        fprintf(stderr, "pvm-link: %s: %s\n", input, msg);
        elf_free(&elf);
        goto done;
    }
    opt.isa = elf.is64 ? PVM_ISA_LATEST64 : PVM_ISA_LATEST32;
    if (isa_name && !parse_isa(isa_name, &opt.isa)) {
        fprintf(stderr, "pvm-link: unknown ISA %s (latest64, latest32, jamv1)\n", isa_name);
        elf_free(&elf);
        rc = 2;
        goto done;
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    link_stats st;
    bool ok = link_elf(&elf, &opt, &bytes, &len, &st, msg, sizeof msg);
    elf_free(&elf);
    if (!ok) {
        fprintf(stderr, "pvm-link: %s: %s\n", input, msg);
        goto done;
    }
    if (!write_file_atomically(output, bytes, len, msg, sizeof msg)) {
        fprintf(stderr, "pvm-link: %s\n", msg);
        free(bytes);
        goto done;
    }
    free(bytes);
    if (stats) {
        printf("riscv instructions: %zu\npvm instructions: %zu\njump table entries: %zu\nfused address pairs: %zu\n"
               "fused compare+branch: %zu\ndropped moves: %zu\noutput bytes: %zu\n",
               st.riscv_instructions, st.pvm_instructions, st.jump_table_entries, st.fused_address, st.fused_compare,
               st.dropped_moves, len);
        if (st.unlikely_candidates)
            printf("unlikely hints: %zu of %zu candidate blocks\n"
                   "conditional branches predicted (%s): %zu -> %zu of %zu\n"
                   "sum of block costs (%s): %llu -> %llu\n",
                   st.unlikely_inserted, st.unlikely_candidates, unlikely_model ? unlikely_model : "pipeline-l2hit",
                   st.predicted_branches_before, st.predicted_branches_after, st.conditional_branches,
                   unlikely_model ? unlikely_model : "pipeline-l2hit", (unsigned long long)st.block_cost_sum_before,
                   (unsigned long long)st.block_cost_sum_after);
    }
    rc = 0;
done:
    pvm_cost_model_free(model);
    free(exports);
    return rc;
}
