/* The verbs of the `pvmlab` command, one line each.
 *
 * To add a verb: write `int pvmlab_cmd_NAME(int argc, char **argv)` in your part's library
 * (argv[0] is the verb; return 0 ok, 1 failure, 2 bad usage with one line on stderr),
 * include its header below, add one X(...) line, and link the library in
 * bench/pvmlab/CMakeLists.txt (PVMLAB_VERB_LIBRARIES). */
#ifndef PVMLAB_VERBS_H
#define PVMLAB_VERBS_H

#include "bench/runner/cmd_bench.h"
#include "bench/runner/cmd_compare.h"
#include "costmodel/calibrate/cmd_calibrate.h"
#include "costmodel/counters/cmd_counters.h"
#include "results/cmd_db.h"
#include "plots/cmd_plot.h"
#include "reports/cmd_report.h"

/* X(name, function, one-line summary) */
#define PVMLAB_VERBS(X)                                                                           \
    X("bench", pvmlab_cmd_bench, "run a benchmark suite on every engine found, store every sample (--suite --engines --db)") \
    X("compare", pvmlab_cmd_compare, "ratios to a baseline engine, or a regression check between runs or databases") \
    X("calibrate", pvmlab_cmd_calibrate, "time generated microbenchmarks, fit per-opcode and memory costs, store a calibration") \
    X("tables", pvmlab_cmd_tables, "turn a stored calibration into cost table files (byte-identical for the same rows)") \
    X("counters", pvmlab_cmd_counters, "list the counters this machine offers, and why others are missing") \
    X("db", pvmlab_cmd_db, "init, check or merge a results database (--db PATH)") \
    X("plot", pvmlab_cmd_plot, "draw the gnuplot figures (PNG + SVG) from the results database") \
    X("report", pvmlab_cmd_report, "write report.md and a self-contained report.html (--db PATH --out DIR)")

#endif
