/* pvm-fuzz: differential fuzzing of the interpreter against the recompiler.
 *
 *   pvm-fuzz [--seed S] [--first K] [--count N] [--isa gp07|latest32|latest64|jamv1|revivev1]
 *            [--max-ins K] [--model COST-MODEL] [--save DIR] [--expect-deep] [--shallow]
 *            [--case-timeout-us U] [--shrink-seconds T] [--max-divergences D]
 *   pvm-fuzz --replay FILE...      replay reproducers; fails on any divergence
 *
 * Program k of a run is generated from (S, k) alone, so any program can be
 * regenerated (--first k --count 1). A divergence is shrunk and saved to DIR as a reproducer.
 * The report gives how the cases ended and how long they ran; --expect-deep
 * fails the run when most cases end early (the generator no longer reaches
 * deep: fewer than half end by halting or running out of gas, or fewer than
 * half run FZ_DEEP instructions). --shallow generates only the all-random
 * programs (no deep cases).
 *
 * A broken rule in a backend makes many cases diverge, and shrinking one tries a candidate
 * per instruction and round, each run to its end (up to 20M gas when the case had none): it
 * can take minutes. So shrinking stops after --shrink-seconds (10 by default; the case as far
 * as it got is still printed or saved), the run stops after --max-divergences (10), the
 * watchdog covers the shrinking too, and stdout is line-buffered so that a log shows each
 * divergence as it is found.
 *
 * --plant-divergence OP plants a bug for testing the fuzzer itself: after each run of a case
 * that holds OP, the recompiler's r7 gets bit 0 flipped, so cases holding OP diverge and
 * shrink to few instructions, one of them OP. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "fuzz_diff.h"
#include "vm/isa/isa.h"
#include "vm/util/clock.h"

#define PAGE_GROUP 256

/* The watchdog: a case ends by its gas or, without metering, by forward-only control flow, so one
 * that runs for --case-timeout-us (a minute by default) is a hang in a backend (a loop the
 * recompiler closed without a gas check, say). The handler names the program, which
 * regenerates from (seed, k), and exits 3. */
static char watchdog_line[256];
static uint64_t watchdog_us = 60000000;

static void watchdog_fired(int sig)
{
    (void)sig;
    ssize_t w = write(STDERR_FILENO, watchdog_line, strlen(watchdog_line));
    (void)w;
    _exit(3);
}

/* what: "" for the case's run, or the phase after it the watchdog also covers */
static void watchdog_arm(uint64_t seed, uint64_t k, const char *what)
{
    snprintf(watchdog_line, sizeof watchdog_line,
             "pvm-fuzz: program %" PRIu64 " (seed %" PRIu64 ")%s ran over %" PRIu64
             " us: a hang in one backend (alone: --seed %" PRIu64 " --first %" PRIu64 " --count 1)\n",
             k, seed, what, watchdog_us, seed, k);
    struct itimerval t = {.it_value = {.tv_sec = (time_t)(watchdog_us / 1000000),
                                       .tv_usec = (suseconds_t)(watchdog_us % 1000000)}};
    setitimer(ITIMER_REAL, &t, NULL);
}

static void watchdog_disarm(void)
{
    struct itimerval t = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &t, NULL);
}

/* A decimal count of flag; below min (or not a number) is one line on stderr naming the
 * flag, the value and what it must be ("not a <what>"), and false. */
static bool parse_count(const char *flag, const char *v, uint64_t min, const char *what, uint64_t *out)
{
    char *end;
    uint64_t n = strtoull(v, &end, 10);
    if (!*v || *end || *v == '-' || n < min) {
        fprintf(stderr, "pvm-fuzz: %s %s: not a %s\n", flag, v, what);
        return false;
    }
    *out = n;
    return true;
}

static int parse_isa(const char *s)
{
    for (int i = 0; i < PVM_ISA_COUNT; i++)
        if (strcmp(s, pvm_isa_name((pvm_isa)i)) == 0) return i;
    return atoi(s);
}

