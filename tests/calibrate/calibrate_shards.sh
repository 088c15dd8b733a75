#!/bin/sh
# pvmlab calibrate --shard K/N: two shards of the smoke suite through GNU parallel, each into
# its own database, split the microbenchmarks without overlap or gap; merged, --fit-runs
# fits them into one calibration with as many values as an unsharded run; a fit that lacks
# a shard is refused, and so is one whose samples were measured on another program of the
# same name (a generator changed in between); the refit keeps an unavailable PMU rate NULL.
#   calibrate_shards.sh PVMLAB
set -eu
pvmlab=$1
command -v parallel >/dev/null || { echo "GNU parallel is missing: install the Debian package 'parallel' (scripts/packages-bench.txt)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$pvmlab" calibrate --smoke --db whole.db > whole.log 2>&1
total=$(sed -n 's/^calibrate: smoke suite, \([0-9]*\) programs.*/\1/p' whole.log)
[ -n "$total" ] || { echo "no program count in:" >&2; cat whole.log >&2; exit 1; }
parallel --will-cite -j2 "$pvmlab calibrate --smoke --shard {}/2 --db shard-{}.db > shard-{}.log 2>&1" ::: 1 2
n1=$(sed -n 's/^calibrate: shard 1\/2: \([0-9]*\) of .*/\1/p' shard-1.log)
n2=$(sed -n 's/^calibrate: shard 2\/2: \([0-9]*\) of .*/\1/p' shard-2.log)
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || { echo "a shard measured nothing:" >&2; tail -n 3 shard-*.log >&2; exit 1; }
[ $((n1 + n2)) -eq "$total" ] || { echo "shards measured $n1 + $n2 programs, the suite has $total" >&2; exit 1; }
"$pvmlab" db merge --db merged.db shard-1.db > merge-1.log
"$pvmlab" db merge --db merged.db shard-2.db > merge-2.log
# No microbenchmark in both shards: the second merge adds each of its benchmarks anew.
grep -q "+$n2 benchmarks" merge-2.log || { echo "the shards overlap:" >&2; cat merge-2.log >&2; exit 1; }
if "$pvmlab" calibrate --smoke --fit-runs 1 --db merged.db > partial.log 2>&1; then
    echo "a fit of one shard of two was accepted" >&2; exit 1
fi
grep -q "has no samples in the runs given to --fit-runs" partial.log
"$pvmlab" calibrate --smoke --fit-runs 1,2 --db merged.db > fit.log 2>&1 || { cat fit.log >&2; exit 1; }
grep -q "^calibrate: $total programs" fit.log || { echo "the fit did not use all $total programs:" >&2; cat fit.log >&2; exit 1; }
grep -q "^calibration [0-9]" fit.log
# The PMU's misprediction rate is as available in the refit as in the measuring run: NULL
# when no sample read the counter (this VM), never 0.
rate="SELECT coalesce(value_ps, 'NULL') FROM calibration_values WHERE key = 'branch.pmu_miss_rate' ORDER BY rowid DESC LIMIT 1"
whole_rate=$(sqlite3 whole.db "$rate")
fit_rate=$(sqlite3 merged.db "$rate")
[ -n "$whole_rate" ] || { echo "no branch.pmu_miss_rate stored by the whole run" >&2; exit 1; }
if [ "$whole_rate" = NULL ]; then
    [ "$fit_rate" = NULL ] || { echo "the refit stored branch.pmu_miss_rate $fit_rate where the samples have no PMU reading" >&2; exit 1; }
else
    [ "$fit_rate" != NULL ] || { echo "the refit lost branch.pmu_miss_rate ($whole_rate in the whole run)" >&2; exit 1; }
fi
# Samples of a program this build makes differently (here: one mixed program's checksum
# altered, as a generator change would) are refused by name, and no calibration is stored.
calibrations="SELECT count(*) FROM calibrations"
before=$(sqlite3 merged.db "$calibrations")
sqlite3 merged.db "UPDATE samples SET checksum = checksum + 1 WHERE benchmark_id =
  (SELECT id FROM benchmarks WHERE suite = 'calibrate' AND name LIKE 'mix.%' ORDER BY name LIMIT 1)"
altered=$(sqlite3 merged.db "SELECT name FROM benchmarks WHERE suite = 'calibrate' AND name LIKE 'mix.%' ORDER BY name LIMIT 1")
[ -n "$altered" ] || { echo "no mixed program in the smoke suite" >&2; exit 1; }
if "$pvmlab" calibrate --smoke --fit-runs 1,2 --db merged.db > altered.log 2>&1; then
    echo "a fit of samples from another program named $altered was accepted" >&2; exit 1
fi
grep -q "^pvmlab calibrate: $altered: the stored samples ran another program of that name" altered.log ||
    { echo "the refusal does not name $altered:" >&2; cat altered.log >&2; exit 1; }
[ "$(sqlite3 merged.db "$calibrations")" = "$before" ] || { echo "the refused fit stored a calibration" >&2; exit 1; }
echo "2 calibrate shards ($n1 + $n2 of $total programs) fitted together after the merge"
