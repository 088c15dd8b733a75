#!/usr/bin/env bash
# The main job on the built-in defaults: set up and build, then a quick
# benchmark, a quick calibration, cost tables from it, and the report.
#   PVMLAB_DB=path bash scripts/main.sh     (default results/pvmlab.db)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
bash "$root/scripts/setup.sh" "$build"
bin="$build/bin"
db="${PVMLAB_DB:-$root/results/pvmlab.db}"
out="$root/reports/out"
mkdir -p "$out" "$(dirname "$db")"
cd "$root"

echo "== 1/6 first speed figure: a builder-made PVM loop"
"$bin/pvm" example loop "$out/loop.polkavm" >/dev/null
"$bin/pvm" run "$out/loop.polkavm" --export main --arg 20000000 --stats
"$bin/pvm" run "$out/loop.polkavm" --backend jit --export main --arg 20000000 --stats

echo "== 2/6 counters on this machine"
"$bin/pvmlab" counters

echo "== 3/6 quick benchmark (every engine found, quick sizes)"
"$bin/pvmlab" bench --suite quick --db "$db" --build-dir "$build"
"$bin/pvmlab" compare --db "$db" || true

echo "== 4/6 quick calibration (interpreter, then recompiler; metered, held-out fidelity in step 5)"
calibration_id() { tail -n 1 "$1" | sed -n 's/^calibration \([0-9][0-9]*\)$/\1/p'; }
"$bin/pvmlab" calibrate --quick --db "$db" | tee "$out/calibrate-interp.log"
interp_id=$(calibration_id "$out/calibrate-interp.log")
[ -n "$interp_id" ] || { echo "main: calibrate did not end with 'calibration ID'" >&2; exit 1; }
"$bin/pvmlab" calibrate --quick --backend jit --db "$db" > "$out/calibrate-jit.log"
jit_id=$(calibration_id "$out/calibrate-jit.log")
[ -n "$jit_id" ] || { echo "main: calibrate --backend jit did not end with 'calibration ID'" >&2; exit 1; }
tail -n 1 "$out/calibrate-jit.log"

# A table whose fitted costs are too noisy is refused (tables says which measurement
# to repeat); the main job then writes it anyway, marked, so that the report has it.
tables() {
  "$bin/pvmlab" tables --db "$db" --out "$out/tables" --fidelity quick "$@" ||
    { echo "main: writing it anyway (--allow-noisy): rerun that calibration on a quiet machine to trust it";
      "$bin/pvmlab" tables --db "$db" --out "$out/tables" --fidelity quick --allow-noisy "$@"; }
}
echo "== 5/6 cost tables: per-opcode from both calibrations, pipeline from the recompiler's (held-out fidelity)"
tables --calibration "$interp_id" --model table
tables --calibration "$jit_id" --model table
tables --calibration "$jit_id" --model pipeline-l2hit

echo "== 6/6 report"
"$bin/pvmlab" report --db "$db" --out "$out"
