/* pvm run: execute a program as a small host (the standard host calls of
 * pvm/hostcalls.h) and report how it ended. Exit status: 0 halt, the guest's
 * status after pvm_exit, 3 any other guest exit, 1 error, 2 usage. --repeat N
 * makes the same call N times on the one instance, as the benchmarks do (warm:
 * memory as the run before left it), for A/B timings of the VM itself. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "vm/util/clock.h"
#include "vm/util/stats.h"

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
    bool have_gas = false, have_pc = false, stats = false, profile = false, quiet = false;
    uint64_t repeat = 1;
    size_t nargs = 0;
    for (int i = 1; i < argc; i++) {
        int r = cli_parse_vm_opt(argc, argv, &i, &o);
        if (r < 0) return CLI_EXIT_USAGE;
        if (r) continue;
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (!strcmp(a, "--stats")) stats = true;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = true;
        else if (!strcmp(a, "--gas-profile")) profile = true;
        else if (!strcmp(a, "--huge-pages")) huge = true;
        else if (!strcmp(a, "--lazy-pages") && has_next) lazy = argv[++i];
        else if (!strcmp(a, "--repeat") && has_next) {
            if (!cli_parse_u64(argv[++i], &repeat) || repeat < 1 || repeat > 1000000) {
                fprintf(stderr, "pvm: --repeat %s: not a count from 1 to 1000000\n", argv[i]);
                return CLI_EXIT_USAGE;
            }
        }
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
    /* Metered by default, with a limit that is printed: no silent endless run. */
    if (!o.gas_mode_set) o.gas_mode = PVM_GAS_SYNC;
    if (have_gas && o.gas_mode == PVM_GAS_NONE) {
        fprintf(stderr, "pvm run: --gas with --gas-mode none: give one or the other\n");
        return CLI_EXIT_USAGE;
    }
    pvm_engine *e;
    pvm_cost_model *model;
    pvm_module *m;
    uint8_t *bytes;
    int rc = cli_load(file, &o, &e, &model, &m, &bytes);
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
    if (o.gas_mode != PVM_GAS_NONE && !have_gas) gas = CLI_DEFAULT_GAS;
    pvm_result res, first = {0};
    int guest_status = -1;
    const char *stopped_by = NULL;
    double *walls = calloc((size_t)repeat, sizeof *walls), wall = 0;
    pvm_stats before = {0};
    if (!walls) {
        fprintf(stderr, "pvm: %s: out of memory for --repeat %" PRIu64 "\n", file, repeat);
        rc = 1;
        goto done;
    }
    for (uint64_t k = 0; k < repeat; k++) {
        if (k > 0 && pvm_instance_prepare_call(in, export_name, (uint32_t)pc, args, nargs, &err)) {
            fprintf(stderr, "pvm: %s: run %" PRIu64 " of --repeat: %s\n", file, k + 1, err.msg);
            rc = 1;
            goto done_walls;
        }
        pvm_instance_set_gas(in, gas);
        before = pvm_instance_stats(in);
        guest_status = -1;
        double t0 = (double)util_now_ns() * 1e-9;
        fflush(stdout); /* the guest writes with write(2) */
        for (;;) {
            if (pvm_instance_run(in, &res, &err) != PVM_OK) {
                fprintf(stderr, "pvm: %s: %s\n", file, err.msg);
                rc = 1;
                goto done_walls;
            }
            if (res.kind != PVM_EXIT_ECALLI) break;
            pvm_hostcall_outcome h = pvm_hostcalls_service(in, &res, &guest_status);
            if (h == PVM_HOSTCALL_RESUMABLE) continue;
            if (h == PVM_HOSTCALL_TRAPPED) {
                stopped_by = "pvm_write with a buffer outside guest memory: the guest was trapped";
                res.kind = PVM_EXIT_PANIC;
            }
            break;
        }
        walls[k] = (double)util_now_ns() * 1e-9 - t0;
        if (k == 0) {
            first = res;
            if (repeat > 1 && res.kind != PVM_EXIT_HALT) { /* only a call that returns can be made again */
                fprintf(stderr, "pvm: %s: --repeat: the run ended with %s at pc %u, not a return to the host\n", file,
                        pvm_exit_name(res.kind), res.pc);
                rc = 1;
                goto done_walls;
            }
        } else if (res.kind != first.kind || res.pc != first.pc) { /* a repeat times the same work or nothing */
            fprintf(stderr, "pvm: %s: run %" PRIu64 " of --repeat ended with %s at pc %u, the first with %s at pc %u\n",
                    file, k + 1, pvm_exit_name(res.kind), res.pc, pvm_exit_name(first.kind), first.pc);
            rc = 1;
            goto done_walls;
        }
    }
    double first_wall = walls[0];
    wall = util_median_inplace(walls, (size_t)repeat); /* sorts: walls[0] the least, walls[repeat - 1] the most */
    double min_wall = walls[0], max_wall = walls[repeat - 1];
    if (!quiet) {
        char name[96];
        if (guest_status >= 0) printf("exit: pvm_exit(%d) at pc %u", guest_status, res.pc);
        else printf("exit: %s at pc %u", pvm_exit_name(res.kind), res.pc);
        if (res.kind == PVM_EXIT_PAGE_FAULT) printf(" (address 0x%x)", res.fault_address);
        if (stopped_by) printf(" (%s)", stopped_by);
        if (res.kind == PVM_EXIT_ECALLI && guest_status < 0) {
            const char *imp = pvm_module_import_name(m, res.ecalli);
            printf(" (host call %u%s%s%s: not one of pvm run's host calls, see pvm run --help)", res.ecalli,
                   imp ? " '" : "", imp ? pvm_sanitize_name(imp, name, sizeof name) : "", imp ? "'" : "");
        }
        if (res.kind == PVM_EXIT_OUT_OF_GAS && !have_gas)
            printf(" (the default limit of %lld gas; raise it with --gas N)", (long long)CLI_DEFAULT_GAS);
        uint64_t a0 = pvm_instance_reg(in, PVM_REG_A0), a1 = pvm_instance_reg(in, PVM_REG_A1);
        printf("\na0: %" PRIu64 " (0x%" PRIx64 ")\n", a0, a0);
        if (pvm_module_isa(m) == PVM_ISA_LATEST32) { /* a 64-bit result of a 32-bit guest comes back in a0 (low) and a1 (high) */
            uint64_t wide = a1 << 32 | a0;
            printf("a1: %" PRIu64 " (0x%" PRIx64 ")\na1:a0: %" PRIu64 " (0x%" PRIx64 ")\n", a1, a1, wide, wide);
        }
        if (o.gas_mode != PVM_GAS_NONE)
            printf("gas: %" PRId64 " used of %" PRId64 "%s\n", gas - pvm_instance_gas(in), gas,
                   have_gas ? "" : " (default limit; --gas N to change, --gas-mode none for no limit)");
    }
    if (stats) {
        pvm_stats s = pvm_instance_stats(in); /* the last run's: the counts add up over the runs */
        s.instructions -= before.instructions, s.blocks -= before.blocks;
        pvm_module_timings T = pvm_module_compile_timings(m);
        if (s.counted) printf("instructions: %" PRIu64 "\nblocks: %" PRIu64 "\n", s.instructions, s.blocks);
        else printf("instructions: not counted by the recompiler\nblocks: not counted by the recompiler\n");
        if (o.gas_mode != PVM_GAS_NONE) printf("gas used: %" PRId64 "\n", gas - pvm_instance_gas(in));
        if (repeat > 1)
            printf("wall time: %.6f s (median of %" PRIu64 " runs on one instance; min %.6f, max %.6f, the first %.6f)\n",
                   wall, repeat, min_wall, max_wall, first_wall);
        else printf("wall time: %.6f s\n", wall);
        if (s.counted && wall > 0) printf("MIPS: %.1f\n", (double)s.instructions / wall / 1e6);
        printf("compile time: %.3f ms (parse %.3f, decode %.3f, gas %.3f, backend %.3f; "
               "CPU %.3f)\n",
               (double)T.total_ns / 1e6, (double)T.parse_ns / 1e6, (double)T.decode_ns / 1e6, (double)T.gas_ns / 1e6,
               (double)T.backend_ns / 1e6, (double)T.cpu_ns / 1e6);
    }
    if (profile) print_gas_profile(in, m);
    rc = guest_status >= 0 ? guest_status : res.kind == PVM_EXIT_HALT ? 0 : 3;
done_walls:
    free(walls);
done:
    pvm_instance_free(in);
    pvm_module_release(m);
done_engine:
    pvm_engine_free(e);
    pvm_cost_model_free(model);
    free(bytes);
    return rc;
}
