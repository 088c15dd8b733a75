/* The `pvmlab report` verb. */
#ifndef PVMLAB_CMD_REPORT_H
#define PVMLAB_CMD_REPORT_H

/* pvmlab report [--db PATH] [--out DIR] [--threshold PCT] [--gnuplot PROGRAM]
 * Writes DIR/report.md and DIR/report.html and ends with "report: /abs/path/report.html".
 * Returns 0, 1 on failure (one line on stderr), 2 on bad usage. */
int pvmlab_cmd_report(int argc, char **argv);

#endif
