/* pvm run: execute a program and report how it ended. Exit status: 0 halt,
 * 3 any other guest exit, 1 error, 2 usage. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "util/clock.h"

typedef struct {
    uint32_t block, pc, cost;
    uint64_t entries, ticks, gas;
} block_profile;

static int by_gas(const void *a, const void *b)
{
    const block_profile *x = a, *y = b;
    return x->gas != y->gas ? (x->gas < y->gas ? 1 : -1) : (x->block > y->block) - (x->block < y->block);
}

/* The blocks that take the most gas, each with its share of time: where the
 * two shares differ, the model under- or over-charges that block. */
static void print_gas_profile(const pvm_instance *in, const pvm_module *m)
{
    uint32_t n = pvm_module_block_count(m);
    block_profile *p = calloc(n ? n : 1, sizeof *p);
    if (!p) return;
    uint64_t total_gas = 0, total_ticks = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[i].block = i;
        pvm_instance_profile_block(in, i, &p[i].entries, &p[i].ticks, &p[i].pc, &p[i].cost);
        p[i].gas = p[i].entries * p[i].cost;
        total_gas += p[i].gas;
        total_ticks += p[i].ticks;
    }
    qsort(p, n, sizeof *p, by_gas);
    printf("gas profile (top blocks by gas; time from TSC ticks, profiling overhead included)\n");
    printf("%8s %8s %12s %8s %8s %8s\n", "block@pc", "cost", "entries", "gas %", "time %", "time/gas");
    for (uint32_t i = 0; i < n && i < 15 && p[i].entries; i++) {
        double gs = total_gas ? 100.0 * (double)p[i].gas / (double)total_gas : 0,
               ts = total_ticks ? 100.0 * (double)p[i].ticks / (double)total_ticks : 0;
        printf("%8u %8u %12" PRIu64 " %7.2f%% %7.2f%% %8.2f\n", p[i].pc, p[i].cost, p[i].entries, gs, ts,
               gs > 0 ? ts / gs : 0.0);
    }
    free(p);
}

