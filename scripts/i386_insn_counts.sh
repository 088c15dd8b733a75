#!/usr/bin/env bash
# What the 32-bit ISA costs the guests natively, in instructions: the x86 instructions one
# run() executes in the guest's native-i386 build (clang-19 -m32 -O2) and in its x86-64 build
# (clang-19 -O2), counted under qemu user mode with scripts/qemu_insn_count.c, per guest at
# its quick size, and their ratio; geomeans over the tuned and the held-out guests apart.
# A count, not a time: the proxy for `native-i386/native` where the kernel does not run i386
# programs (pvmlab bench then lists native-i386 as missing). One run() is the difference
# between a driver run with REPS 2 and with REPS 1 (start-up and exit cancel).
# Usage: scripts/i386_insn_counts.sh BUILD_DIR [GUEST...]   (default: every guest of guests.def)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "i386_insn_counts.sh: $*" >&2; exit 2; }
[ $# -ge 1 ] || die "usage: i386_insn_counts.sh BUILD_DIR [GUEST...]"
build=$1
shift
[ -d "$build/guests/native-i386" ] || die "$build/guests/native-i386: no native-i386 guests in this build (clang-19 -m32 could not link? see its guests/native-i386/MISSING)"
for tool in qemu-i386 qemu-x86_64 cc; do
    command -v "$tool" > /dev/null || die "$tool not found (apt: qemu-user for qemu-i386 and qemu-x86_64)"
done
def=$root/bench/guests/guests.def
held=" $(grep -v '^#' "$root/bench/guests/held_out.txt" | tr '\n' ' ') "
plugin=$build/bench-cache/qemu_insn_count.so
mkdir -p "$build/bench-cache"
if [ ! -e "$plugin" ] || [ "$root/scripts/qemu_insn_count.c" -nt "$plugin" ]; then
    cc -O2 -shared -fPIC "$root/scripts/qemu_insn_count.c" -o "$plugin" || die "cannot build the qemu plugin"
fi
# count QEMU DRIVER SIZE REPS: the instructions of the whole process
count() {
    local out
    out=$("$1" -plugin "$plugin" -d plugin "$2" "$3" "$4" 2>&1 > /dev/null) || die "$1 $2 $3 $4 failed: ${out%%$'\n'*}"
    sed -n 's/^insns //p' <<< "$out"
}
if [ $# -eq 0 ]; then
    set -- $(sed -n 's/^GUEST(\([a-z0-9_]*\),.*/\1/p' "$def")
fi
for name in "$@"; do # every argument checked before anything is printed
    grep -q "^GUEST($name," "$def" || die "$name is not a guest of bench/guests/guests.def"
    [ -x "$build/guests/native-i386/guest-$name" ] && [ -x "$build/bin/guest-$name" ] ||
        die "$build/guests/native-i386/guest-$name or $build/bin/guest-$name is missing (build the guests target)"
done
printf '%-20s %14s %14s %7s\n' guest i386 x86-64 ratio
for name in "$@"; do
    size=$(sed -n "s/^GUEST($name, *[a-z0-9_.]*, *\([0-9]*\),.*/\1/p" "$def")
    i386=$build/guests/native-i386/guest-$name x64=$build/bin/guest-$name
    a2=$(count qemu-i386 "$i386" "$size" 2)
    a1=$(count qemu-i386 "$i386" "$size" 1)
    b2=$(count qemu-x86_64 "$x64" "$size" 2)
    b1=$(count qemu-x86_64 "$x64" "$size" 1)
    a=$((a2 - a1)) b=$((b2 - b1))
    group=tuned
    [[ $held == *" $name "* ]] && group=held-out
    echo "$name $a $b $group"
done | awk '
{ r = $2 / $3; printf "%-20s %14d %14d %7.3f\n", $1, $2, $3, r; s[$4] += log(r); n[$4]++ }
END { for (i = 1; i <= 2; i++) { g = i == 1 ? "tuned" : "held-out"
        if (n[g]) printf "geomean %-12s %29s %7.3f\n", g " (" n[g] ")", "", exp(s[g] / n[g]) } }'
