/* Database rows of a calibration session. */
#include "calibration_store.h"
#include "calibration_fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "counter_choice.h"
#include "vm/util/cpu_pin.h"
#include "costmodel/counters/counters.h"
#include "results/calibration_value_unit.h"
#include "results/source_revision.h"

/* The run's provenance, as a bench run records it: the source tree's git revision at run
 * time (-dirty), CPU governor/boost/SMT where readable, and whether the thread is pinned. */
static int store_provenance(pvmlab_db *db, pvmlab_id run)
{
    pvmlab_run_environment environment;
    pvmlab_run_environment_detect(&environment);
    pvmlab_source_revision(PVMLAB_SOURCE_DIR, environment.git_rev, sizeof environment.git_rev);
    return pvmlab_db_store_run_environment(db, run, &environment);
}

static void command_line(int argc, char **argv, char *buf, size_t cap)
{
    size_t used = snprintf(buf, cap, "pvmlab");
    for (int i = 0; i < argc && used < cap; i++) used += snprintf(buf + used, cap - used, " %s", argv[i]);
}

/* Creates the database's folder (one level, e.g. results/) when it is missing. */
static void make_parent_folder(const char *path)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (!slash || slash == parent) return;
    *slash = '\0';
    mkdir(parent, 0777); /* an error shows up as the open's error */
}

int calibration_session_open(calibration_session *s, const char *db_path, const char *counter_choice,
                             const char *backend, const char *gas_model, const char *suite, int argc, char **argv,
                             char *err, size_t err_len)
{
    memset(s, 0, sizeof *s);
    s->counter_choice = counter_choice;
    s->backend = backend;
    s->gas_model = gas_model;
    if (counter_choice_open(counter_choice, &s->counters, &s->time, err, err_len) != 0) return -1;
    counter_choice_unavailable(s->counters, s->unavailable, sizeof s->unavailable);
    char why[200];
    s->pinned_cpu = util_cpu_pin(-1, why, sizeof why);
    if (s->pinned_cpu >= 0)
        snprintf(s->pinning, sizeof s->pinning, "pinned to CPU %d (sched_setaffinity)", s->pinned_cpu);
    else
        snprintf(s->pinning, sizeof s->pinning, "not pinned: %s", why);

    pvmlab_db_options options = {.create = true};
    char cmd[1024];
    command_line(argc, argv, cmd, sizeof cmd);
    pvmlab_machine_info machine;
    pvmlab_machine_detect_counters(&machine);
    snprintf(s->machine_name, sizeof s->machine_name, "%.95s", machine.cpu_model);
    pvmlab_build_info build = pvmlab_build_current();
    pvmlab_id build_id;
    char engine_name[32], config[160];
    snprintf(engine_name, sizeof engine_name, "pvm-%s", backend);
    if (strcmp(gas_model, "none") == 0)
        snprintf(config, sizeof config, "gas=none calibrate=%s", suite);
    else
        snprintf(config, sizeof config, "gas=sync model=%s calibrate=%s", gas_model, suite);
    make_parent_folder(db_path);
    if (pvmlab_db_open(db_path, &options, &s->db, err, err_len) != 0) {
        pvmlab_counters_close(s->counters);
        return -1;
    }
    if (pvmlab_db_insert_machine(s->db, &machine, &s->machine) != 0 ||
        pvmlab_db_insert_build(s->db, &build, &build_id) != 0 ||
        pvmlab_db_run_begin(s->db, s->machine, build_id, cmd, &s->run, NULL) != 0 ||
        pvmlab_db_insert_engine(s->db, engine_name, build.tool_version, config, &s->engine) != 0 ||
        store_provenance(s->db, s->run) != 0) {
        snprintf(err, err_len, "%s: %s", db_path, pvmlab_db_error(s->db));
        pvmlab_db_close(s->db);
        pvmlab_counters_close(s->counters);
        return -1;
    }
    return 0;
}

void calibration_session_close(calibration_session *s, const char *status)
{
    if (s->db && s->run) pvmlab_db_run_end(s->db, s->run, status);
    pvmlab_db_close(s->db);
    pvmlab_counters_close(s->counters);
    memset(s, 0, sizeof *s);
}

static char *parameters_json(const calibration_session *s, const char *suite, const mb_spec *specs, size_t n)
{
    json_object *p = json_object_new_object();
    json_object_object_add(p, "vm_backend", json_object_new_string(s->backend));
    json_object_object_add(p, "suite", json_object_new_string(suite));
    json_object_object_add(p, "metering", json_object_new_string(strcmp(s->gas_model, "none") == 0 ? "none" : "sync"));
    json_object_object_add(p, "gas_model", json_object_new_string(s->gas_model));
    json_object_object_add(p, "programs", json_object_new_int64((int64_t)n));
    json_object_object_add(p, "counters", json_object_new_string(s->counter_choice));
    json_object_object_add(p, "time_source", json_object_new_string(s->time.description));
    if (s->time.use_tsc) {
        json_object_object_add(p, "tsc_hz", json_object_new_double(s->time.tsc_hz));
        json_object_object_add(p, "cycles", json_object_new_string("TSC reference cycles = ps * tsc_hz / 1e12"));
    }
    json_object_object_add(p, "pinning", json_object_new_string(s->pinning));
    json_object_object_add(p, "counters_unavailable", json_object_new_string(s->unavailable));
    json_object_object_add(p, "machine", json_object_new_string(s->machine_name));
    json_object_object_add(p, "chain_trips", json_object_new_int64(n ? (int64_t)specs[0].trips : 0));
    json_object_object_add(p, "method",
                           json_object_new_string("median time per call, repeated until MAD/median < 2% or the "
                                                  "repetition cap; per-unit cost = least-squares slope of time per "
                                                  "loop trip over units per trip (empty loop = 0 units)"));
    char *text = strdup(json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN));
    json_object_put(p);
    return text;
}

int calibration_store(calibration_session *s, const cal_result *r, const char *suite, const mb_spec *specs,
                      size_t n, pvmlab_id *out, char *err, size_t err_len)
{
    pvmlab_calibration_value *values = calloc(r->count ? r->count : 1, sizeof *values);
    char *parameters = parameters_json(s, suite, specs, n);
    if (!values || !parameters) {
        free(values);
        free(parameters);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < r->count; i++) {
        const cal_value *v = &r->values[i];
        values[i] = (pvmlab_calibration_value){.key = v->key, .value_ps = v->ps,
                                               .value_cycles = s->time.use_tsc && pvmlab_calibration_value_is_time(v->key)
                                                                   ? v->ps * s->time.tsc_hz / 1e12 : NAN,
                                               .mad = v->mad_ps, .se = v->se_ps, .n = v->n};
    }
    pvmlab_calibration c = {.run = s->run, .backend = s->time.use_tsc ? "tsc" : "clock", .model_kind = "table",
                            .parameters = parameters,
                            .fit_results = json_object_to_json_string_ext(r->fit, JSON_C_TO_STRING_PLAIN)};
    int rc = pvmlab_db_store_calibration(s->db, &c, values, r->count, out);
    if (rc != 0) snprintf(err, err_len, "storing the calibration: %s", pvmlab_db_error(s->db));
    free(values);
    free(parameters);
    return rc;
}
