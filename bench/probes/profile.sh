#!/usr/bin/env bash
# Profiles the interpreter on the probe programs of this folder (README.md): builds each for
# rv64 and rv32 with BUILD/bin/pvm-cc, then per program prints the guest instructions and
# callgrind's counts inside pvm_interp_run (Ir, conditional branches and valgrind's simulated
# mispredictions of them, indirect jumps and their simulated mispredictions), each also per
# guest instruction. Usage: profile.sh BUILD_DIR [none|sync|async] [rv64|rv32] [SCALE]
# (SCALE multiplies the default sizes, which run 7-9 M guest instructions on rv64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: profile.sh BUILD_DIR [gas mode] [rv64|rv32] [scale]}" && pwd)
mode=${2:-none}
isa=${3:-rv64}
scale=${4:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-14s %10s %12s %10s %8s %10s %10s %6s %6s %6s\n' program instrs Ir Bc Bcm Bi Bim Ir/i Bi/i Bim/i
for entry in expr_eval:4000 avl_tree:6000 life:16 bmh_search:10 utf8_words:128 varint_stream:10 record_sort:5 queens_subset:2; do
  name=${entry%%:*}
  size=$((${entry##*:} * scale))
  "$build/bin/pvm-cc" --target "$isa" -O2 -I "$here/../guests" "$here/$name.c" -o "$tmp/$name.polkavm"
  run=("$build/bin/pvm" run "$tmp/$name.polkavm" --export run --arg "$size" --backend interp --gas-mode "$mode")
  instrs=$("${run[@]}" --stats | sed -n 's/^instructions: //p')
  valgrind --tool=callgrind --branch-sim=yes --toggle-collect=pvm_interp_run \
    --callgrind-out-file="$tmp/cg.out" "${run[@]}" --quiet > /dev/null 2> "$tmp/cg.err"
  read -r ir bc bcm bi bim < <(sed -n 's/^summary: //p' "$tmp/cg.out")
  awk -v n="$name" -v i="$instrs" -v ir="$ir" -v bc="$bc" -v bcm="$bcm" -v bi="$bi" -v bim="$bim" \
    'BEGIN { printf "%-14s %10d %12d %10d %8d %10d %10d %6.2f %6.3f %6.3f\n", n, i, ir, bc, bcm, bi, bim, ir / i, bi / i, bim / i }'
done
