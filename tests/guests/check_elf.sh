#!/bin/sh
# Checks a riscv guest ELF meant for pvm-link:
#   0. it was built for the RVE ABI (e_flags has EF_RISCV_RVE);
#   1. it kept its relocations (--emit-relocs): the static relocation sections (.rela.text,
#      .rela.polkavm_exports, ...; not the dynamic .rela.dyn) are present. A guest whose
#      code has no relocatable reference at all (e.g. field25519 on rv32: one function, all
#      inlined, no data) legitimately has no .rela.text, so .rela.text is required only
#      when the code calls or addresses anything (an auipc, which always has one; branches
#      inside a function never do, as the build uses -mno-relax like PolkaVM's targets);
#   2. its code uses only the registers PVM maps: x0 (zero), x1 (ra), x2 (sp), x5-x15
#      (t0-t2, s0-s1, a0-a5). gp (x3), tp (x4) and x16+ must never appear.
# The 32-bit word 0x0000000b of an import stub is followed by a pointer-sized data slot,
# which is not code and is skipped.
# Usage: check_elf.sh OBJDUMP READELF ELF POINTER_BYTES   (exit 77 when a tool is missing)
set -u
objdump=$1 readelf=$2 elf=$3 pointer_bytes=$4
for tool in "$objdump" "$readelf"; do
    case $tool in ""|*NOTFOUND*) echo "SKIP: llvm-objdump/llvm-readelf not found"; exit 77 ;; esac
done
[ -e "$elf" ] || { echo "SKIP: $elf was not built (see the cmake output for why)"; exit 77; }

if ! "$readelf" -h "$elf" | grep -q 'Flags:.*RVE'; then
    echo "FAIL: $elf is not an RVE (ilp32e/lp64e) ELF"
    exit 1
fi

sections=$("$readelf" -S "$elf")
if ! printf '%s\n' "$sections" | grep -q '\.rela\.polkavm_exports'; then
    echo "FAIL: $elf has no .rela.polkavm_exports (no export, or not linked with --emit-relocs)"
    exit 1
fi
if ! printf '%s\n' "$sections" | grep -q '\.rela\.text' &&
    "$objdump" -d -M no-aliases "$elf" | grep -qE "[[:space:]]auipc[[:space:]]"; then
    echo "FAIL: $elf has code references but no .rela.text (link with --emit-relocs)"
    exit 1
fi

# -M numeric -M no-aliases: every register prints as xN, with no pseudo-instructions.
bad=$("$objdump" -d -M numeric -M no-aliases "$elf" | awk -v ptr="$pointer_bytes" '
    /^ *[0-9a-f]+: [0-9a-f]+ / {
        bytes = length($2) / 2            # the encoding column: 4 or 8 hex digits
        if (skip > 0) { skip -= bytes; next }
        if ($2 == "0000000b") { skip = ptr; next }
        line = $0
        sub(/^ *[0-9a-f]+: [0-9a-f]+ *\t/, "", line)
        while (match(line, /x[0-9]+/)) {
            before = RSTART > 1 ? substr(line, RSTART - 1, 1) : " "
            n = substr(line, RSTART + 1, RLENGTH - 1) + 0
            if (before !~ /[0-9A-Za-z_]/ && (n == 3 || n == 4 || n > 15)) { print $0; break }
            line = substr(line, RSTART + RLENGTH)
        }
    }')
if [ -n "$bad" ]; then
    echo "FAIL: $elf uses registers outside x0-x2, x5-x15:"
    printf '%s\n' "$bad" | head -20
    exit 1
fi
echo "ok: $elf keeps relocations and uses only x0-x2, x5-x15"
