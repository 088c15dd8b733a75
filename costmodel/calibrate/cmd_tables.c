/* pvmlab tables: a stored calibration to cost table files.
 *
 *   pvmlab tables [--db PATH] --calibration UUID|ID --model table|pipeline-l1hit|pipeline-l2hit|pipeline-l3hit
 *                 --out DIR [--ps-per-gas N] [--fidelity quick|smoke|none]
 *                 [--max-rel-error R | --allow-noisy]
 * Writes DIR/MODEL-UUID.table (or .pipeline): named by the calibration's uuid, never by a
 * local row id, so the same calibration gives the same file name and the same bytes in any
 * database that holds it (after `pvmlab db merge` too). The table is also stored in the
 * database (cost_tables). Fidelity (timing, so not part of the file) is stored per program
 * set (results_fidelity.h), printed as read back from the database, and written next to the
 * table as FILE.fidelity; the calibration programs are also stored as samples of a fidelity
 * run. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results/calibration_read.h"
#include "vm/util/cli_options.h"
#include "cmd_calibrate.h"
#include "fidelity.h"
#include "fidelity_generated.h"
#include "costmodel/microbench/microbench.h"
#include "fidelity_guests.h"
#include "results/results_fidelity.h"
#include "table_generate.h"
#include "costmodel/counters/counters.h"

#ifndef PVMLAB_TOOL_VERSION
#define PVMLAB_TOOL_VERSION "unknown"
#endif

static const char USAGE[] =
    "usage: pvmlab tables [--db PATH] --calibration UUID|ID --model table|pipeline-l1hit|pipeline-l2hit|pipeline-l3hit\n"
    "                     --out DIR [--ps-per-gas N] [--fidelity quick|smoke|none] [--max-rel-error R | --allow-noisy]\n"
    "                     [--pipeline-params converted|reference-core|fitted]\n"
    "  writes DIR/MODEL-UUID.table|.pipeline (the calibration's uuid; same rows and flags -> same bytes),\n"
    "  stores it in the database, then measures fidelity under it (--fidelity): ns/gas per program,\n"
    "  max/median and p95/median with 95% bootstrap intervals, on the calibration programs (training) and\n"
    "  on programs the fit never saw (generated from another seed; with quick also the benchmark guests'\n"
    "  rv64 and rv32 builds)\n"
    "  --calibration  a uuid, a unique uuid prefix (8+ characters) or this database's row id\n"
    "  --ps-per-gas  the gas unit in picoseconds (default: the unit the calibration declared, unit.ps_per_gas;\n"
    "                older calibrations without one: the cheapest ALU op costs 1 gas)\n"
    "  --max-rel-error R  refuse the table when a cost it takes has a standard error above R of the cost\n"
    "                and above half a gas (default 0.25), naming the measurement to repeat\n"
    "  --allow-noisy  write the table anyway (the noisy costs are still listed)\n"
    "  pipeline models need a recompiler calibration (calibrate --backend jit)\n"
    "  --pipeline-params  converted (default: the measured latencies at 1 cycle = the add_64 latency: memory,\n"
    "                store, branch, host and every class measured by the op chains, the widths from the\n"
    "                throughput series), reference-core (the same with the reference model's class\n"
    "                latencies and widths: the default before they were measured) or, pipeline-l2hit only,\n"
    "                fitted (latency.l2, latency.store, branch.miss and slack from the calibration's pipeline\n"
    "                fit on its training programs, priced in the fitted model's own unit)\n"
    "  pipeline models: the reference model's structure (decode slots, unit needs, rob_size) with the\n"
    "  calibrated latencies in cycles; load with pvm run --model pipeline:FILE (tables: --model table:FILE)\n";

typedef struct tables_options {
    const char *db_path, *calibration, *model, *out_dir, *ps_per_gas, *fidelity, *max_rel_error, *pipeline_params;
    double ps_per_gas_value, max_rel_error_value;
    bool allow_noisy;
} tables_options;

static int usage_error(const char *what, const char *value)
{
    fprintf(stderr, "pvmlab tables: %s%s%s%s (try pvmlab tables --help)\n", what, value ? " '" : "", value ? value : "",
            value ? "'" : "");
    return 2;
}

static int parse_options(int argc, char **argv, tables_options *o)
{
    *o = (tables_options){.db_path = PVMLAB_DB_DEFAULT_PATH, .fidelity = "quick", .max_rel_error_value = 0.25};
    const cli_option options[] = {
        CLI_VALUE("db", &o->db_path),          CLI_VALUE("calibration", &o->calibration),
        CLI_VALUE("model", &o->model),         CLI_VALUE("out", &o->out_dir),
        CLI_VALUE("ps-per-gas", &o->ps_per_gas), CLI_VALUE("fidelity", &o->fidelity),
        CLI_VALUE("max-rel-error", &o->max_rel_error), CLI_FLAG("allow-noisy", &o->allow_noisy),
        CLI_VALUE("pipeline-params", &o->pipeline_params),
    };
    int parsed = cli_parse("tables", argc, argv, options, sizeof options / sizeof options[0], USAGE, NULL);
    if (parsed != CLI_PARSED)
        return parsed;
    if (!o->calibration || !o->model || !o->out_dir)
        return usage_error("--calibration, --model and --out are required (try pvmlab tables --help)", NULL);
    char *end;
    if (!*o->calibration || strspn(o->calibration, "0123456789abcdef-") != strlen(o->calibration))
        return usage_error("--calibration needs a uuid or a positive id, not", o->calibration);
    if (strcmp(o->model, "table") != 0 && strcmp(o->model, "pipeline-l1hit") != 0 &&
        strcmp(o->model, "pipeline-l2hit") != 0 && strcmp(o->model, "pipeline-l3hit") != 0)
        return usage_error("--model must be table, pipeline-l1hit, pipeline-l2hit or pipeline-l3hit, not", o->model);
    if (o->ps_per_gas) {
        o->ps_per_gas_value = strtod(o->ps_per_gas, &end);
        if (*end || !(o->ps_per_gas_value > 0) || !isfinite(o->ps_per_gas_value))
            return usage_error("--ps-per-gas needs a positive number, not", o->ps_per_gas);
    }
    if (o->max_rel_error) {
        o->max_rel_error_value = strtod(o->max_rel_error, &end);
        if (*end || !(o->max_rel_error_value > 0) || !isfinite(o->max_rel_error_value))
            return usage_error("--max-rel-error needs a positive number (e.g. 0.25), not", o->max_rel_error);
    }
    if (o->max_rel_error && o->allow_noisy) return usage_error("--max-rel-error and --allow-noisy exclude each other", NULL);
    if (o->pipeline_params && strcmp(o->pipeline_params, "fitted") != 0 && strcmp(o->pipeline_params, "converted") != 0 &&
        strcmp(o->pipeline_params, "reference-core") != 0)
        return usage_error("--pipeline-params must be converted, reference-core or fitted, not", o->pipeline_params);
    if (strcmp(o->fidelity, "quick") != 0 && strcmp(o->fidelity, "smoke") != 0 && strcmp(o->fidelity, "none") != 0)
        return usage_error("--fidelity must be quick, smoke or none, not", o->fidelity);
    return 0;
}

static int write_table(const tables_options *o, const char *uuid, const pvm_cost_table *t, char *path,
                       size_t path_len, char **text, char *err, size_t err_len)
{
    if (mkdir(o->out_dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "%s: %s", o->out_dir, strerror(errno));
        return -1;
    }
    snprintf(path, path_len, "%s/%s-%s.%s", o->out_dir, o->model, uuid,
             t->kind == PVM_TABLE_KIND_TABLE ? "table" : "pipeline");
    size_t len;
    *text = pvm_cost_table_format(t, &len);
    if (!*text) {
        snprintf(err, err_len, "cannot format the table (out of memory or bad provenance text)");
        return -1;
    }
    pvm_error perr = {{0}};
    if (pvm_cost_table_write_file(path, *text, len, &perr) != PVM_OK) {
        snprintf(err, err_len, "%s", perr.msg);
        return -1;
    }
    return 0;
}

static void report_fidelity(const char *path, const fidelity_summary *f)
{
    char line[6144];
    snprintf(line, sizeof line,
             "fidelity %s: %zu programs, ns/gas median %.3f (MAD %.3f), min %.3f, worst %.3f (%s), "
             "max/median %.2f; stride 1/2048/2053: %.2f/%.2f/%.2f gas and %.2f/%.2f/%.2f ns per access, "
             "%s",
             path, f->programs, f->median_ns_per_gas, f->mad_ns_per_gas, f->min_ns_per_gas, f->max_ns_per_gas,
             f->worst_program, f->max_over_median, f->stride_gas_per_access[0], f->stride_gas_per_access[1],
             f->stride_gas_per_access[2], f->stride_ns_per_access[0], f->stride_ns_per_access[1],
             f->stride_ns_per_access[2],
             f->stride_charged_differently ? "stride 2048 charged more" : "strides charged the same");
    printf("%s\n", line);
    char sidecar[4200];
    snprintf(sidecar, sizeof sidecar, "%s.fidelity", path);
    FILE *out = fopen(sidecar, "w");
    if (out) {
        fprintf(out, "%s\nmax_over_median %.4f\nstride_charged_differently %s\n", line, f->max_over_median,
                f->stride_charged_differently ? "yes" : "no");
        fclose(out);
    }
}

typedef struct printed_set {
    pvmlab_id set;
    FILE *sidecar;
} printed_set;

/* Prints a stored summary of the set just stored, as every verb reads it (one query). */
static int print_row(const pvmlab_fidelity_row *row, void *context)
{
    const printed_set *p = context;
    if (row->set_id != p->set)
        return 0;
    char line[1024];
    pvmlab_fidelity_row_format(row, line, sizeof line);
    printf("fidelity %s\n", line);
    if (p->sidecar)
        fprintf(p->sidecar, "%s\n", line);
    return 0;
}

