/* The prepared statements of the store, by id (SQL text in statements.c). */
#ifndef PVMLAB_STATEMENTS_H
#define PVMLAB_STATEMENTS_H

typedef enum statement_id {
    STMT_MACHINE_INSERT,
    STMT_MACHINE_SELECT,
    STMT_BUILD_INSERT,
    STMT_BUILD_SELECT,
    STMT_ENGINE_INSERT,
    STMT_ENGINE_SELECT,
    STMT_BENCHMARK_INSERT,
    STMT_BENCHMARK_SELECT,
    STMT_RUN_INSERT,
    STMT_RUN_END,
    STMT_SAMPLE_INSERT,
    STMT_READING_INSERT,
    STMT_SAMPLES_OF_RUN,
    STMT_READINGS_OF_SAMPLE,
    STMT_CALIBRATION_INSERT,
    STMT_CALIBRATION_VALUE_INSERT,
    STMT_COST_TABLE_INSERT,
    STMT_COST_TABLE_SELECT,
    STMT_COUNT
} statement_id;

/* The SQL text of a statement. */
const char *statement_sql(statement_id id);

#endif
