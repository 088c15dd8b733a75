/* The `pvmlab calibrate` and `pvmlab tables` verbs. argv[0] is the verb. Return 0 on
 * success, 1 on failure (one clear line on stderr), 2 on bad usage (one line). */
#ifndef PVMLAB_CMD_CALIBRATE_H
#define PVMLAB_CMD_CALIBRATE_H

int pvmlab_cmd_calibrate(int argc, char **argv);
int pvmlab_cmd_tables(int argc, char **argv);

#endif
