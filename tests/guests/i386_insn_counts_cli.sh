#!/bin/sh
# scripts/i386_insn_counts.sh on sieve and keccak (held-out list: neither): a count per
# build, ratios that are theirs (i386/x64, jit/i386, jit/x64 to 3 decimals), keccak's 64-bit
# lanes costing i386 over twice x86-64's instructions, sieve under 1.6; a guest that does not exist and a
# build without native-i386 refused with one line and exit 2, nothing on stdout.
#   i386_insn_counts_cli.sh SOURCE_DIR BUILD_DIR [plain|sanitized]
#   (77: skipped without qemu or the i386 build, or in a sanitizer build, whose instrumented
#   guest binaries qemu user mode cannot run)
set -u
src=$1 build=$2 mode=${3:-plain}
if [ "$mode" = sanitized ]; then
    echo "SKIP: an ASan build's guest binaries do not run under qemu user mode (shadow memory); the Release configuration runs this test"
    exit 77
fi
for tool in qemu-i386 qemu-x86_64 cc; do
    command -v $tool > /dev/null || { echo "SKIP: $tool not found"; exit 77; }
done
[ -x "$build/guests/native-i386/guest-keccak" ] || { echo "SKIP: no native-i386 guests in $build"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set -e
bash "$src/scripts/i386_insn_counts.sh" "$build" sieve keccak > "$work/out.txt"
cat "$work/out.txt"
awk '$1 == "sieve" || $1 == "keccak" {
       if ($2 <= 0 || $3 <= 0 || $4 <= 0 || sprintf("%.3f", $2 / $3) != $5 || sprintf("%.3f", $4 / $2) != $6 ||
           sprintf("%.3f", $4 / $3) != $7) { print "bad line: " $0; exit 1 }
       if ($1 == "keccak" && $5 < 2) { print "keccak ratio " $5 " < 2"; exit 1 }
       if ($1 == "sieve" && $5 >= 1.6) { print "sieve ratio " $5 " >= 1.6"; exit 1 }
       rows++ }
     END { if (rows != 2) { print rows " rows"; exit 1 } }' "$work/out.txt"
grep -q '^geomean tuned (2) ' "$work/out.txt"
! grep -q held-out "$work/out.txt"
for args in "$build nope" "$work sieve"; do
    if bash "$src/scripts/i386_insn_counts.sh" $args > "$work/bad.txt" 2> "$work/bad.err"; then exit 1; fi
    test ! -s "$work/bad.txt"
    test "$(wc -l < "$work/bad.err")" -eq 1
    cat "$work/bad.err"
done
echo ok