int cmd_run(int argc, char **argv)
{
    cli_vm_opts o = {0};
    const char *file = NULL, *export_name = NULL, *lazy = NULL;
    bool huge = false;
    uint64_t pc = 0, args[6];
    int64_t gas = 0;
    bool have_gas = false, have_pc = false, stats = false, profile = false;
    size_t nargs = 0;
    for (int i = 1; i < argc; i++) {
        int r = cli_parse_vm_opt(argc, argv, &i, &o);
        if (r < 0) return CLI_EXIT_USAGE;
        if (r) continue;
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (!strcmp(a, "--stats")) stats = true;
        else if (!strcmp(a, "--gas-profile")) profile = true;
        else if (!strcmp(a, "--huge-pages")) huge = true;
        else if (!strcmp(a, "--lazy-pages") && has_next) lazy = argv[++i];
        else if (!strcmp(a, "--export") && has_next) export_name = argv[++i];
        else if (!strcmp(a, "--pc") && has_next) {
            if (!cli_parse_u64(argv[++i], &pc) || pc > UINT32_MAX) {
                fprintf(stderr, "pvm: --pc %s: not a 32-bit unsigned number\n", argv[i]);
                return CLI_EXIT_USAGE;
            }
            have_pc = true;
        } else if (!strcmp(a, "--gas") && has_next) {
            if (!cli_parse_i64(argv[++i], &gas) || gas < 0) {
                fprintf(stderr, "pvm: --gas %s: not a non-negative number\n", argv[i]);
                return CLI_EXIT_USAGE;
            }
            have_gas = true;
        } else if (!strcmp(a, "--arg") && has_next) {
            if (nargs == 6) {
                fprintf(stderr, "pvm: at most 6 --arg values (a0..a5)\n");
                return CLI_EXIT_USAGE;
            }
            int64_t sv;
            if (!cli_parse_u64(argv[i + 1], &args[nargs]) && !(cli_parse_i64(argv[i + 1], &sv) && (args[nargs] = (uint64_t)sv, 1))) {
                fprintf(stderr, "pvm: --arg %s: not a number\n", argv[i + 1]);
                return CLI_EXIT_USAGE;
            }
            i++;
            nargs++;
        } else if (a[0] == '-') {
            fprintf(stderr, "pvm run: unknown option or missing value: %s\n", a);
            return CLI_EXIT_USAGE;
        } else if (!file) file = a;
        else {
            fprintf(stderr, "pvm run: unexpected argument %s\n", a);
            return CLI_EXIT_USAGE;
        }
    }
    if (!file) {
        fprintf(stderr, "pvm run: missing FILE\n");
        return CLI_EXIT_USAGE;
    }
    if (export_name && have_pc) {
        fprintf(stderr, "pvm run: give --export or --pc, not both\n");
        return CLI_EXIT_USAGE;
    }
    if (have_gas && !o.gas_mode_set) o.gas_mode = PVM_GAS_SYNC;
    pvm_engine *e;
    pvm_cost_model *model;
    pvm_module *m;
    int rc = cli_load(file, &o, &e, &model, &m);
    if (rc) goto done_engine;
    pvm_error err = {{0}};
    pvm_instance *in = NULL;
    if (pvm_instance_new(m, &in, &err) || (huge && pvm_instance_set_huge_pages(in, true, &err)) ||
        (lazy && pvm_instance_set_lazy_pages(in, lazy, &err)) ||
        pvm_instance_prepare_call(in, export_name, (uint32_t)pc, args, nargs, &err)) {
        fprintf(stderr, "pvm: %s: %s\n", file, err.msg);
        rc = 1;
        goto done;
    }
    if (profile && pvm_instance_profile_enable(in, true, &err)) {
        fprintf(stderr, "pvm: --gas-profile: %s\n", err.msg);
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    if (o.gas_mode != PVM_GAS_NONE && !have_gas) gas = INT64_MAX / 2;
    pvm_instance_set_gas(in, gas);
    pvm_result res;
    double t0 = (util_now_ns() * 1e-9);
    if (pvm_instance_run(in, &res, &err) != PVM_OK) {
        fprintf(stderr, "pvm: %s: %s\n", file, err.msg);
        rc = 1;
        goto done;
    }
    double wall = (util_now_ns() * 1e-9) - t0;
    printf("exit: %s at pc %u", pvm_exit_name(res.kind), res.pc);
    if (res.kind == PVM_EXIT_PAGE_FAULT) printf(" (address 0x%x)", res.fault_address);
    if (res.kind == PVM_EXIT_ECALLI) printf(" (host call %u: no host functions in pvm run)", res.ecalli);
    printf("\na0: %" PRIu64 " (0x%" PRIx64 ")\n", pvm_instance_reg(in, 7), pvm_instance_reg(in, 7));
    if (stats) {
        pvm_stats s = pvm_instance_stats(in);
        if (s.counted) printf("instructions: %" PRIu64 "\nblocks: %" PRIu64 "\n", s.instructions, s.blocks);
        else printf("instructions: not counted by the recompiler\nblocks: not counted by the recompiler\n");
        if (o.gas_mode != PVM_GAS_NONE) printf("gas used: %" PRId64 "\n", gas - pvm_instance_gas(in));
        printf("wall time: %.6f s\n", wall);
        if (s.counted && wall > 0) printf("MIPS: %.1f\n", (double)s.instructions / wall / 1e6);
        printf("compile time: %.3f ms\n", (double)s.compile_ns / 1e6);
    }
    if (profile) print_gas_profile(in, m);
    rc = res.kind == PVM_EXIT_HALT ? 0 : 3;
done:
    pvm_instance_free(in);
    pvm_module_release(m);
done_engine:
    pvm_engine_free(e);
    pvm_cost_model_free(model);
    return rc;
}
