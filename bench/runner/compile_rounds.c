/* Where each compile of a set went (see compile_rounds.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compile_rounds.h"
#include "duration_format.h"
#include "vm/util/stats.h"

static bool find_stage(const bench_timing *t, const char *name, double *value)
{
    for (unsigned k = 0; k < t->stage_count; k++)
        if (strcmp(t->stages[k].name, name) == 0) {
            *value = (double)t->stages[k].ns;
            return true;
        }
    return false;
}

bool bench_compile_round_of(const bench_timing *t, bench_compile_round *out)
{
    static const char *const WALL[BENCH_COMPILE_STAGES] = {"decode_ns", "block_cost_ns", "codegen_ns"};
    static const char *const CPU[BENCH_COMPILE_STAGES][2] = {{"decode_cpu_t1_ns", "decode_cpu_t2_ns"},
                                                              {"block_cost_cpu_t1_ns", "block_cost_cpu_t2_ns"},
                                                              {"codegen_cpu_t1_ns", "codegen_cpu_t2_ns"}};
    memset(out, 0, sizeof *out);
    if (!find_stage(t, "parse_ns", &out->parse) || !find_stage(t, "compile_cpu_ns", &out->cpu_total) ||
        !find_stage(t, BENCH_PREEMPTIONS_STAGE, &out->preemptions))
        return false;
    out->wall = out->path_cpu = out->parse;
    for (int s = 0; s < BENCH_COMPILE_STAGES; s++) {
        if (!find_stage(t, WALL[s], &out->stage_wall[s]) || !find_stage(t, CPU[s][0], &out->cpu[s][0]) ||
            !find_stage(t, CPU[s][1], &out->cpu[s][1]))
            return false;
        out->wall += out->stage_wall[s];
        out->path_cpu += out->cpu[s][0] > out->cpu[s][1] ? out->cpu[s][0] : out->cpu[s][1];
    }
    out->waited = out->wall > out->path_cpu ? out->wall - out->path_cpu : 0;
    if (!find_stage(t, BENCH_INSTRUCTIONS_STAGE, &out->instructions)) out->instructions = 0;
    return true;
}

const char *bench_compile_round_verdict(const bench_compile_round *r)
{
    if (r->path_cpu >= BENCH_WORKED_SHARE * r->wall)
        return "worked";
    return r->preemptions > 0 ? "waited, preempted" : "waited, not preempted";
}

static void print_round(FILE *out, const char *label, size_t index, const bench_compile_round *r)
{
    static const char *const NAMES[BENCH_COMPILE_STAGES] = {"decode", "block costs", "codegen"};
    char text[32];
    bench_format_duration(r->wall, text, sizeof text);
    fprintf(out, "    %-7s #%zu: %s =", label, index + 1, text);
    for (int s = 0; s < BENCH_COMPILE_STAGES; s++) {
        char wall[32], t1[32], t2[32];
        bench_format_duration(r->stage_wall[s], wall, sizeof wall);
        bench_format_duration(r->cpu[s][0], t1, sizeof t1);
        bench_format_duration(r->cpu[s][1], t2, sizeof t2);
        fprintf(out, "%s %s %s (CPU %s | %s)", s ? " +" : "", NAMES[s], wall, t1, t2);
    }
    char path[32], waited[32], total[32];
    bench_format_duration(r->path_cpu, path, sizeof path);
    bench_format_duration(r->waited, waited, sizeof waited);
    bench_format_duration(r->cpu_total, total, sizeof total);
    fprintf(out, " + parse; path CPU %s, waited %s, CPU of all threads %s, preempted %.0f: %s\n", path, waited, total,
            r->preemptions, bench_compile_round_verdict(r));
}

/* Median and least of the compile's wall time and of its path CPU time, per instruction
 * (walls is scratch: left in no order; the caller reads rounds[i].wall after this). */
static void print_per_instruction(FILE *out, const bench_compile_round *rounds, double *walls, size_t n)
{
    double count = rounds[0].instructions;
    if (count <= 0)
        return;
    double wall_min = rounds[0].wall, path_min = rounds[0].path_cpu;
    for (size_t i = 0; i < n; i++) {
        wall_min = rounds[i].wall < wall_min ? rounds[i].wall : wall_min;
        path_min = rounds[i].path_cpu < path_min ? rounds[i].path_cpu : path_min;
        walls[i] = rounds[i].path_cpu;
    }
    double path_median = util_median_inplace(walls, n);
    for (size_t i = 0; i < n; i++)
        walls[i] = rounds[i].wall;
    double wall_median = util_median_inplace(walls, n);
    fprintf(out,
            "    per instruction (%.0f): wall median %.1f ns, least %.1f ns; path CPU median %.1f ns, least %.1f "
            "ns\n",
            count, wall_median / count, wall_min / count, path_median / count, path_min / count);
}

void bench_print_compile_rounds(FILE *out, const bench_timing *items, size_t n)
{
    bench_compile_round *rounds = n ? malloc(n * sizeof *rounds) : NULL;
    double *walls = n ? malloc(n * sizeof *walls) : NULL;
    bool all = rounds && walls;
    for (size_t i = 0; all && i < n; i++) {
        all = bench_compile_round_of(&items[i], &rounds[i]);
        walls[i] = all ? rounds[i].wall : 0;
    }
    if (all) {
        double median = util_median(walls, n);
        char text[32];
        bench_format_duration(median, text, sizeof text);
        fprintf(out, "    compiles (parse + decode + block costs + codegen, wall, sample order; * over %.2fx the "
                     "median %s):\n     ",
                BENCH_SLOW_COMPILE, text);
        size_t fastest = 0, at_median = 0;
        for (size_t i = 0; i < n; i++) {
            fprintf(out, " %.3f%s", walls[i] / 1e6, walls[i] > BENCH_SLOW_COMPILE * median ? "*" : "");
            fastest = walls[i] < walls[fastest] ? i : fastest;
            at_median = fabs(walls[i] - median) < fabs(walls[at_median] - median) ? i : at_median;
        }
        fprintf(out, " ms\n");
        print_per_instruction(out, rounds, walls, n);
        print_round(out, "fastest", fastest, &rounds[fastest]);
        print_round(out, "median", at_median, &rounds[at_median]);
        for (size_t i = 0; i < n; i++)
            if (rounds[i].wall > BENCH_SLOW_COMPILE * median)
                print_round(out, "slow", i, &rounds[i]);
    }
    free(walls);
    free(rounds);
}
