/* The engine ratios that compare, plot and report print, read back from what each of them
 * writes (compare's table, the engine_ratios figure's data file, the report's "Engine ratios"
 * table) into one comparable form: sorted lines "ENGINE<TAB>GUEST<TAB>RATIO" with the ratio
 * at two decimals, one line per (engine, guest) that has a ratio and one per engine with
 * GUEST "geomean" when the output has a geometric mean. The baseline (native) column is left
 * out. Each returns a heap string (caller frees), or NULL when the output has no such table. */
#ifndef PVMLAB_RATIO_OUTPUTS_H
#define PVMLAB_RATIO_OUTPUTS_H

#include <stdbool.h>

/* compare's stdout ("ratio to native ..." header, engine columns, guest rows, geomean). */
char *ratios_from_compare(const char *output);
/* data/engine_ratios.tsv (header "guest<TAB>ENGINE...", "?" for none; no geomean). */
char *ratios_from_figure_data(const char *tsv);
/* report.md: the first table after "## Engine ratios". */
char *ratios_from_report(const char *markdown);

/* The lines of ratios whose GUEST is not "geomean" (heap string; caller frees). */
char *ratios_without_geomean(const char *ratios);

#endif
