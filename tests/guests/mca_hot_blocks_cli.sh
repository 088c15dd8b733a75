#!/bin/sh
# scripts/mca_hot_blocks.py on a small tuned rv64 guest (crc32): the exit status, the last
# line in its documented form with a total above zero, the same output from two runs (it
# claims to be deterministic) and the same total from --pvm naming this build's pvm; a
# missing guest file, a missing pvm and a guest that does not decode each stop it with one
# line on stderr and a non-zero exit. Skips (exit 77, the reason printed) without llvm-mca-19
# or objdump, which the script needs.
#   mca_hot_blocks_cli.sh SOURCE_DIR PYTHON3 BUILD_DIR
set -u
src=$1 python=$2 build=$3
script=$src/scripts/mca_hot_blocks.py
for tool in llvm-mca-19 objdump; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool not found on PATH (apt: llvm-19, binutils); scripts/mca_hot_blocks.py needs it"
        exit 77
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

guest=crc32 arg=200
[ -f "$build/guests/rv64/$guest.polkavm" ] || fail "no rv64 $guest guest in $build"
[ -x "$build/bin/pvm" ] || fail "no pvm in $build/bin"

# One line on stderr naming the problem, nothing on stdout, a non-zero exit.
expect_error() {
    pattern=$1; shift
    "$python" "$script" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -ne 0 ] || fail "$*: exit 0"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$*: stderr is not one line: $(cat "$tmp/err")"
    grep -q "$pattern" "$tmp/err" || fail "$*: stderr does not say '$pattern': $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] || fail "$*: printed to stdout: $(cat "$tmp/out")"
}

expect_error "^mca_hot_blocks: $build/guests/rv64/no_such_guest.polkavm: no such file$" \
    "$build" rv64 no_such_guest 10 --top 3
expect_error "^mca_hot_blocks: $tmp/no-pvm: no such file$" "$build" rv64 "$guest" 10 --top 3 --pvm "$tmp/no-pvm"
# A build folder whose guest is cut short: the recompiler's dump run fails.
mkdir -p "$tmp/cut/guests/rv64" "$tmp/cut/bin"
head -c 100 "$build/guests/rv64/$guest.polkavm" >"$tmp/cut/guests/rv64/$guest.polkavm"
expect_error "^mca_hot_blocks: .*$guest.polkavm: the recompiler's run failed: " \
    "$tmp/cut" rv64 "$guest" 10 --top 3 --pvm "$build/bin/pvm"

run() { "$python" "$script" "$build" rv64 "$guest" "$arg" --top 3 "$@"; }
run >"$tmp/first" 2>"$tmp/err" || fail "run: exit $?: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "run wrote to stderr: $(cat "$tmp/err")"
last=$(tail -n 1 "$tmp/first")
echo "$last" | grep -Eq "^rv64 $guest [0-9]+\.[0-9]{3} M cycles \(znver4, 3 hottest blocks\)$" ||
    fail "last line not in the documented form: $last"
total=$(echo "$last" | cut -d' ' -f3)
awk -v t="$total" 'BEGIN { exit !(t > 0) }' || fail "total $total: no block was modelled"
run >"$tmp/second" 2>&1 || fail "second run: exit $?"
cmp -s "$tmp/first" "$tmp/second" || fail "two runs differ: $(cat "$tmp/first") / $(cat "$tmp/second")"
run --pvm "$build/bin/pvm" >"$tmp/named" 2>&1 || fail "--pvm run: exit $?: $(cat "$tmp/named")"
named=$(tail -n 1 "$tmp/named" | cut -d' ' -f3)
[ "$named" = "$total" ] || fail "--pvm with this build's pvm: total $named, without: $total"
echo "ok: $last"
