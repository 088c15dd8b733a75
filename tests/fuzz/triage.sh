#!/bin/sh
# What pvm-fuzz does when a backend is broken: with a planted bug (the recompiler's r7 is
# off by one after each run of a case holding add_64), the run reports each divergence,
# shrinks it to a few instructions that still hold add_64, saves it, and stops after
# --max-divergences; the saved cases replay as divergent with the bug and as equal without;
# --shrink-seconds 0 leaves a case unshrunk and says so; a hang report names the rerun
# command of that one program; bad values of the new flags are one line and exit 2.
#   triage.sh PVM_FUZZ
set -u
fuzz=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$fuzz" --seed 1 --count 300 --plant-divergence add_64 --max-divergences 3 --save "$work" > "$work/out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "planted run exited $rc, not 1: $(tail -3 "$work/out")"
grep -q "stopped after 3 divergences (--max-divergences)" "$work/out" || fail "no stop after 3 divergences"
[ "$(grep -c 'DIVERGES: r7: ' "$work/out")" -eq 3 ] || fail "not 3 divergences in r7"
[ "$(ls "$work"/*.case | wc -l)" -eq 3 ] || fail "not 3 saved cases"
grep "shrunk to" "$work/out" | while read -r _ _ n _; do
    [ "$n" -le 4 ] || fail "a case shrank only to $n instructions"
done || exit 1
for f in "$work"/*.case; do
    grep -q "^ins add_64 " "$f" || fail "$f: the shrunk case lost its add_64"
done
"$fuzz" --replay "$work"/*.case > "$work/replay" 2>&1 || fail "saved cases diverge without the planted bug"
"$fuzz" --plant-divergence add_64 --replay "$work"/*.case > "$work/replay" 2>&1 && fail "saved cases replay equal with the planted bug"
[ "$(grep -c DIVERGES "$work/replay")" -eq 3 ] || fail "not 3 divergent replays"

"$fuzz" --seed 1 --count 300 --plant-divergence add_64 --max-divergences 1 --shrink-seconds 0 > "$work/out" 2>&1
grep -q "shrinking stopped after 0 s: " "$work/out" || fail "--shrink-seconds 0 did not leave the case unshrunk"

"$fuzz" --seed 5 --first 7 --count 1 --case-timeout-us 1 > "$work/out" 2>&1
rc=$?
[ $rc -eq 3 ] || fail "watchdog exit $rc, not 3"
grep -q "program 7 (seed 5) ran over 1 us: a hang in one backend (alone: --seed 5 --first 7 --count 1)" "$work/out" ||
    fail "watchdog line: $(cat "$work/out")"

for flag_value in "--shrink-seconds x" "--shrink-seconds -1" "--max-divergences 0" "--max-divergences 2k" "--plant-divergence addd" \
    "--first x" "--first -3"; do
    # shellcheck disable=SC2086
    out=$("$fuzz" --count 1 $flag_value 2>&1 >/dev/null)
    rc=$?
    [ $rc -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && case "$out" in "pvm-fuzz: $flag_value: "*) true ;; *) false ;; esac ||
        fail "$flag_value: rc=$rc: $out"
done
echo "triage: all checks passed"
