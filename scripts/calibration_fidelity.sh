#!/usr/bin/env bash
# Held-out check of a calibration on the benchmark guests, through pvmlab itself (one
# implementation: costmodel/calibrate/fidelity*.c, stored in SQLite): makes the table and, for
# a recompiler calibration, the pipeline-l2hit table of calibration ID with
# `pvmlab tables --fidelity quick` (which times the calibration programs, a held-out generated
# set and the guests' rv64 and rv32 builds, lazy-page charges in and out), prints each guest's
# ns/gas and what it stored (with the generated training set, the held-out generated set's control), and per guest set the median ps/gas against the declared unit. Say the load (printed)
# when you quote the numbers.
#
#   scripts/calibration_fidelity.sh DB ID [BUILD_DIR]
# To reproduce the issue-13 numbers on a quiet machine:
#   build/bin/pvmlab calibrate --quick --backend jit --db /tmp/c.db
#   scripts/calibration_fidelity.sh /tmp/c.db 1
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/calibration_fidelity.sh DB ID [BUILD_DIR]" >&2
  exit 2
fi
db=$1 id=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$root/build}
pvmlab=$build/bin/pvmlab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$db" ] || { echo "calibration_fidelity: $db: no such database" >&2; exit 1; }
# The calibration's fields and values through pvmlab (SQL lives only in results/).
"$pvmlab" db calibration --db "$db" "$id" > "$tmp/calibration" || exit 1
backend=$(awk -F'\t' '$1 == "vm_backend" { print $2 }' "$tmp/calibration")
unit=$(awk -F'\t' '$1 == "value" && $2 == "unit.ps_per_gas" && $3 != "NULL" { print $3 }' "$tmp/calibration")
echo "calibration $id ($backend), declared unit ${unit:-none} ps/gas; load: $(uptime | sed 's/.*load average: //')"
models=(table)
[ "$backend" = jit ] && models+=(pipeline-l2hit)
for m in "${models[@]}"; do
  "$pvmlab" tables --db "$db" --calibration "$id" --model "$m" --out "$tmp/t" --fidelity quick --allow-noisy \
    > "$tmp/$m.out"
  grep -E '^(tables|fidelity .*(held out|generated .*\(training\))|  rv(64|32) )' "$tmp/$m.out"
  # The stored summary lines say "ns/gas median X ... against the unit's U": that median against
  # the table's unit (the declared one, or the converted/fitted pipeline table's own) and the
  # declared one.
  if [ -n "$unit" ]; then
    grep -E '^fidelity .* guests-rv(64|32) .*all programs, lazy pages charged' "$tmp/$m.out" |
      sed -E "s/.*(guests-rv[0-9]+).*ns\/gas median ([0-9.]+).*against the unit's ([0-9.]+).*/\1 \2 \3/" |
      while read -r set median table_unit; do
        awk -v s="$set" -v m="$median" -v u="$unit" -v t="$table_unit" -v model="$m" \
          'BEGIN { printf "%s %s: guests median %.0f ps/gas = %.2f x the table'"'"'s unit (%.1f), %.2f x the declared unit\n", model, s, m * 1000, m * 1000 / t, t, m * 1000 / u }'
      done
  fi
done
