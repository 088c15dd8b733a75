#!/usr/bin/env bash
# Held-out check of a calibration on the benchmark guests (rv64 and rv32 PVM builds, quick
# sizes, never fitted): generates the table and pipeline-l2hit tables from calibration ID,
# runs every guest under each (sync gas, the calibration's backend), with and without lazy
# pages (lazy-page charges), and prints ns/gas per guest, max/median and the guests' median
# ps/gas against the declared unit. Each guest runs REPS times (default 3); the fastest run
# counts (least disturbed by other load). Say the load (uptime) when you quote the numbers.
#
#   scripts/calibration_fidelity.sh DB ID [BUILD_DIR] [REPS]
# To reproduce the issue-13 numbers on a quiet machine:
#   build/bin/pvmlab calibrate --backend jit --db /tmp/c.db        (full; or --quick)
#   scripts/calibration_fidelity.sh /tmp/c.db 1
set -euo pipefail
db=$1 id=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$root/build}
reps=${4:-3}
bin=$build/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
backend=$(sqlite3 "$db" "SELECT json_extract(parameters, '$.vm_backend') FROM calibrations WHERE id = $id")
unit=$(sqlite3 "$db" "SELECT value_ps FROM calibration_values WHERE calibration_id = $id AND key = 'unit.ps_per_gas'")
echo "calibration $id ($backend), declared unit ${unit:-none} ps/gas; load: $(uptime | sed 's/.*load average: //')"
models=(table)
[ "$backend" = jit ] && models+=(pipeline-l2hit)
for m in "${models[@]}"; do
  "$bin/pvmlab" tables --db "$db" --calibration "$id" --model "$m" --out "$tmp/t" --fidelity none --allow-noisy \
    | sed 's/^/  /'
done
for isa in rv64 rv32; do
  mkdir -p "$tmp/$isa"
  for elf in "$build"/guests/$isa/*.elf; do
    name=$(basename "$elf" .elf)
    grep -q "^GUEST($name," "$root/bench/guests/guests.def" || continue
    "$bin/pvm-link" "$elf" -o "$tmp/$isa/$name.polkavm"
  done
done
for m in "${models[@]}"; do
  kind=table; [ "$m" = table ] || kind=pipeline
  file=$(ls "$tmp/t/$m"-cal*."$kind")
  for lazy in no yes; do
    for isa in rv64 rv32; do
      printf '%s\n' "model $m, $isa, lazy pages: $lazy"
      for blob in "$tmp/$isa"/*.polkavm; do
        name=$(basename "$blob" .polkavm)
        size=$(grep "^GUEST($name," "$root/bench/guests/guests.def" | cut -d, -f3 | tr -d ' ')
        extra=(); [ $lazy = yes ] && extra=(--lazy-pages mprotect)
        best=""
        for r in $(seq "$reps"); do
          out=$("$bin/pvm" run "$blob" --export run --arg "$size" --gas 1000000000000000 --gas-mode sync \
                --backend "$backend" --model "$kind:$file" "${extra[@]}" --stats 2>&1)
          gas=$(sed -n 's/^gas used: //p' <<<"$out"); t=$(sed -n 's/^wall time: \([0-9.]*\) s/\1/p' <<<"$out")
          best=$(python3 -c "b='$best'; t=$t; print(t if not b or t < float(b) else b)")
        done
        echo "$name $gas $best"
      done | python3 -c "
import sys, statistics
rows = [l.split() for l in sys.stdin if l.strip()]
v = {n: float(t) * 1e9 / int(g) for n, g, t in rows}
med = statistics.median(v.values())
unit = '$unit'
for n, x in sorted(v.items(), key=lambda kv: kv[1]):
    print(f'  {n:22s} {x:8.4f} ns/gas')
line = f'  max/median {max(v.values()) / med:.2f}, median {med * 1000:.0f} ps/gas'
if unit: line += f' = {med * 1000 / float(unit):.2f} x the declared unit'
print(line)"
    done
  done
done
