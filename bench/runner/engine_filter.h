/* --engines LIST: keeping only the configurations the user named. */
#ifndef PVMLAB_BENCH_ENGINE_FILTER_H
#define PVMLAB_BENCH_ENGINE_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "bench/engines/engine.h"

/* Whether name is selected by the comma-separated spec, whose entries are names or
 * prefixes ending in '*' ("pvm-jit-*"). An empty or NULL spec selects everything. */
bool bench_engine_selected(const char *spec, const char *name);

/* Destroys and removes the engines (and missing entries) that spec does not select. When
 * an entry of spec selects nothing at all, found or missing, returns -1 and writes it to
 * unknown. */
int bench_filter_engines(bench_engine_list *list, const char *spec, char *unknown, size_t unknown_len);

#endif
