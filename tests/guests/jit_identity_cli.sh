#!/bin/sh
# scripts/jit_identity.sh: the same compiler gives the same fingerprints twice, one line per
# (guest, model, gas mode) plus gas and disasm; bad arguments, an empty guest folder and a
# corrupt blob each stop it with one line on stderr and a non-zero exit.
#   jit_identity_cli.sh SOURCE_DIR PVM BUILD_DIR
set -u
src=$1 pvm=$2 build=$3
script=$src/scripts/jit_identity.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# one line on stderr, nothing on stdout, the given exit status
expect_error() {
    want=$1; shift
    sh "$script" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "$*: exit $rc, wanted $want"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$*: stderr is not one line: $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] || [ "$want" -ne 2 ] || fail "$*: usage error printed to stdout"
}

mkdir -p "$tmp/b/guests/rv64" "$tmp/b/guests/rv32"
expect_error 2
expect_error 2 "$tmp/no-such-pvm" "$tmp/b"
expect_error 2 "$pvm" "$tmp/no-such-build"
expect_error 1 "$pvm" "$tmp/b"
grep -q "no .polkavm guests" "$tmp/err" || fail "empty folder: $(cat "$tmp/err")"

cp "$build/guests/rv64/crc32.polkavm" "$tmp/b/guests/rv64/" || fail "no rv64 crc32 guest in $build"
cp "$build/guests/rv32/crc32.polkavm" "$tmp/b/guests/rv32/" || fail "no rv32 crc32 guest in $build"
sh "$script" "$pvm" "$tmp/b" >"$tmp/first" 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
sh "$script" "$pvm" "$tmp/b" >"$tmp/second" 2>"$tmp/err" || fail "second run: $(cat "$tmp/err")"
cmp -s "$tmp/first" "$tmp/second" || fail "two runs of one compiler differ"
# per guest: 2 models x 3 gas modes of code, 2 gas lines, 1 disasm line
[ "$(wc -l <"$tmp/first")" -eq 18 ] || fail "expected 18 lines, got $(wc -l <"$tmp/first")"
grep -q "^rv32/crc32 pipeline-l2hit sync code [0-9a-f]\{16\} map [0-9a-f]\{16\}$" "$tmp/first" || fail "no rv32 pipeline sync line"
grep -q "^rv64/crc32 disasm [0-9a-f]\{16\}$" "$tmp/first" || fail "no rv64 disasm line"
# the two ISAs' code differs
a=$(sed -n 's/^rv64\/crc32 unit none code \([0-9a-f]*\) .*/\1/p' "$tmp/first")
b=$(sed -n 's/^rv32\/crc32 unit none code \([0-9a-f]*\) .*/\1/p' "$tmp/first")
[ -n "$a" ] && [ "$a" != "$b" ] || fail "rv64 and rv32 code fingerprints: '$a' '$b'"

printf 'not a blob' >"$tmp/b/guests/rv32/crc32.polkavm"
expect_error 1 "$pvm" "$tmp/b"
grep -q "^rv32/crc32 unit none: validate failed: " "$tmp/err" || fail "corrupt blob: $(cat "$tmp/err")"
echo "jit_identity: fingerprints stable, bad input refused"