/* Where a fidelity run's sets go: the table they time, its gas unit, the run, the sidecar file. */
typedef struct fidelity_target {
    pvmlab_db *db;
    pvmlab_id run;
    const stored_calibration *c;
    const char *model_name; /* "table", "pipeline-l2hit", ... */
    const char *hash;       /* the table text's */
    double ps_per_gas;      /* the unit the table was generated with */
    FILE *sidecar;          /* NAME.fidelity, or NULL */
} fidelity_target;

/* Stores one measured program set under the table and prints what the database now says. */
static int store_set(const fidelity_target *t, const char *set_name, bool held_out, const fidelity_measured *m,
                     char *err, size_t err_len)
{
    pvmlab_db *db = t->db;
    const stored_calibration *c = t->c;
    if (m->count == 0)
        return 0;
    char rule[FIDELITY_RULE_MAX + 200];
    snprintf(rule, sizeof rule, "%s%s%s", m->memory_rule[0] ? m->memory_rule : "not classified (all counted compute-bound)",
             m->lazy_note[0] ? "; " : "", m->lazy_note);
    const pvmlab_fidelity_set set = {.run = t->run, .calibration_uuid = c->uuid, .cost_table_hash = t->hash,
                                     .model = t->model_name, .backend = c->vm_backend, .program_set = set_name,
                                     .held_out = held_out, .memory_rule = rule, .ps_per_gas = t->ps_per_gas};
    printed_set printed = {.sidecar = t->sidecar};
    pvmlab_fidelity_filter filter = {.latest_only = false, .table_match = t->hash};
    if (pvmlab_db_store_fidelity(db, &set, m->programs, m->count, &printed.set) != 0 ||
        pvmlab_db_foreach_fidelity(db, &filter, print_row, &printed) != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
        return -1;
    }
    return 0;
}

