#!/bin/sh
# scripts/mca_hot_blocks.py --mix (the x86 instructions a guest's hottest recompiled blocks
# execute, by kind) on crc32 and sieve: the last line in its documented form with a total
# above zero, shares that add up to 100 %, the same output from two runs (deterministic), a
# 64-bit program's sign extensions counted (rv64 sieve: its 32-bit counters) and none in a
# 32-bit program (rv32 crc32: narrow code keeps registers zero-extended, vm/jit/README.md);
# a missing guest stops it with one line. Needs objdump only (exit 77 without it).
#   jit_insn_mix_cli.sh SOURCE_DIR PYTHON3 BUILD_DIR
set -u
src=$1 python=$2 build=$3
script=$src/scripts/mca_hot_blocks.py
if ! command -v objdump >/dev/null 2>&1; then
    echo "SKIP: objdump not found on PATH (apt: binutils); scripts/mca_hot_blocks.py --mix needs it"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mix() { "$python" "$script" "$build" "$1" "$2" "$3" --mix --top 5; }
share() { awk -v k="$1" '{ line = $0; sub(/^ *[0-9.]+%  /, "", line) } line == k { print $1 + 0 }' "$2"; }

for isa_guest_arg in "rv64 sieve 20000" "rv32 crc32 200"; do
    set -- $isa_guest_arg
    [ -f "$build/guests/$1/$2.polkavm" ] || fail "no $1 $2 guest in $build"
    mix "$@" >"$tmp/$1" 2>"$tmp/err" || fail "$*: exit $?: $(cat "$tmp/err")"
    [ ! -s "$tmp/err" ] || fail "$*: wrote to stderr: $(cat "$tmp/err")"
    last=$(tail -n 1 "$tmp/$1")
    echo "$last" | grep -Eq "^$1 $2 [0-9]+\.[0-9]{3} M x86 instructions \(mix, [1-5] hottest blocks, [0-9.]+ % of the gas\)$" ||
        fail "$*: last line not in the documented form: $last"
    awk -v t="$(echo "$last" | cut -d' ' -f3)" 'BEGIN { exit !(t > 0) }' || fail "$*: no instruction counted: $last"
    awk '/%  / { s += $1 } END { exit !(s > 99.9 && s < 100.1) }' "$tmp/$1" || fail "$*: shares do not add up to 100: $(cat "$tmp/$1")"
    mix "$@" >"$tmp/again" 2>&1 || fail "$*: second run: exit $?"
    cmp -s "$tmp/$1" "$tmp/again" || fail "$*: two runs differ"
done
sx=$(share "movsxd register" "$tmp/rv64")
awk -v s="$sx" 'BEGIN { exit !(s > 1) }' || fail "rv64 sieve: movsxd register share $sx, expected its 32-bit counters' extensions"
sx=$(share "movsxd register" "$tmp/rv32")
[ "$sx" = 0 ] || fail "rv32 crc32: movsxd register share $sx, a narrow program has none"
ga=$(share "guest access" "$tmp/rv32")
awk -v s="$ga" 'BEGIN { exit !(s > 1) }' || fail "rv32 crc32: guest access share $ga, its table loads missing"

"$python" "$script" "$build" rv64 no_such_guest 10 --mix >"$tmp/out" 2>"$tmp/err" && fail "missing guest: exit 0"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "no_such_guest.polkavm: no such file$" "$tmp/err" ||
    fail "missing guest: stderr: $(cat "$tmp/err")"
echo "ok"
