/* Read helpers: samples of a run, readings of a sample. */
#include "db_internal.h"

#include <stdio.h>
#include <string.h>

static pvmlab_counter_source source_from_name(const char *name)
{
    static const pvmlab_counter_source sources[] = {PVMLAB_SOURCE_PMU, PVMLAB_SOURCE_TSC, PVMLAB_SOURCE_CLOCK,
                                                    PVMLAB_SOURCE_SOFTWARE, PVMLAB_SOURCE_SIMULATED};
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(pvmlab_counter_source_name(sources[i]), name) == 0)
            return sources[i];
    return PVMLAB_SOURCE_SIMULATED; /* unreachable: the schema's CHECK allows only those */
}

/* Binds key to the cached statement and reads its rows through handle. */
static int visit_rows(pvmlab_db *db, statement_id id, pvmlab_id key, int (*handle)(sqlite3_stmt *, void *),
                      void *visitor)
{
    sqlite3_stmt *statement = db_statement(db, id);
    if (!statement)
        return -1;
    sqlite3_bind_int64(statement, 1, key);
    return db_read_rows(db, statement, handle, visitor, "rows");
}

static void read_sample(sqlite3_stmt *statement, pvmlab_sample_row *row)
{
    *row = (pvmlab_sample_row){
        .id = sqlite3_column_int64(statement, 0),
        .run = sqlite3_column_int64(statement, 1),
        .engine = db_column_text(statement, 2),
        .engine_version = db_column_text(statement, 3),
        .engine_config = db_column_text(statement, 4),
        .suite = db_column_text(statement, 5),
        .benchmark = db_column_text(statement, 6),
        .size = sqlite3_column_int64(statement, 7),
        .mode = db_column_text(statement, 8),
        .repetition = sqlite3_column_int64(statement, 9),
        .wall_ns = sqlite3_column_int64(statement, 10),
        .gas = db_column_maybe(statement, 11),
        .instructions = db_column_maybe(statement, 12),
        .checksum = db_column_maybe(statement, 13),
    };
}
DB_ROW_VISITOR(sample, pvmlab_sample_row, read_sample)

static void read_reading(sqlite3_stmt *statement, pvmlab_counter_reading *reading)
{
    memset(reading, 0, sizeof *reading);
    snprintf(reading->name, sizeof reading->name, "%s", db_column_text(statement, 0));
    reading->source = source_from_name(db_column_text(statement, 1));
    pvmlab_maybe_i64 value = db_column_maybe(statement, 2);
    reading->available = value.present;
    reading->value = value.value;
    if (!value.present)
        snprintf(reading->unavailable_reason, sizeof reading->unavailable_reason, "%s", db_column_text(statement, 3));
}
DB_ROW_VISITOR(reading, pvmlab_counter_reading, read_reading)

int pvmlab_db_foreach_sample(pvmlab_db *db, pvmlab_id run,
                             int (*visit)(const pvmlab_sample_row *row, void *context), void *context)
{
    sample_visitor visitor = {visit, context};
    return visit_rows(db, STMT_SAMPLES_OF_RUN, run, handle_sample, &visitor);
}

int pvmlab_db_foreach_reading(pvmlab_db *db, pvmlab_id sample,
                              int (*visit)(const pvmlab_counter_reading *reading, void *context), void *context)
{
    reading_visitor visitor = {visit, context};
    return visit_rows(db, STMT_READINGS_OF_SAMPLE, sample, handle_reading, &visitor);
}
