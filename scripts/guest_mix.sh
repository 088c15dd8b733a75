#!/usr/bin/env bash
# Measures the benchmark guests' dynamic distributions (block lengths, opcode mix, operand
# producer distance, branch predictability under a predictor model) from their PVM builds,
# rv64 and rv32 apart, and prints the data block of costmodel/microbench/guest_mix_data.h; the
# held-out guests (bench/guests/held_out.txt) are left out. Usage: scripts/guest_mix.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=()
for isa in rv64 rv32; do
  mkdir -p "$tmp/$isa"
  args+=(--target "$isa")
  for elf in "$build"/guests/$isa/*.elf; do
    name=$(basename "$elf" .elf)
    case $name in *.qemu|sdk_example|int_ops) continue ;; esac
    grep -q "^GUEST($name," "$root/bench/guests/guests.def" || continue
    grep -qx "$name" "$root/bench/guests/held_out.txt" && continue # never training data
    "$build/bin/pvm-link" "$elf" -o "$tmp/$isa/$name.polkavm"
    args+=("$tmp/$isa/$name.polkavm")
  done
done
"$build/bin/pvmlab-guest-mix" "$root/bench/guests/guests.def" "${args[@]}"
