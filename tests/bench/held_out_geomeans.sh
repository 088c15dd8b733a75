#!/bin/sh
# scripts/bench_held_out.sh splits the geomeans of a stored run between the tuned and the
# held-out guests: on the synthetic database (pvm-interp-gas-sync at 9x native on every guest
# but keccak, 11.25x) with keccak and matmul held out, 9.000 over the five others and
# sqrt(11.25 x 9) = 10.062 over the two; a missing database or list is refused in one line.
# And every name in bench/guests/held_out.txt is a
# guest of guests.def.
#   held_out_geomeans.sh SOURCE_DIR PVMLAB MAKE_SYNTHETIC_DB
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$3" "$work/syn.db" > /dev/null
printf '# test list\nkeccak\nmatmul\n' > "$work/held.txt"
PVMLAB=$2 HELD_OUT_FILE="$work/held.txt" bash "$src/scripts/bench_held_out.sh" --db "$work/syn.db" > "$work/out.txt"
cat "$work/out.txt"
grep -q '^pvm-interp-gas-sync  *9\.000 ( 5)  *10\.062 ( 2)$' "$work/out.txt"
grep -q '^wasmtime  *1\.400 ( 5)  *1\.400 ( 2)$' "$work/out.txt"
# bad input: a missing database or list is one line on stderr, a non-zero exit, no table
if PVMLAB=$2 bash "$src/scripts/bench_held_out.sh" --db "$work/missing.db" > "$work/bad.txt" 2> "$work/bad.err"; then exit 1; fi
test ! -s "$work/bad.txt"
grep -q 'missing.db' "$work/bad.err"
test "$(wc -l < "$work/bad.err")" -eq 1
if PVMLAB=$2 HELD_OUT_FILE="$work/nolist.txt" bash "$src/scripts/bench_held_out.sh" --db "$work/syn.db" > "$work/bad.txt" 2> "$work/bad.err"; then exit 1; fi
test ! -s "$work/bad.txt"
grep -q 'nolist.txt: the held-out list is not readable' "$work/bad.err"
for name in $(grep -v '^#' "$src/bench/guests/held_out.txt"); do
    grep -q "^GUEST($name," "$src/bench/guests/guests.def" || { echo "held_out.txt: $name is not a guest of guests.def" >&2; exit 1; }
done
echo ok