/* The core-sharing probe the held-out timings leave runs out by: against the calibration's
 * probe floor (or a lower one found now), so the held-out times and the fit's see the same core. */
static bool calibration_sharing(const stored_calibration *c, core_sharing *sharing)
{
    const stored_value *floor = stored_find(c, "core.probe_floor");
    core_sharing_init(sharing, floor ? floor->ps : 0, 50);
    return floor != NULL; /* whether the calibration had a floor */
}

/* The held-out sets: the benchmark guests' rv64 and rv32 builds. */
static int held_out_guests(const fidelity_target *target, const char *model, pvm_backend backend, char *err,
                           size_t err_len)
{
    static const char *const TARGETS[] = {"rv64", "rv32"};
    fidelity_measured *m = malloc(sizeof *m);
    if (!m) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int rc = 0;
    core_sharing sharing;
    bool calibration_floor = calibration_sharing(target->c, &sharing);
    for (int t = 0; t < 2 && rc == 0; t++) {
        fidelity_guests_config gc = {.guests_def = PVMLAB_GUESTS_DEF, .build_dir = PVMLAB_BUILD_DIR,
                                     .target = TARGETS[t],
                                     .model = model, .backend = backend, .sharing = &sharing};
        char skipped[512], set_name[32];
        rc = fidelity_guests_measure(&gc, m, skipped, sizeof skipped, err, err_len);
        if (rc == 0 && skipped[0])
            printf("fidelity: benchmark guests %s skipped (%s)\n", TARGETS[t], skipped);
        snprintf(set_name, sizeof set_name, "guests-%s", TARGETS[t]);
        if (rc == 0)
            rc = store_set(target, set_name, true, m, err, err_len);
        if (rc == 0 && sharing.available)
            printf("fidelity: %s: %ld timed runs left out as run on a shared core (probe > %.2f x floor %.3f%s)%s\n",
                   set_name, m->runs_shared, CORE_SHARED_FACTOR, sharing.floor,
                   calibration_floor ? ", the calibration's or lower" : "", m->programs_shared ? "; some guests had no other run" : "");
    }
    free(m);
    return rc;
}

