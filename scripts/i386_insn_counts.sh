#!/usr/bin/env bash
# What the 32-bit ISA costs the guests natively and what the recompiler adds, in
# instructions: the x86 instructions one run() executes in the guest's native-i386 build
# (clang-19 -m32 -O2), in its x86-64 build (clang-19 -O2) and in the recompiler's code for
# its rv32 build (`pvm run --backend jit --gas-mode none`, as pvm-jit-rv32-gas-none), counted
# under qemu user mode with scripts/qemu_insn_count.c, per guest at its quick size; the
# ratios i386/x64 (the ISA), jit/i386 (the recompiler against native 32-bit code) and jit/x64
# (their product), with geomeans over the tuned and the held-out guests apart.
# Counts, not times: the proxy where the kernel does not run i386 programs (pvmlab bench then
# lists native-i386 as missing). What is counted is run(SIZE) - run(0), the same way for the
# three: a process calling run(SIZE) minus one calling run(0), so that start-up, the
# recompiler's compile and instantiation cancel; it leaves out the work a call does whatever
# its size (linked_list builds its 2^18-node ring, hash_table clears its 16 MiB table,
# large_program touches its data: their rows are the size-dependent part only). The
# recompiler's compile is counted in both processes and, threaded for a large program, varies
# from run to run (large_program: 96-108M instructions with --arg 0), which swamps a small
# run(SIZE): read that row's rv32-jit column as unusable.
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
# count QEMU PROGRAM ARGS...: the instructions of the whole process
count() {
    local out qemu=$1
    shift
    out=$("$qemu" -plugin "$plugin" -d plugin "$@" 2>&1 > /dev/null) || die "$qemu $* failed: ${out%%$'\n'*}"
    sed -n 's/^insns //p' <<< "$out"
}
jit_count() { # BLOB ARG
    count qemu-x86_64 "$build/bin/pvm" run "$1" --export run --arg "$2" --backend jit --gas-mode none --quiet
}
if [ $# -eq 0 ]; then
    set -- $(sed -n 's/^GUEST(\([a-z0-9_]*\),.*/\1/p' "$def")
fi
for name in "$@"; do # every argument checked before anything is printed
    grep -q "^GUEST($name," "$def" || die "$name is not a guest of bench/guests/guests.def"
    [ -x "$build/guests/native-i386/guest-$name" ] && [ -x "$build/bin/guest-$name" ] &&
        [ -e "$build/guests/rv32/$name.polkavm" ] && [ -x "$build/bin/pvm" ] ||
        die "$name: its native-i386 or x86-64 driver, rv32 .polkavm or bin/pvm is missing in $build (build it)"
done
printf '%-20s %12s %12s %12s %8s %8s %8s\n' guest i386 x86-64 rv32-jit i386/x64 jit/i386 jit/x64
for name in "$@"; do
    size=$(sed -n "s/^GUEST($name, *[a-z0-9_.]*, *\([0-9]*\),.*/\1/p" "$def")
    i386=$build/guests/native-i386/guest-$name x64=$build/bin/guest-$name
    a2=$(count qemu-i386 "$i386" "$size")
    a1=$(count qemu-i386 "$i386" 0)
    b2=$(count qemu-x86_64 "$x64" "$size")
    b1=$(count qemu-x86_64 "$x64" 0)
    j2=$(jit_count "$build/guests/rv32/$name.polkavm" "$size")
    j1=$(jit_count "$build/guests/rv32/$name.polkavm" 0)
    group=tuned
    [[ $held == *" $name "* ]] && group=held-out
    echo "$name $((a2 - a1)) $((b2 - b1)) $((j2 - j1)) $group"
done | awk '
{ r[1] = $2 / $3; r[2] = $4 / $2; r[3] = $4 / $3
  printf "%-20s %12d %12d %12d %8.3f %8.3f %8.3f\n", $1, $2, $3, $4, r[1], r[2], r[3]
  for (i = 1; i <= 3; i++) s[$5, i] += log(r[i]); n[$5]++ }
END { for (k = 1; k <= 2; k++) { g = k == 1 ? "tuned" : "held-out"
        if (n[g]) printf "geomean %-12s %38s %8.3f %8.3f %8.3f\n", g " (" n[g] ")", "",
                         exp(s[g, 1] / n[g]), exp(s[g, 2] / n[g]), exp(s[g, 3] / n[g]) } }'
