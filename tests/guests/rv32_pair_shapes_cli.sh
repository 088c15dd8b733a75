#!/bin/sh
# scripts/rv32_pair_shapes.py: a real rv32 guest gives its executed-instruction count and the
# shares of the 64-bit pair shapes (keccak: the variable funnel of its rotations) and its
# fault-free runs (counts that agree with each other); bad arguments, a missing guest, a
# held-out guest and a corrupt blob each stop it with one line on stderr naming the problem
# and a non-zero exit.
#   rv32_pair_shapes_cli.sh SOURCE_DIR PYTHON3 PVM BUILD_DIR
set -u
src=$1 python=$2 pvm=$3 build=$4
script=$src/scripts/rv32_pair_shapes.py
. "$(dirname "$0")/guest_profile_cli_lib.sh"

guest=$build/guests/rv32/keccak.polkavm
[ -f "$guest" ] || fail "no rv32 keccak guest in $build"
common_errors "$guest" "$build/guests/rv32/bigint_mont.polkavm"

"$python" "$script" "$pvm" "$guest" 20 >"$tmp/out" 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "run wrote to stderr: $(cat "$tmp/err")"
grep -q "^keccak arg 20: [1-9][0-9]* instructions executed$" "$tmp/out" || fail "no count line: $(cat "$tmp/out")"
grep -q "%  variable funnel (a 64-bit rotate by n)$" "$tmp/out" || fail "keccak's rotations not found: $(cat "$tmp/out")"
grep -q "%  (loads and stores)$" "$tmp/out" || fail "no loads and stores line: $(cat "$tmp/out")"
# the fault-free runs: fewer than the instructions, each longer than none; paired products
# no more than the products; the three shares of runs add up to 100 %
runs=$(sed -n 's/^fault-free runs (between loads, stores, ecalli, sbrk, memset and block ends): \([0-9]*\) executed, \([0-9.]*\) instructions each$/\1 \2/p' "$tmp/out")
[ -n "$runs" ] || fail "no fault-free runs line: $(cat "$tmp/out")"
total=$(sed -n 's/^keccak arg 20: \([0-9]*\) instructions executed$/\1/p' "$tmp/out")
set -- $runs
[ "$1" -gt 0 ] && [ "$1" -lt "$total" ] || fail "runs $1 not within (0, $total)"
awk -v m="$2" 'BEGIN { exit !(m >= 1 && m < 100) }' || fail "mean run length $2"
prod=$(sed -n 's/^  \([0-9]*\) of \([0-9]*\) products have both halves in one run$/\1 \2/p' "$tmp/out")
[ -n "$prod" ] || fail "no products line: $(cat "$tmp/out")"
set -- $prod
[ "$1" -le "$2" ] || fail "paired products $1 more than products $2"
shares=$(sed -n 's|^  runs holding 0 / 1 / 2 or more such products: \([0-9.]*\)% / \([0-9.]*\)% / \([0-9.]*\)%$|\1 \2 \3|p' "$tmp/out")
[ -n "$shares" ] || fail "no shares of runs line: $(cat "$tmp/out")"
set -- $shares
awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { s = a + b + c; exit !(s > 99.8 && s < 100.2) }' || fail "shares $shares do not add up to 100"
echo ok
