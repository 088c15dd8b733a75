/* The `pvmlab compare` verb. */
#ifndef PVMLAB_CMD_COMPARE_H
#define PVMLAB_CMD_COMPARE_H

/* pvmlab compare [--db PATH] [--run ID] [--baseline ENGINE] [--mode MODE]
 *                [--against RUN] [--against-db PATH] [--threshold PCT]
 * Returns 0 ok, 1 a regression beyond the threshold (or a database error), 2 bad usage. */
int pvmlab_cmd_compare(int argc, char **argv);

#endif
