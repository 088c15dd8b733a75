/* What was measured: engines and benchmarks, get-or-insert on their natural keys. */
#include "db_internal.h"

int pvmlab_db_insert_engine(pvmlab_db *db, const char *name, const char *version, const char *config,
                            pvmlab_id *out)
{
    if (!name || !*name)
        return db_failf(db, "an engine needs a name");
    const db_value key[] = {DB_TEXT_VALUE(name), DB_TEXT_VALUE(version), DB_TEXT_VALUE(config)};
    return db_get_or_insert(db, STMT_ENGINE_INSERT, STMT_ENGINE_SELECT, key, 3, out);
}

int pvmlab_db_insert_benchmark(pvmlab_db *db, const char *suite, const char *name, int64_t size,
                               pvmlab_id *out)
{
    if (!suite || !*suite || !name || !*name)
        return db_failf(db, "a benchmark needs a suite and a name");
    const db_value key[] = {DB_TEXT_VALUE(suite), DB_TEXT_VALUE(name), DB_INT_VALUE(size)};
    return db_get_or_insert(db, STMT_BENCHMARK_INSERT, STMT_BENCHMARK_SELECT, key, 3, out);
}
