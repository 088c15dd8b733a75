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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

expect_error() {
    want=$1 pattern=$2; shift 2
    "$python" "$script" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "$*: exit $rc, wanted $want"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$*: stderr is not one line: $(cat "$tmp/err")"
    grep -q "$pattern" "$tmp/err" || fail "$*: stderr does not say '$pattern': $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] || fail "$*: printed to stdout"
}

guest=$build/guests/rv64/sieve.polkavm
[ -f "$guest" ] || fail "no rv64 sieve guest in $build"
expect_error 2 "usage:"
expect_error 2 "not an executable pvm" "$tmp/no-such-pvm" "$guest" 10
expect_error 2 "no such guest file" "$pvm" "$tmp/none.polkavm" 10
expect_error 2 "held-out guest" "$pvm" "$build/guests/rv64/base64.polkavm" 10
expect_error 1 "not a number" "$pvm" "$guest" ten
head -c 100 "$guest" >"$tmp/sieve.polkavm"
expect_error 1 "failed:" "$pvm" "$tmp/sieve.polkavm" 10

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
