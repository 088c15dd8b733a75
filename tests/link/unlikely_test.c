/* pvm-link's gas-aware `unlikely` hints (bench/link/unlikely_hints.c), checked on what
 * pvm-link writes: each ELF is linked with --no-unlikely and with the default, both
 * programs are decoded and priced block by block under the pipeline model the hints were
 * chosen for, and
 *   - the two programs have the same blocks, the hinted one with `unlikely` as the first
 *     instruction of some of them and nothing else changed;
 *   - no block costs more with the hints, no branch predicted without them is mispredicted
 *     with them, and (where there are hints) some branch became predicted and the sum of
 *     the block costs fell;
 *   - on asm-tests/cold_path.S the branch to the cold block is mispredicted without hints
 *     and predicted with them, and its block is strictly cheaper;
 *   - the same holds with --unlikely-model pipeline-l1hit, priced under that model.
 * The hinted programs' results are checked by the assembly tests (link_asm_*: the default
 * variant has hints, _plain has none) and the guests' checksums by link_guests.
 * argv: PVM_LINK OUT_DIR GUEST_DIR COLD_PATH_ELF64 COLD_PATH_ELF32 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vm/gas/gas.h"
#include "vm/gas/pipeline_sim.h"
#include "vm/program/program.h"
#include "vm/util/file_read.h"
#include "vm/util/process.h"

static const char *pvm_link, *out_dir, *guest_dir, *cold64, *cold32;

typedef struct {
    uint8_t *bytes;
    pvm_program prog;
    pvm_decoded d;
    uint32_t *cost;
} linked;

/* pvm-link ELF -o OUT_DIR/NAME.polkavm [extra...], then parse, decode and price it. */
static bool is_asm_test(const char *elf) { return elf == cold64 || elf == cold32; } /* no .polkavm_exports */

static void link_and_price(const char *elf, const char *name, const char *const *extra, size_t n_extra,
                           const pvm_pipeline_params *p, linked *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.polkavm", out_dir, name);
    char *argv[16] = {(char *)pvm_link, (char *)elf, "-o", path, "--export", "test_main"};
    size_t n = is_asm_test(elf) ? 6 : 4;
    for (size_t i = 0; i < n_extra; i++) argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    util_process_result r;
    char err[256];
    assert_int_equal(util_process_run(argv, &r, err, sizeof err), 0);
    if (r.exit_status != 0) fail_msg("pvm-link %s: %s", elf, r.stderr_text);
    util_process_result_free(&r);
    size_t len;
    out->bytes = (uint8_t *)util_read_file(path, &len);
    assert_non_null(out->bytes);
    pvm_error perr = {{0}};
    assert_int_equal(pvm_program_parse(out->bytes, len, PVM_FORMAT_POLKAVM, PVM_ISA_LATEST64, &out->prog, &perr), PVM_OK);
    assert_int_equal(pvm_decode_program(out->prog.isa, out->prog.code, out->prog.code_len, out->prog.bitmask,
                                        out->prog.jump_table, out->prog.jt_len, &out->d, &perr),
                     PVM_OK);
    out->cost = malloc((out->d.n_blocks ? out->d.n_blocks : 1) * sizeof *out->cost);
    assert_non_null(out->cost);
    assert_true(pvm_pipeline_block_costs(p, &out->d, out->cost));
}

static void linked_free(linked *x)
{
    free(x->cost);
    pvm_decoded_free(&x->d);
    pvm_program_free(&x->prog);
    free(x->bytes);
}

static const pvm_instr *terminator(const pvm_decoded *d, uint32_t b)
{
    return &d->instrs[d->blocks[b].first + d->blocks[b].count - 1];
}

static bool is_branch(const pvm_decoded *d, const pvm_instr *in)
{
    return pvm_op_pipeline_class(pvm_gas_charged_op(d, in)) == PVM_CLASS_BRANCH;
}

typedef struct {
    size_t hints, cheaper_blocks, newly_predicted;
    uint64_t cost_plain, cost_hinted;
    bool cold_branch_ok; /* cold_path only: the branch into the cold block */
} comparison;

