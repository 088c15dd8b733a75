/* The `pvmlab counters` verb. */
#ifndef PVMLAB_CMD_COUNTERS_H
#define PVMLAB_CMD_COUNTERS_H

/* Lists every counter this machine offers and, for each missing one, why. argv[0] is the
 * verb name. Prints to stdout; returns 0, 1 when the counters cannot be opened, 2 on bad
 * arguments (one line on stderr). */
int pvmlab_cmd_counters(int argc, char **argv);

#endif
