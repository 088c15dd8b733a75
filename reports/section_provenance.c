/* Machine and counter provenance: machines, the build, and per counter whether it was
 * available in the newest run, with the stored reason when it was not. */
#include <stdio.h>
#include <string.h>

#include "report_context.h"
#include "results/store_listing.h"

/* A table that appears with its first row, as report tables of stored rows do. */
typedef struct lazy_table {
    report_context *ctx;
    const char *align;
    const char *const *header;
    long t;
    int rows;
} lazy_table;

static void add_row(lazy_table *table, const char *const *row)
{
    if (table->t < 0)
        table->t = report_table(table->ctx->doc, table->align, table->header);
    report_table_row(table->ctx->doc, table->t, row);
    table->rows++;
}

#define LAZY_TABLE(context, alignment, columns) {.ctx = (context), .align = (alignment), .header = (columns), .t = -1}

/* 0, or -1 with the database's error in err. */
static int read_failed(report_context *ctx, char *err, size_t err_len)
{
    snprintf(err, err_len, "%s", pvmlab_db_error(ctx->db));
    return -1;
}

static int add_counter(const pvmlab_counter_status *status, void *context)
{
    char with[32], without[32], verdict[PVMLAB_COUNTER_TEXT_MAX + 32];
    snprintf(with, sizeof with, "%lld", (long long)status->with_value);
    snprintf(without, sizeof without, "%lld", (long long)status->without_value);
    if (status->without_value == 0)
        snprintf(verdict, sizeof verdict, "available");
    else
        snprintf(verdict, sizeof verdict, "unavailable (%s)", status->unavailable_reason);
    const char *row[] = {status->name, status->source, with, without, verdict};
    add_row(context, row);
    return 0;
}

/* The counters of one run: per counter, how many samples had a value, and why not. */
static int counters_of_run(report_context *ctx, pvmlab_id run, char *err, size_t err_len)
{
    char title[96];
    snprintf(title, sizeof title, "Counters in run %lld", (long long)run);
    report_heading(ctx->doc, 3, title);
    report_paragraph(ctx->doc, "Every counter pvmlab tried in run %lld, with how many samples had a value. An "
                               "unavailable counter is stored as NULL with the reason, never as 0.",
                     (long long)run);
    static const char *const header[] = {"counter", "source", "samples with a value", "samples without", "status"};
    lazy_table table = LAZY_TABLE(ctx, "llrrl", header);
    if (pvmlab_db_foreach_counter_status(ctx->db, run, add_counter, &table) != 0)
        return read_failed(ctx, err, err_len);
    if (table.rows == 0)
        report_note(ctx->doc, "Run %lld stored no counter readings: only wall time was measured.", (long long)run);
    return 0;
}

static int add_machine(const pvmlab_machine_row *stored, void *context)
{
    const pvmlab_machine_info *machine = &stored->info;
    char number[32], cores[32], pmu[PVMLAB_COUNTER_TEXT_MAX + 32];
    snprintf(number, sizeof number, "%lld", (long long)stored->id);
    snprintf(cores, sizeof cores, "%d", machine->cores);
    if (machine->pmu_available)
        snprintf(pmu, sizeof pmu, "available");
    else
        snprintf(pmu, sizeof pmu, "unavailable (%s)", machine->pmu_reason);
    const char *row[] = {number, machine->hostname, machine->cpu_model, cores, machine->kernel, pmu};
    add_row(context, row);
    return 0;
}

static int add_run(const pvmlab_run_row *run, void *context)
{
    char id[32], samples[32];
    snprintf(id, sizeof id, "%lld", (long long)run->id);
    snprintf(samples, sizeof samples, "%lld", (long long)run->samples);
    const char *row[] = {id, run->started_at, run->hostname, run->command_line, samples,
                         run->git_rev ? run->git_rev : "not recorded"};
    add_row(context, row);
    return 0;
}

static int add_state(const char *key, const char *value, void *context)
{
    const char *row[] = {key, value};
    add_row(context, row);
    return 0;
}

static int add_build(const pvmlab_run_row *run, void *context)
{
    const char *row[] = {run->build.compiler, run->build.flags, run->build.git_rev, run->build.tool_version};
    add_row(context, row);
    return 0;
}

int section_provenance(report_context *ctx, char *err, size_t err_len)
{
    report_heading(ctx->doc, 2, "Machine and counter provenance");
    static const char *const machine_header[] = {"machine", "hostname", "CPU", "cores", "kernel", "hardware PMU"};
    lazy_table machines = LAZY_TABLE(ctx, "lllrll", machine_header);
    if (pvmlab_db_foreach_machine(ctx->db, add_machine, &machines) != 0)
        return read_failed(ctx, err, err_len);
    if (machines.rows == 0)
        report_note(ctx->doc, "No machine recorded yet (every pvmlab bench or calibrate run records one).");
    /* Runs merged from several machines (pvmlab bench --shard, pvmlab db merge): which
     * machine measured which samples. */
    report_heading(ctx->doc, 3, "Runs and the machines that measured them");
    static const char *const runs_header[] = {"run", "started", "machine", "command", "samples", "source (git)"};
    lazy_table runs = LAZY_TABLE(ctx, "rlllrl", runs_header);
    if (pvmlab_db_foreach_run(ctx->db, 0, add_run, &runs) != 0)
        return read_failed(ctx, err, err_len);
    if (ctx->latest.run != 0) {
        report_heading(ctx->doc, 3, "State of the machine in the newest bench run");
        static const char *const state_header[] = {"what", "value"};
        lazy_table state = LAZY_TABLE(ctx, "ll", state_header);
        if (pvmlab_db_foreach_run_provenance(ctx->db, ctx->latest.run, add_state, &state) != 0)
            return read_failed(ctx, err, err_len);
        if (state.rows == 0)
            report_note(ctx->doc, "Run %lld recorded no machine state (older pvmlab).", (long long)ctx->latest.run);
    }
    if (ctx->latest.run != 0) {
        report_heading(ctx->doc, 3, "Build of the newest bench run");
        static const char *const build_header[] = {"compiler", "flags", "git revision", "pvmlab version"};
        lazy_table build = LAZY_TABLE(ctx, "llll", build_header);
        if (pvmlab_db_foreach_run(ctx->db, ctx->latest.run, add_build, &build) != 0)
            return read_failed(ctx, err, err_len);
    }
    /* Counters of the newest bench run, and of the newest run that read counters at all
     * (pvmlab calibrate reads them for every microbenchmark; bench may not). */
    pvmlab_id counted_run;
    if (pvmlab_db_latest_counted_run(ctx->db, &counted_run) != 0)
        return read_failed(ctx, err, err_len);
    if (ctx->latest.run != 0 && counters_of_run(ctx, ctx->latest.run, err, err_len) != 0)
        return -1;
    if (counted_run != 0 && counted_run != ctx->latest.run)
        return counters_of_run(ctx, counted_run, err, err_len);
    if (counted_run == 0 && ctx->latest.run == 0)
        report_note(ctx->doc, "No counter readings stored yet (pvmlab calibrate and pvmlab bench record them).");
    return 0;
}
