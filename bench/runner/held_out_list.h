/* The held-out benchmark guests (bench/guests/held_out.txt: one name per line, '#'
 * comments), whose ratios `pvmlab compare` reports apart from the tuned guests'. */
#ifndef PVMLAB_BENCH_HELD_OUT_LIST_H
#define PVMLAB_BENCH_HELD_OUT_LIST_H

#include <stdbool.h>
#include <stddef.h>

enum { BENCH_HELD_OUT_MAX = 64, BENCH_HELD_OUT_NAME_MAX = 64 };

typedef struct bench_held_out {
    char names[BENCH_HELD_OUT_MAX][BENCH_HELD_OUT_NAME_MAX];
    size_t count;
} bench_held_out;

/* Reads path; -1 with one line in err when it cannot be read or holds too many or too
 * long names. */
int bench_held_out_load(const char *path, bench_held_out *out, char *err, size_t err_len);
bool bench_held_out_contains(const bench_held_out *list, const char *name);

#endif