static int replay(fz_runner *r, int argc, char **argv, int first)
{
    int failed = 0, n = 0;
    for (int i = first; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        fz_case c;
        if (!f || !fz_read(f, &c)) {
            fprintf(stderr, "pvm-fuzz: %s: cannot read the case\n", argv[i]);
            if (f) fclose(f);
            failed++;
            continue;
        }
        fclose(f);
        char why[300] = "";
        fz_outcome o = fz_run(r, &c, why, sizeof why);
        n++;
        if (o == FZ_DIVERGED || o == FZ_ERROR) {
            printf("%s: DIVERGES: %s\n", argv[i], why);
            failed++;
        } else if (o == FZ_SKIPPED) { /* a saved case that no longer runs tests nothing */
            printf("%s: NOT RUN: %s\n", argv[i], why);
            failed++;
        } else {
            printf("%s: same; last exit %s at pc %u (fault address 0x%x)\n", argv[i], pvm_exit_name(r->last.kind),
                   r->last.pc, r->last.fault_address);
        }
        fz_case_free(&c);
    }
    printf("pvm-fuzz: replayed %d cases, %d failed\n", n, failed);
    return failed ? 1 : 0;
}

static void save(const fz_case *c, const char *dir, uint64_t seed, uint64_t k)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/div-%016" PRIx64 "-%" PRIu64 ".case", dir, seed, k);
    FILE *f = fopen(path, "w");
    if (f && fz_write(c, f)) printf("  saved %s\n", path);
    else fprintf(stderr, "pvm-fuzz: cannot write %s\n", path);
    if (f) fclose(f);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, count = 1000, first = 0;
    int isa = -1;
    uint32_t max_ins = 48;
    const char *save_dir = NULL, *model_name = NULL;
    bool expect_deep = false;
    int replay_from = 0;
    uint64_t shrink_seconds = 10, max_divergences = 10;
    int plant_op = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--replay") == 0) {
            replay_from = i + 1;
            break;
        } else if (v && strcmp(a, "--seed") == 0) {
            seed = strtoull(v, NULL, 0), i++;
        } else if (v && strcmp(a, "--first") == 0) {
            if (!parse_count(a, v, 0, "number", &first)) return 2;
            i++;
        } else if (v && strcmp(a, "--count") == 0) {
            count = strtoull(v, NULL, 0), i++;
        } else if (v && strcmp(a, "--isa") == 0) {
            isa = parse_isa(v), i++;
        } else if (v && strcmp(a, "--max-ins") == 0) {
            max_ins = (uint32_t)strtoul(v, NULL, 0), i++;
        } else if (v && strcmp(a, "--model") == 0) {
            model_name = v, i++;
        } else if (v && strcmp(a, "--case-timeout-us") == 0) {
            if (!parse_count(a, v, 1, "positive number of microseconds", &watchdog_us)) return 2;
            i++;
        } else if (v && strcmp(a, "--shrink-seconds") == 0) {
            if (!parse_count(a, v, 0, "number of seconds", &shrink_seconds)) return 2;
            i++;
        } else if (v && strcmp(a, "--max-divergences") == 0) {
            if (!parse_count(a, v, 1, "positive number", &max_divergences)) return 2;
            i++;
        } else if (v && strcmp(a, "--plant-divergence") == 0) {
            pvm_op op;
            if (!pvm_op_from_name(v, &op)) {
                fprintf(stderr, "pvm-fuzz: --plant-divergence %s: not an instruction name\n", v);
                return 2;
            }
            plant_op = (int)op, i++;
        } else if (strcmp(a, "--shallow") == 0) {
            fz_deep_in_four = 0;
        } else if (strcmp(a, "--expect-deep") == 0) {
            expect_deep = true;
        } else if (v && strcmp(a, "--save") == 0) {
            save_dir = v, i++;
        } else {
            fprintf(stderr, "usage: pvm-fuzz [--seed S] [--first K] [--count N] [--isa NAME] [--max-ins K] [--model M] [--save DIR] [--expect-deep] [--shallow] [--case-timeout-us U] [--shrink-seconds T] [--max-divergences D] [--plant-divergence OP] | --replay FILE...\n");
            return 2;
        }
    }
    fz_runner r;
    pvm_error err = {{0}};
    pvm_cost_model *model = NULL;
    if ((model_name && pvm_cost_model_new(model_name, &model, &err)) || fz_runner_init(&r, model, &err)) {
        fprintf(stderr, "pvm-fuzz: %s\n", err.msg);
        pvm_cost_model_free(model);
        return 2;
    }
    r.plant_op = plant_op;
    if (replay_from) {
        int rc = replay(&r, argc, argv, replay_from);
        fz_runner_free(&r);
        pvm_cost_model_free(model);
        return rc;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, watchdog_fired);
    double t0 = (util_now_ns() * 1e-9);
    uint64_t diverged = 0, skipped = 0, errors = 0;
    for (uint64_t k = first; k < first + count; k++) {
        fz_rng rng = {.state = seed * 0x9E3779B97F4A7C15ull ^ (k * 0xD1B54A32D192ED03ull)};
        fz_case c;
        /* programs in groups of PAGE_GROUP share their memory layout, so the runner maps it once */
        uint64_t page_seed = (seed * 0xA24BAED4963EE407ull) ^ ((k / PAGE_GROUP + 1) * 0x9FB21C651E98DF25ull);
        if (!fz_generate(&rng, isa, max_ins, page_seed | 1, &c)) {
            fprintf(stderr, "pvm-fuzz: out of memory\n");
            break;
        }
        char why[300] = "";
        watchdog_arm(seed, k, "");
        fz_outcome o = fz_run(&r, &c, why, sizeof why);
        watchdog_disarm();
        if (o == FZ_SKIPPED) skipped++;
        if (o == FZ_ERROR) {
            errors++;
            printf("program %" PRIu64 " (seed %" PRIu64 "): error: %s\n", k, seed, why);
        }
        if (o == FZ_DIVERGED) {
            diverged++;
            printf("program %" PRIu64 " (seed %" PRIu64 ", %s, gas mode %d): DIVERGES: %s\n", k, seed,
                   pvm_isa_name(c.isa), (int)c.gas_mode, why);
            uint32_t from = c.n_ins;
            watchdog_arm(seed, k, " while shrinking");
            uint32_t stopped = fz_shrink(&r, &c, shrink_seconds ? util_now_ns() + shrink_seconds * 1000000000ull : 1);
            fz_run(&r, &c, why, sizeof why);
            watchdog_disarm();
            if (stopped)
                printf("  shrinking stopped after %" PRIu64 " s: %u of %u instructions left: %s\n", shrink_seconds,
                       c.n_ins, from, why);
            else
                printf("  shrunk to %u instructions: %s\n", c.n_ins, why);
            if (save_dir) save(&c, save_dir, seed, k);
            else fz_write(&c, stdout);
        }
        fz_case_free(&c);
        if (diverged >= max_divergences) {
            printf("pvm-fuzz: stopped after %" PRIu64 " divergences (--max-divergences), at program %" PRIu64 "\n",
                   diverged, k);
            count = k + 1 - first;
            break;
        }
    }
    printf("pvm-fuzz: %" PRIu64 " programs, %" PRIu64 " divergences, %" PRIu64 " errors, %" PRIu64
           " rejected by both, %.1f s\n",
           count, diverged, errors, skipped, (util_now_ns() * 1e-9) - t0);
    printf("pvm-fuzz: exits: %" PRIu64 " halt, %" PRIu64 " panic, %" PRIu64 " page-fault, %" PRIu64 " out-of-gas, %" PRIu64
           " ecalli; %" PRIu64 " instructions executed\n",
           r.exits[0], r.exits[1], r.exits[2], r.exits[3], r.exits[4], r.instructions);
    uint64_t n = r.cases ? r.cases : 1, long_ends = r.final_exits[PVM_EXIT_HALT] + r.final_exits[PVM_EXIT_OUT_OF_GAS];
    printf("pvm-fuzz: cases ended: %.1f%% halt, %.1f%% out-of-gas, %.1f%% panic, %.1f%% page-fault, %.1f%% ecalli (run "
           "limit); %.0f instructions per case on average, %.1f%% ran >= %d\n",
           100.0 * r.final_exits[0] / n, 100.0 * r.final_exits[3] / n, 100.0 * r.final_exits[1] / n,
           100.0 * r.final_exits[2] / n, 100.0 * r.final_exits[4] / n, (double)r.instructions / n,
           100.0 * r.deep_cases / n, FZ_DEEP);
    bool shallow = expect_deep && (2 * long_ends < r.cases || 2 * r.deep_cases < r.cases);
    if (shallow) printf("pvm-fuzz: FAILED --expect-deep: most cases end early (the generator no longer reaches deep)\n");
    fz_runner_free(&r);
    pvm_cost_model_free(model);
    return diverged || errors || shallow ? 1 : 0;
}
