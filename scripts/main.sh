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

echo "== 4/6 quick calibration (interpreter, then recompiler)"
"$bin/pvmlab" calibrate --quick --db "$db" | tee "$out/calibrate-interp.log"
cal_id=$(tail -n 1 "$out/calibrate-interp.log" | sed -n 's/^calibration \([0-9][0-9]*\)$/\1/p')
[ -n "$cal_id" ] || { echo "main: calibrate did not end with 'calibration ID'" >&2; exit 1; }
"$bin/pvmlab" calibrate --quick --backend jit --db "$db" > "$out/calibrate-jit.log"
tail -n 1 "$out/calibrate-jit.log"

echo "== 5/6 cost tables from calibration $cal_id"
"$bin/pvmlab" tables --db "$db" --calibration "$cal_id" --model table --out "$out/tables"
"$bin/pvmlab" tables --db "$db" --calibration "$cal_id" --model pipeline-l2hit --out "$out/tables"

echo "== 6/6 report"
"$bin/pvmlab" report --db "$db" --out "$out"
