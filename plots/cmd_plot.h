/* The `pvmlab plot` verb. */
#ifndef PVMLAB_CMD_PLOT_H
#define PVMLAB_CMD_PLOT_H

/* pvmlab plot [--db PATH] [--out DIR] [--run ID] [--mode MODE] [--metric NAME] [--format png|svg|both]
 *             [--gnuplot PROGRAM] [--timeout SECONDS] [FIGURE...]
 * Returns 0, 1 on failure (one line on stderr), 2 on bad usage. */
int pvmlab_cmd_plot(int argc, char **argv);

#endif