/* The checks every ELF must pass; returns what changed. */
static comparison compare(const linked *plain, const linked *hinted, bool want_hints)
{
    comparison c = {0};
    const pvm_decoded *d0 = &plain->d, *d1 = &hinted->d;
    assert_int_equal(d0->n_blocks, d1->n_blocks);
    for (uint32_t b = 0; b < d0->n_blocks; b++) {
        const pvm_block *b0 = &d0->blocks[b], *b1 = &d1->blocks[b];
        bool hint = b1->count == b0->count + 1;
        if (!hint) assert_int_equal(b1->count, b0->count);
        else assert_int_equal(d1->instrs[b1->first].op, PVM_OP_UNLIKELY);
        for (uint32_t i = 0; i < b0->count; i++) /* the same instructions otherwise */
            assert_int_equal(d0->instrs[b0->first + i].op, d1->instrs[b1->first + hint + i].op);
        if (hinted->cost[b] > plain->cost[b])
            fail_msg("block %u (pc %u) costs %u with hints, %u without", b, d1->instrs[b1->first].pc, hinted->cost[b],
                     plain->cost[b]);
        c.hints += hint;
        c.cheaper_blocks += hinted->cost[b] < plain->cost[b];
        c.cost_plain += plain->cost[b];
        c.cost_hinted += hinted->cost[b];
        const pvm_instr *t0 = terminator(d0, b), *t1 = terminator(d1, b);
        if (!is_branch(d0, t0)) continue;
        bool p0 = pvm_pipeline_branch_predicted(d0, t0), p1 = pvm_pipeline_branch_predicted(d1, t1);
        assert_true(p1 || !p0); /* hints only ever make a branch predicted */
        c.newly_predicted += p1 && !p0;
        /* cold_path: the branch_eq_imm into the block that loads, stores, divides and jumps back */
        if (t1->op == PVM_OP_BRANCH_EQ_IMM && t1->target != PVM_NO_INDEX &&
            d1->instrs[t1->target].op == PVM_OP_UNLIKELY && !p0 && p1 && hinted->cost[b] < plain->cost[b])
            c.cold_branch_ok = true;
    }
    if (want_hints) assert_true(c.hints > 0 && c.newly_predicted > 0 && c.cost_hinted < c.cost_plain);
    return c;
}

static void check_elf(const char *elf, const char *name, const char *model_name, bool want_hints, comparison *out)
{
    pvm_cost_model *m = NULL;
    pvm_error err = {{0}};
    assert_int_equal(pvm_cost_model_new(model_name, &m, &err), PVM_OK);
    const char *plain_args[] = {"--no-unlikely"};
    const char *hint_args[] = {"--unlikely-model", model_name};
    char n0[128], n1[128];
    snprintf(n0, sizeof n0, "unlikely-%s-plain", name);
    snprintf(n1, sizeof n1, "unlikely-%s-%s", name, model_name);
    linked plain, hinted;
    link_and_price(elf, n0, plain_args, 1, m->pipeline, &plain);
    link_and_price(elf, n1, hint_args, 2, m->pipeline, &hinted);
    *out = compare(&plain, &hinted, want_hints);
    printf("  %-28s %-15s %4zu hints, %4zu branches now predicted, %4zu blocks cheaper, block cost sum %llu -> %llu\n",
           name, model_name, out->hints, out->newly_predicted, out->cheaper_blocks,
           (unsigned long long)out->cost_plain, (unsigned long long)out->cost_hinted);
    linked_free(&plain);
    linked_free(&hinted);
    pvm_cost_model_free(m);
}

static void test_cold_path(void **state)
{
    (void)state;
    const char *models[] = {"pipeline-l2hit", "pipeline-l1hit"};
    for (size_t m = 0; m < 2; m++) {
        comparison c;
        check_elf(cold64, "cold_path.rv64", models[m], true, &c);
        assert_true(c.cold_branch_ok);
        check_elf(cold32, "cold_path.rv32", models[m], true, &c);
        assert_true(c.cold_branch_ok);
    }
}

/* The default is on: without options the program is the hinted one. */
static void test_default_is_on(void **state)
{
    (void)state;
    pvm_pipeline_params ref;
    pvm_pipeline_reference(2, &ref);
    linked def;
    link_and_price(cold64, "unlikely-cold_path-default", NULL, 0, &ref, &def);
    size_t unlikely = 0;
    for (uint32_t i = 0; i < def.d.n_instrs; i++) unlikely += def.d.instrs[i].op == PVM_OP_UNLIKELY;
    assert_true(unlikely > 0);
    linked_free(&def);
}

/* Every benchmark guest ELF of this build: no block dearer, both widths. */
static void test_guests(void **state)
{
    (void)state;
    static const char *names[] = {"sieve", "sha256", "keccak", "field25519", "sort_search", "bytecode_vm",
                                  "lz77", "json_tokens", "hash_table", "linked_list", "matmul", "crc32",
                                  "state_machine", "gas_quiz_stride1", "large_program"};
    size_t found = 0, hints = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        for (int w = 0; w < 2; w++) {
            char elf[1024], name[128];
            snprintf(elf, sizeof elf, "%s/%s/%s.elf", guest_dir, w ? "rv32" : "rv64", names[i]);
            if (!util_file_exists(elf)) continue;
            snprintf(name, sizeof name, "%s.%s", names[i], w ? "rv32" : "rv64");
            comparison c;
            check_elf(elf, name, "pipeline-l2hit", false, &c);
            found++;
            hints += c.hints;
        }
    }
    if (!found) {
        printf("  no guest ELFs under %s (build the `guests` target): guests not checked\n", guest_dir);
        return;
    }
    assert_true(hints > 0);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: link-unlikely-test PVM_LINK OUT_DIR GUEST_DIR COLD_PATH_ELF64 COLD_PATH_ELF32\n");
        return 2;
    }
    pvm_link = argv[1], out_dir = argv[2], guest_dir = argv[3], cold64 = argv[4], cold32 = argv[5];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cold_path),
        cmocka_unit_test(test_default_is_on),
        cmocka_unit_test(test_guests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
