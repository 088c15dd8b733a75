/* The `pvmlab db` verb: init, check and merge results databases. */
#ifndef PVMLAB_CMD_DB_H
#define PVMLAB_CMD_DB_H

/* argv[0] is the verb name ("db"). Returns 0 on success, 1 when the database is unhealthy or
 * an operation failed (one line on stderr naming the file), 2 on bad usage. */
int pvmlab_cmd_db(int argc, char **argv);

#endif
