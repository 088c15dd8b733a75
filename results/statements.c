#include "statements.h"

/* Get-or-insert pairs bind the natural key in the same order in both statements. */
static const char *const STATEMENT_SQL[STMT_COUNT] = {
    [STMT_MACHINE_INSERT] =
        "INSERT INTO machines (hostname, cpu_model, cores, kernel, pmu_available, pmu_reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    [STMT_MACHINE_SELECT] =
        "SELECT id FROM machines WHERE hostname = ?1 AND cpu_model = ?2 AND cores = ?3"
        " AND kernel = ?4 AND pmu_available = ?5 AND pmu_reason = ?6",
    [STMT_BUILD_INSERT] =
        "INSERT INTO builds (compiler, flags, git_rev, tool_version) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT DO NOTHING",
    [STMT_BUILD_SELECT] =
        "SELECT id FROM builds WHERE compiler = ?1 AND flags = ?2 AND git_rev = ?3 AND tool_version = ?4",
    [STMT_ENGINE_INSERT] =
        "INSERT INTO engines (name, version, config) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    [STMT_ENGINE_SELECT] = "SELECT id FROM engines WHERE name = ?1 AND version = ?2 AND config = ?3",
    [STMT_BENCHMARK_INSERT] =
        "INSERT INTO benchmarks (suite, name, size) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    [STMT_BENCHMARK_SELECT] = "SELECT id FROM benchmarks WHERE suite = ?1 AND name = ?2 AND size = ?3",
    [STMT_RUN_INSERT] =
        "INSERT INTO runs (uuid, machine_id, build_id, command_line, started_at, status)"
        " VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'running')",
    [STMT_RUN_END] =
        "UPDATE runs SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), status = ?2 WHERE id = ?1",
    [STMT_SAMPLE_INSERT] =
        "INSERT INTO samples (run_id, engine_id, benchmark_id, mode, repetition, wall_ns, gas,"
        " instructions, checksum) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [STMT_READING_INSERT] =
        "INSERT INTO counter_readings (sample_id, name, value, source, unavailable_reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [STMT_SAMPLES_OF_RUN] =
        "SELECT s.id, s.run_id, e.name, e.version, e.config, b.suite, b.name, b.size, s.mode,"
        " s.repetition, s.wall_ns, s.gas, s.instructions, s.checksum"
        " FROM samples s JOIN engines e ON e.id = s.engine_id JOIN benchmarks b ON b.id = s.benchmark_id"
        " WHERE s.run_id = ?1 ORDER BY s.id",
    [STMT_READINGS_OF_SAMPLE] =
        "SELECT name, source, value, unavailable_reason FROM counter_readings WHERE sample_id = ?1 ORDER BY id",
    [STMT_CALIBRATION_INSERT] =
        "INSERT INTO calibrations (uuid, run_id, backend, model_kind, parameters, fit_results, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    [STMT_CALIBRATION_VALUE_INSERT] =
        "INSERT INTO calibration_values (calibration_id, key, value_ps, value_cycles, mad, n, se_ps)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [STMT_COST_TABLE_INSERT] =
        "INSERT INTO cost_tables (calibration_id, model_kind, content, content_hash) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT DO NOTHING",
    [STMT_COST_TABLE_SELECT] =
        "SELECT id FROM cost_tables WHERE calibration_id = ?1 AND model_kind = ?2 AND content_hash = ?4",
};

const char *statement_sql(statement_id id)
{
    return STATEMENT_SQL[id];
}
