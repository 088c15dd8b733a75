#!/bin/sh
# Fingerprints of what a compile produces, for checking that a change to the
# compiler keeps its output byte-identical: per guest (build/guests/{rv64,rv32})
# x gas mode none/sync/async x model unit/pipeline-l2hit, the sha256 of the
# generated code and its map (PVMLAB_JIT_DUMP, under `setarch -R` so that the
# addresses in the map are the same from run to run), of `pvm gas` and of
# `pvm disasm`. Cold: each run is a fresh process, with an empty block-cost cache.
#   scripts/jit_identity.sh PVM BUILD_DIR > before.txt   (same with the new binary, then diff)
set -eu
if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -d "$2/guests" ]; then
    echo "usage: scripts/jit_identity.sh PVM_BINARY BUILD_DIR (with BUILD_DIR/guests/rv64, rv32)" >&2
    exit 2
fi
pvm=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for isa in rv64 rv32; do
    for f in "$build"/guests/$isa/*.polkavm; do
        if [ ! -f "$f" ]; then
            echo "jit_identity: $build/guests/$isa: no .polkavm guests" >&2
            exit 1
        fi
        name=$isa/$(basename "$f" .polkavm)
        for model in unit pipeline-l2hit; do
            for gas in none sync async; do
                rm -f "$tmp/code" "$tmp/code.map"
                if ! PVMLAB_JIT_DUMP="$tmp/code" setarch -R "$pvm" validate "$f" --backend jit --gas-mode $gas --model $model >/dev/null 2>"$tmp/err"; then
                    echo "$name $model $gas: validate failed: $(head -1 "$tmp/err")" >&2
                    exit 1
                fi
                echo "$name $model $gas code $(sha256sum <"$tmp/code" | cut -c1-16) map $(sha256sum <"$tmp/code.map" | cut -c1-16)"
            done
            if ! "$pvm" gas "$f" --model $model >"$tmp/out" 2>"$tmp/err"; then
                echo "$name $model: pvm gas failed: $(head -1 "$tmp/err")" >&2
                exit 1
            fi
            echo "$name $model gas $(sha256sum <"$tmp/out" | cut -c1-16)"
        done
        if ! "$pvm" disasm "$f" >"$tmp/out" 2>"$tmp/err"; then
            echo "$name: pvm disasm failed: $(head -1 "$tmp/err")" >&2
            exit 1
        fi
        echo "$name disasm $(sha256sum <"$tmp/out" | cut -c1-16)"
    done
done
