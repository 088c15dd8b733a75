/* Per-guest ratios of every engine to a baseline engine (median / baseline median, so 2.0
 * means twice as slow), and each engine's geometric mean over the guests both ran; beside
 * it the geometric mean of the ratios of the fastest samples. */
#ifndef PVMLAB_BENCH_RATIO_TABLE_H
#define PVMLAB_BENCH_RATIO_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "compare_data.h"

typedef struct ratio_table {
    size_t guest_count, engine_count;
    const compare_entry **guests; /* the baseline's entries, one per guest row */
    const char **engines;         /* engine names (not the baseline), borrowed from the set */
    double *ratios;               /* [guest * engine_count + engine]; NAN when the engine lacks the guest */
    double *geomeans;             /* per engine; NAN when it shares no guest with the baseline */
    double *geomeans_min;         /* the same over fastest / baseline's fastest sample (NAN when a
                                     cell has no minimum): steadier on a noisy host, printed below */
    const compare_entry **row_entries; /* [guest * engine_count + engine]; NULL when missing */
    bool spans_machines;          /* the set holds more than one machine: rows name theirs */
} ratio_table;

/* Builds the table of mode from set against baseline. -1 with one line in err when the
 * baseline has no entry in that mode (or out of memory). The table borrows from set. */
int ratio_table_build(const compare_set *set, const char *baseline, const char *mode, ratio_table *out, char *err,
                      size_t err_len);
void ratio_table_print(const ratio_table *table, const char *baseline, FILE *out);
void ratio_table_free(ratio_table *table);
/* One ratio as the table prints it: " %*.2f", or "-" right-aligned when NAN. */
void ratio_table_print_cell(FILE *out, double ratio, int width);
/* A ratio column's title as the tables print it: " %*s", at least 8 wide; returns the
 * width, which the column's cells take. */
int ratio_table_print_title(FILE *out, const char *title);

#endif
