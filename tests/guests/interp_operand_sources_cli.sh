#!/bin/sh
# scripts/interp_operand_sources.py: a real rv64 guest (sieve) gives its executed-instruction
# and register-read counts and five shares of where the reads' values were written, which add
# up to 100 % (sieve: the forwarded operand and its self-loop's counter among them); bad
# arguments, a missing guest, a held-out guest and a corrupt blob each stop it with one line
# on stderr naming the problem and a non-zero exit.
#   interp_operand_sources_cli.sh SOURCE_DIR PYTHON3 PVM BUILD_DIR
set -u
src=$1 python=$2 pvm=$3 build=$4
script=$src/scripts/interp_operand_sources.py
. "$(dirname "$0")/guest_profile_cli_lib.sh"

guest=$build/guests/rv64/sieve.polkavm
[ -f "$guest" ] || fail "no rv64 sieve guest in $build"
common_errors "$guest" "$build/guests/rv64/base64.polkavm"

"$python" "$script" "$pvm" "$guest" 2000 >"$tmp/out" 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "run wrote to stderr: $(cat "$tmp/err")"
grep -q "^sieve arg 2000: [1-9][0-9]* instructions executed, [1-9][0-9]* register reads ([0-9.]* per instruction)$" "$tmp/out" ||
    fail "no count line: $(cat "$tmp/out")"
for k in acc second earlier "self-loop acc" "before block"; do
    grep -q "^ *[0-9.]*%  $k$" "$tmp/out" || fail "no '$k' line: $(cat "$tmp/out")"
done
awk '/%  / { s += $1 } END { exit !(s > 99.9 && s < 100.1) }' "$tmp/out" || fail "shares do not add up to 100: $(cat "$tmp/out")"
# sieve: the forwarded operand takes a fair share, and its inner self-loop reads its counter first
awk '/%  acc$/ { exit !($1 > 10) }' "$tmp/out" || fail "acc share too small: $(cat "$tmp/out")"
awk '/%  self-loop acc$/ { exit !($1 > 0) }' "$tmp/out" || fail "no self-loop acc in sieve: $(cat "$tmp/out")"
echo ok
