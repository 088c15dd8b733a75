#!/usr/bin/env bash
# Smoke test of every pvm verb, including errors on a missing file and a bad flag.
set -u
pvm="$1"; vectors="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/cli_check.sh"
check example 0 "wrote" -- "$pvm" example loop "$tmp/loop.polkavm"
check run 0 "MIPS" -- "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --stats
check run-gas 0 "gas used: 9007" -- "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100000 --stats
check run-lazy 0 "gas used" -- "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100000 --stats --lazy-pages mprotect
check run-lazy-bad 1 "unknown backend 'x'" -- "$pvm" run "$tmp/loop.polkavm" --export main --lazy-pages x
check run-oog 3 "out-of-gas" -- "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100
# --repeat: the same call N times on one instance; the counts and gas are one run's, the time a median
for backend in interp jit; do
  check run-repeat-$backend 0 "wall time: [0-9.]+ s \(median of 4 runs on one instance; min [0-9.]+, max [0-9.]+, the first [0-9.]+\)" -- \
    "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100000 --stats --repeat 4 --backend $backend
  check run-repeat-gas-$backend 0 "gas used: 9007$" -- \
    "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100000 --stats --repeat 3 --backend $backend
done
check run-repeat-counts 0 "^instructions: 9007$" -- "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100000 --stats --repeat 3 --backend interp
check run-repeat-oog 1 "loop.polkavm: --repeat: the run ended with out-of-gas at pc [0-9]+, not a return to the host$" -- \
  "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas 100 --repeat 2
check run-repeat-bad 2 "^pvm: --repeat 0: not a count from 1 to 1000000$" -- "$pvm" run "$tmp/loop.polkavm" --repeat 0
check run-repeat-bad-text 2 "^pvm: --repeat x: not a count from 1 to 1000000$" -- "$pvm" run "$tmp/loop.polkavm" --repeat x
check run-missing 1 "nope.polkavm: No such file" -- "$pvm" run "$tmp/nope.polkavm"
check run-badflag 2 "unknown option" -- "$pvm" run "$tmp/loop.polkavm" --frobnicate
check run-badgas 2 "--gas x" -- "$pvm" run "$tmp/loop.polkavm" --gas x
check run-badbackend 2 "use interp or jit" -- "$pvm" run "$tmp/loop.polkavm" --backend foo
check run-noexport 1 "no export named 'zz'" -- "$pvm" run "$tmp/loop.polkavm" --export zz
# PVMLAB_INTERP_RECORDS_SHIFT (vm/interp/interp_code.c): a malformed value is one line and exit 1
check run-shift-bad 1 '^pvm: [^ ]*loop.polkavm: PVMLAB_INTERP_RECORDS_SHIFT=12x: neither "worst" nor a multiple of 64 from 0 to 4032$' -- \
  env PVMLAB_INTERP_RECORDS_SHIFT=12x "$pvm" run "$tmp/loop.polkavm" --export main --arg 10 --backend interp
lines=$(env PVMLAB_INTERP_RECORDS_SHIFT=12x "$pvm" run "$tmp/loop.polkavm" --export main --arg 10 --backend interp 2>&1 | wc -l)
if [ "$lines" = 1 ]; then passes=$((passes+1)); else echo "FAIL run-shift-bad-one-line: $lines lines"; fails=$((fails+1)); fi
check run-shift-128 0 "^exit: " -- env PVMLAB_INTERP_RECORDS_SHIFT=128 "$pvm" run "$tmp/loop.polkavm" --export main --arg 10 --backend interp
check run-shift-worst 0 "^exit: " -- env PVMLAB_INTERP_RECORDS_SHIFT=worst "$pvm" run "$tmp/loop.polkavm" --export main --arg 10 --backend interp
check disasm 0 "branch_lt_u" -- "$pvm" disasm "$tmp/loop.polkavm"
check disasm-missing 1 "No such file" -- "$pvm" disasm "$tmp/nope"
check validate 0 "^ok: polkavm program" -- "$pvm" validate "$tmp/loop.polkavm"
head -c 20 "$tmp/loop.polkavm" > "$tmp/trunc.polkavm"
check validate-bad 1 "trunc.polkavm: offset 5: header says" -- "$pvm" validate "$tmp/trunc.polkavm"
check gas 0 "total: " -- "$pvm" gas "$tmp/loop.polkavm"
check gas-profile 0 "gas profile" -- "$pvm" run "$tmp/loop.polkavm" --export main --arg 1000 --gas-profile
check gas-badmodel 2 "--model nosuch" -- "$pvm" gas "$tmp/loop.polkavm" --model nosuch
check vectors-missing 1 "No such file" -- "$pvm" vectors "$tmp/none"
check vectors-badflag 2 "unexpected argument" -- "$pvm" vectors "$vectors" --bogus
check unknown-verb 2 "unknown verb" -- "$pvm" frob
check help 0 "pvm run FILE" -- "$pvm" help
check_summary "cli smoke"
