/* The state of the machine as a run starts (governor, boost, SMT, pinning) and storing it
 * with the run (run_provenance). */
#define _GNU_SOURCE
#include "db_internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vm/util/cpu_pin.h"

/* The first line of a small sysfs file into out; false (and "unknown: PATH: reason" in
 * out) when it cannot be read. */
static bool read_first_line(const char *path, char *out, size_t out_len)
{
    FILE *file = fopen(path, "r");
    if (!file || !fgets(out, (int)out_len, file)) {
        snprintf(out, out_len, "unknown: %s: %s", path, file ? "empty" : strerror(errno));
        if (file)
            fclose(file);
        return false;
    }
    fclose(file);
    out[strcspn(out, "\n")] = '\0';
    return true;
}

/* The governors of the CPUs in mask, "performance" when all agree, else "cpu0=...,cpu1=...". */
static void read_governors(const cpu_set_t *mask, char *out, size_t out_len)
{
    char first[160] = "", value[160], path[96];
    bool agree = true, any = false;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, mask))
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
        if (!read_first_line(path, value, sizeof value)) {
            snprintf(out, out_len, "%s", value);
            return;
        }
        if (!any)
            snprintf(first, sizeof first, "%s", value);
        agree = agree && strcmp(first, value) == 0;
        any = true;
    }
    if (!any)
        snprintf(out, out_len, "unknown: no CPU in the affinity mask");
    else if (agree)
        snprintf(out, out_len, "%s", first);
    else
        snprintf(out, out_len, "mixed: cpu governors differ (first: %s)", first);
}

static void read_boost(char *out, size_t out_len)
{
    char value[160];
    if (read_first_line("/sys/devices/system/cpu/cpufreq/boost", value, sizeof value)) {
        snprintf(out, out_len, "%s", strcmp(value, "1") == 0 ? "on" : strcmp(value, "0") == 0 ? "off" : value);
        return;
    }
    char pstate[160];
    if (read_first_line("/sys/devices/system/cpu/intel_pstate/no_turbo", pstate, sizeof pstate)) {
        snprintf(out, out_len, "%s", strcmp(pstate, "0") == 0 ? "on" : "off");
        return;
    }
    snprintf(out, out_len, "unknown: neither cpufreq/boost nor intel_pstate/no_turbo is readable");
}

static void read_pinning(char *out, size_t out_len)
{
    util_cpu_mask mask;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (!util_cpu_mask_save(&mask)) {
        snprintf(out, out_len, "unknown: sched_getaffinity: %s", strerror(errno));
        return;
    }
    int allowed = util_cpu_mask_count(&mask);
    if (online > 0 && allowed >= online) {
        snprintf(out, out_len, "no (may run on any of the %ld online CPUs)", online);
        return;
    }
    char list[128];
    util_cpu_mask_describe(&mask, list, sizeof list);
    snprintf(out, out_len, "pinned to CPU%s %s", allowed == 1 ? "" : "s", list);
}

void pvmlab_run_environment_detect(pvmlab_run_environment *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->git_rev, sizeof out->git_rev, "unknown: not looked up");
    cpu_set_t mask;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0) {
        CPU_ZERO(&mask);
        CPU_SET(0, &mask);
    }
    read_governors(&mask, out->cpu_governor, sizeof out->cpu_governor);
    read_boost(out->cpu_boost, sizeof out->cpu_boost);
    read_first_line("/sys/devices/system/cpu/smt/control", out->smt, sizeof out->smt);
    read_pinning(out->pinned, sizeof out->pinned);
}

int pvmlab_db_store_run_environment(pvmlab_db *db, pvmlab_id run, const pvmlab_run_environment *env)
{
    const char *const rows[][2] = {{"git_rev", env->git_rev},   {"cpu_governor", env->cpu_governor},
                                   {"cpu_boost", env->cpu_boost}, {"smt", env->smt},
                                   {"pinned", env->pinned}};
    if (db_atomic_begin(db) != 0)
        return -1;
    sqlite3_stmt *statement;
    if (sqlite3_prepare_v2(db->sqlite, "INSERT OR REPLACE INTO run_provenance (run_id, key, value) VALUES (?1, ?2, ?3)",
                           -1, &statement, NULL) != SQLITE_OK) {
        db_fail(db, "preparing the provenance insert");
        return db_atomic_abort(db);
    }
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sqlite3_bind_int64(statement, 1, run);
        sqlite3_bind_text(statement, 2, rows[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, rows[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(statement) != SQLITE_DONE) {
            db_fail(db, "storing the run's provenance");
            sqlite3_finalize(statement);
            return db_atomic_abort(db);
        }
        sqlite3_reset(statement);
    }
    sqlite3_finalize(statement);
    return db_atomic_commit(db) == 0 ? db_ok(db) : -1;
}

typedef struct provenance_visitor {
    int (*visit)(const char *key, const char *value, void *context);
    void *context;
} provenance_visitor;

static int handle_provenance(sqlite3_stmt *row, void *opaque)
{
    const provenance_visitor *visitor = opaque;
    return visitor->visit(db_column_text(row, 0), db_column_text(row, 1), visitor->context);
}

int pvmlab_db_foreach_run_provenance(pvmlab_db *db, pvmlab_id run,
                                     int (*visit)(const char *key, const char *value, void *context), void *context)
{
    provenance_visitor visitor = {visit, context};
    return db_query(db, "SELECT key, value FROM run_provenance WHERE run_id = ?1 ORDER BY key", &run, 1,
                    handle_provenance, &visitor, "the run's provenance");
}
