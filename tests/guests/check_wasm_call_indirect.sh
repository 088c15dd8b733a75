#!/bin/sh
# Checks that a wasm32 guest is readable by every wasm engine the bench drives. With the
# reference-types feature clang encodes call_indirect's table index as a padded 5-byte LEB,
# which wasm3 v0.5.0 refuses ("LEB encoded value overflow"; seen on large_program); the
# guests are built with -mno-reference-types, and then the index is one byte 0x00. (The
# target_features section may still list reference-types: it is the union over the linked
# objects, and Debian's compiler-rt builtins were built with it; what engines read is the code.)
# Usage: check_wasm_call_indirect.sh WASM_OBJDUMP WASM   (exit 77 when the tool or file is missing)
set -u
objdump=$1 wasm=$2
case $objdump in ""|*NOTFOUND*) echo "SKIP: wasm-objdump (wabt) not found"; exit 77 ;; esac
[ -e "$wasm" ] || { echo "SKIP: $wasm was not built (see the cmake output for why)"; exit 77; }
# Every call_indirect must name table 0 in one byte: its bytes end in " 00" (the type index
# before it is padded by the linker; the table byte is not when the feature is off).
code=$("$objdump" -d "$wasm" 2>&1) || { echo "FAIL: $wasm: wasm-objdump cannot read it: $code"; exit 1; }
padded=$(printf '%s\n' "$code" | grep 'call_indirect' | grep -v ' 00 *|' | head -3)
if [ -n "$padded" ]; then
    echo "FAIL: $wasm has call_indirect with a multi-byte table index:"
    printf '%s\n' "$padded"
    exit 1
fi
echo "ok: $wasm"
