/* The `pvmlab bench` verb. */
#ifndef PVMLAB_CMD_BENCH_H
#define PVMLAB_CMD_BENCH_H

/* pvmlab bench [--suite quick|full|cache|large] [--engines LIST] [--db PATH] [--runs N] ...
 * Returns 0 ok, 1 a measurement failed or a checksum was wrong, 2 bad usage. */
int pvmlab_cmd_bench(int argc, char **argv);

#endif
