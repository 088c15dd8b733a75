/* The stored runs with their machine and build, and the commands that made them (see
 * store_listing.h). */
#include "db_internal.h"
#include "store_listing.h"

static const char *text_or_null(sqlite3_stmt *row, int column)
{
    return sqlite3_column_type(row, column) == SQLITE_NULL ? NULL : db_column_text(row, column);
}

static void read_run(sqlite3_stmt *row, pvmlab_run_row *run)
{
    *run = (pvmlab_run_row){
        .id = sqlite3_column_int64(row, 0),
        .uuid = db_column_text(row, 1),
        .started_at = db_column_text(row, 2),
        .ended_at = text_or_null(row, 3),
        .status = db_column_text(row, 4),
        .command_line = db_column_text(row, 5),
        .hostname = db_column_text(row, 6),
        .build = {.compiler = db_column_text(row, 7), .flags = db_column_text(row, 8),
                  .git_rev = db_column_text(row, 9), .tool_version = db_column_text(row, 10)},
        .git_rev = text_or_null(row, 11),
        .samples = sqlite3_column_int64(row, 12),
    };
}
DB_ROW_VISITOR(run, pvmlab_run_row, read_run)

int pvmlab_db_foreach_run(pvmlab_db *db, pvmlab_id run, int (*visit)(const pvmlab_run_row *row, void *context),
                          void *context)
{
    run_visitor visitor = {visit, context};
    return db_query(db,
                    "SELECT r.id, r.uuid, r.started_at, r.ended_at, r.status, r.command_line, m.hostname,"
                    " b.compiler, b.flags, b.git_rev, b.tool_version,"
                    " (SELECT value FROM run_provenance p WHERE p.run_id = r.id AND p.key = 'git_rev'),"
                    " (SELECT count(*) FROM samples s WHERE s.run_id = r.id)"
                    " FROM runs r JOIN machines m ON m.id = r.machine_id JOIN builds b ON b.id = r.build_id"
                    " WHERE ?1 <= 0 OR r.id = ?1 ORDER BY r.id",
                    &run, 1, handle_run, &visitor, "runs");
}

typedef struct command_visitor {
    int (*visit)(const char *command, void *context);
    void *context;
} command_visitor;

static int handle_command(sqlite3_stmt *row, void *opaque)
{
    const command_visitor *visitor = opaque;
    return visitor->visit(db_column_text(row, 0), visitor->context);
}

int pvmlab_db_foreach_recent_command(pvmlab_db *db, size_t limit, int (*visit)(const char *command, void *context),
                                     void *context)
{
    command_visitor visitor = {visit, context};
    int64_t bind = (int64_t)limit;
    return db_query(db,
                    "SELECT command_line FROM (SELECT command_line, max(id) AS last FROM runs WHERE command_line <> ''"
                    " GROUP BY command_line ORDER BY last DESC LIMIT ?1) ORDER BY last",
                    &bind, 1, handle_command, &visitor, "run commands");
}