/* The generated sets: the held-out seed's programs and, as the control timed in the same run,
 * the training seed's, both at the quick calibration's call length and timed by its protocol
 * (fidelity_generated.h). Until 2026-12-06 (session 36) the held-out set ran 20M-instruction calls from a
 * reset with lazy pages (the lazy pages of 400k-instruction calls had been half their time),
 * and sat 2-24 % above the unit its own generator declares: the training programs, timed that
 * way, sat as far above it, and these loops run 3-11 % slower per gas over 100x their trips
 * (their data drift: the median over 32 programs, thread CPU time). */
static int generated_sets(const fidelity_target *t, const char *model, pvm_backend backend, bool smoke, char *err,
                          size_t err_len)
{
    static const uint64_t SEEDS[] = {MB_MIXED_HELDOUT_SEED, MB_MIXED_TRAINING_SEED};
    mb_suite_config quick;
    if (smoke)
        mb_suite_config_smoke(&quick);
    else
        mb_suite_config_quick(&quick);
    fidelity_measured *m = malloc(sizeof *m);
    if (!m) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    core_sharing sharing;
    calibration_sharing(t->c, &sharing);
    int rc = 0;
    for (size_t k = 0; k < sizeof SEEDS / sizeof SEEDS[0] && rc == 0; k++) {
        bool training = SEEDS[k] == MB_MIXED_TRAINING_SEED;
        /* The control is the whole training set, the one the unit is the median of. */
        size_t count = smoke ? 4 : training ? quick.mixed_programs : 32;
        char set_name[96];
        fidelity_generated_set_name(SEEDS[k], set_name, sizeof set_name);
        rc = fidelity_generated_measure(model, backend, SEEDS[k], count, quick.mixed_instructions, &sharing, m, err,
                                        err_len);
        if (rc == 0)
            rc = store_set(t, set_name, !training, m, err, err_len);
        if (rc == 0 && sharing.available)
            printf("fidelity: %s: %ld timed calls left out as run on a shared core (probe > %.2f x floor %.3f)\n",
                   set_name, m->runs_shared, CORE_SHARED_FACTOR, sharing.floor);
    }
    free(m);
    return rc;
}

