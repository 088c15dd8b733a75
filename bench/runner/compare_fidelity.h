/* pvmlab compare --fidelity: the stored fidelity summaries (results_fidelity.h), one line each,
 * as the one results query returns them (the newest run per cost table, backend and program
 * set). */
#ifndef PVMLAB_BENCH_COMPARE_FIDELITY_H
#define PVMLAB_BENCH_COMPARE_FIDELITY_H

#include <stdio.h>

#include <stdbool.h>

/* Prints the summaries of the database at db_path whose cost table hash or calibration uuid
 * starts with match (NULL: all); with programs, after the all-programs line of each held-out
 * guest set (lazy charges in), its programs slowest per gas first with their replay counts
 * and what they point to (pvmlab_fidelity_points_to). Returns 0; 1 when there is none (said
 * on stderr); -1 on a database error (said on stderr). */
int compare_print_fidelity(const char *db_path, const char *match, bool programs, FILE *out);

#endif