static int run_fidelity(const tables_options *o, pvmlab_db *db, const stored_calibration *c, const char *path,
                        const char *hash, pvm_table_kind kind, double ps_per_gas, char *err, size_t err_len)
{
    if (strcmp(o->fidelity, "none") == 0) return 0;
    char model[4200], config[256];
    snprintf(model, sizeof model, "%s:%s", kind == PVM_TABLE_KIND_TABLE ? "table" : "pipeline", path);
    pvmlab_machine_info machine;
    pvmlab_machine_detect_counters(&machine);
    pvmlab_build_info build = pvmlab_build_current();
    pvmlab_id machine_id, build_id, run = 0, engine = 0;
    snprintf(config, sizeof config, "gas=sync model=%s %s", o->model, hash);
    char engine_name[32];
    snprintf(engine_name, sizeof engine_name, "pvm-%s", c->vm_backend);
    if (pvmlab_db_insert_machine(db, &machine, &machine_id) != 0 || pvmlab_db_insert_build(db, &build, &build_id) != 0 ||
        pvmlab_db_run_begin(db, machine_id, build_id, "pvmlab tables (fidelity)", &run, NULL) != 0 ||
        pvmlab_db_insert_engine(db, engine_name, build.tool_version, config, &engine) != 0) {
        snprintf(err, err_len, "%s", pvmlab_db_error(db));
        return -1;
    }
    pvm_backend backend = strcmp(c->vm_backend, "jit") == 0 ? PVM_BACKEND_JIT : PVM_BACKEND_INTERP;
    fidelity_measured *programs = calloc(1, sizeof *programs);
    if (!programs) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    fidelity_config fc = {.model = model, .backend = backend, .smoke = strcmp(o->fidelity, "smoke") == 0,
                          .db = db, .run = run, .engine = engine, .programs = programs};
    fidelity_summary f;
    int rc = fidelity_measure(&fc, &f, err, err_len);
    char sidecar_path[4200];
    snprintf(sidecar_path, sizeof sidecar_path, "%s.fidelity", path);
    fidelity_target target = {.db = db, .run = run, .c = c, .model_name = o->model, .hash = hash,
                              .ps_per_gas = ps_per_gas};
    if (rc == 0) {
        report_fidelity(path, &f);
        target.sidecar = fopen(sidecar_path, "a"); /* report_fidelity wrote its first lines */
        rc = store_set(&target, "calibration", false, programs, err, err_len);
    }
    if (rc == 0) /* generated programs: a seed the fit never saw, and the training seed as control */
        rc = generated_sets(&target, model, backend, strcmp(o->fidelity, "smoke") == 0, err, err_len);
    if (rc == 0 && strcmp(o->fidelity, "smoke") != 0)
        rc = held_out_guests(&target, model, backend, err, err_len);
    if (target.sidecar)
        fclose(target.sidecar);
    free(programs);
    pvmlab_db_run_end(db, run, rc == 0 ? "ok" : "failed");
    return rc;
}

int pvmlab_cmd_tables(int argc, char **argv)
{
    tables_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != CLI_PARSED) return rc == CLI_HELP ? 0 : 2;
    char err[512];
    pvmlab_db *db = NULL;
    pvmlab_db_options dbo = {.create = false};
    if (pvmlab_db_open(o.db_path, &dbo, &db, err, sizeof err) != 0) {
        fprintf(stderr, "pvmlab tables: %s\n", err);
        return 1;
    }
    stored_calibration c;
    pvm_cost_table *t = calloc(1, sizeof *t);
    char path[4096], mapping[1536], hash[32] = "", tool[PVM_TABLE_PROV_MAX], uuid[PVMLAB_UUID_LENGTH + 1];
    char *text = NULL;
    snprintf(tool, sizeof tool, "pvmlab tables %s", PVMLAB_TOOL_VERSION);
    rc = 1;
    pvmlab_id calibration_id = 0;
    int found = pvmlab_db_find_calibration(db, o.calibration, &calibration_id, uuid);
    if (found != 0)
        snprintf(err, sizeof err, "%s", pvmlab_db_error(db));
    else
        found = calibration_read(db, calibration_id, &c, err, sizeof err);
    if (found == 0 && t) {
        double ps[PVM_OP_COUNT];
        double ps_per_gas = -1;
        /* A fitted pipeline table is priced in its own unit: the mixed programs' median ps per
         * gas under the fitted parameters (the calibration's unit is that of the metering model). */
        bool fitted = table_pipeline_fitted(&c, o.model, o.pipeline_params);
        const stored_value *fitted_unit = fitted ? stored_find(&c, "pipeline.l2hit.unit.ps_per_gas") : NULL;
        /* So is the default (converted) L2-hit table, when the calibration measured its unit
         * (calibration_converted_unit); older calibrations keep the declared one. */
        bool converted = strcmp(o.model, "pipeline-l2hit") == 0 && !fitted &&
                         (!o.pipeline_params || strcmp(o.pipeline_params, "converted") == 0);
        if (!fitted_unit && converted) fitted_unit = stored_find(&c, "pipeline.l2hit.converted.unit.ps_per_gas");
        if (table_model_allowed(&c, o.model, err, sizeof err) == 0 && table_op_ps(&c, ps, err, sizeof err) == 0) {
            ps_per_gas = table_ps_per_gas(&c, ps, o.ps_per_gas_value > 0 ? o.ps_per_gas_value
                                                  : fitted_unit && fitted_unit->ps > 0 ? fitted_unit->ps : 0);
            if (!(ps_per_gas > 0)) snprintf(err, sizeof err, "no positive ALU cost to set the gas unit (use --ps-per-gas)");
        }
        pvmlab_id table_id;
        char noisy[2048] = "", worst[96] = "";
        bool reference_core = strncmp(o.model, "pipeline", 8) == 0 && o.pipeline_params &&
                              strcmp(o.pipeline_params, "reference-core") == 0;

        size_t n_noisy = ps_per_gas > 0 ? table_noisy_costs(&c, fitted ? "pipeline-fitted" : reference_core ? "pipeline-reference-core" : o.model, ps_per_gas,
                                                            o.max_rel_error_value, noisy, sizeof noisy, worst,
                                                            sizeof worst)
                                        : 0;
        if (n_noisy && !o.allow_noisy) {
            snprintf(err, sizeof err,
                     "calibration %s: %zu cost(s) with a standard error above %.0f%%: %.300s (repeat those "
                     "measurements with pvmlab calibrate, or pass --allow-noisy)",
                     uuid, n_noisy, 100 * o.max_rel_error_value, noisy);
            ps_per_gas = -1;
        } else if (n_noisy) {
            fprintf(stderr, "pvmlab tables: --allow-noisy: %zu noisy cost(s) kept: %s\n", n_noisy, noisy);
        }
        /* The errors go into the table's provenance (tool line: the unit and the worst error). */
        const stored_value *unit = stored_find(&c, "unit.ps_per_gas");
        /* A fitted pipeline table names what was fitted and the training objective. */
        char fit_note[64] = "";
        const stored_value *objective = stored_find(&c, "pipeline.l2hit.objective");
        if (fitted && objective)
            snprintf(fit_note, sizeof fit_note, "; fitted l2,store,miss,slack ln(p95/p5)=%.3f n=%lld", objective->ps,
                     (long long)objective->n);
        else if (strcmp(o.model, "table") == 0 && table_code_scale(&c) != 1)
            snprintf(fit_note, sizeof fit_note, "; op prices x%.3f to the training code", table_code_scale(&c));
        if (ps_per_gas > 0)
            snprintf(tool, sizeof tool, "pvmlab tables %.20s; 1 gas=%.0fps%s%s; %.40s", PVMLAB_TOOL_VERSION, ps_per_gas,
                     o.ps_per_gas_value > 0 ? " (flag)" : fitted_unit && fitted_unit->ps > 0 ? (fitted ? " (fitted model)" : " (converted model)")
                     : unit ? " (declared)" : " (cheapest ALU op)", fit_note, worst);
        if (ps_per_gas > 0 &&
            table_generate_as(&c, o.model, ps_per_gas, o.pipeline_params, tool, t, mapping, sizeof mapping, err,
                              sizeof err) == 0 &&
            write_table(&o, uuid, t, path, sizeof path, &text, err, sizeof err) == 0) {
            if (pvmlab_db_store_cost_table(db, c.id, o.model, text, &table_id, hash) != 0) {
                snprintf(err, sizeof err, "storing the table: %s", pvmlab_db_error(db));
            } else {
                printf("tables: %s from calibration %s (%s): %s\n", o.model, uuid, c.machine, mapping);
                printf("wrote %s (%s)\n", path, hash);
                fflush(stdout);
                rc = run_fidelity(&o, db, &c, path, hash, t->kind, ps_per_gas, err, sizeof err) == 0 ? 0 : 1;
            }
        }
        stored_calibration_free(&c);
    }
    if (rc != 0) fprintf(stderr, "pvmlab tables: %s\n", t ? err : "out of memory");
    free(text);
    free(t);
    pvmlab_db_close(db);
    return rc;
}
