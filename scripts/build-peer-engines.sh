#!/usr/bin/env bash
# Builds the peer wasm engines that Debian 12 does not package -- wasm3 and WAMR's iwasm --
# from source folders you already have, so that `pvmlab bench` finds them on PATH.
# Not run by CI or setup.sh (it needs the engines' sources, which this repository does not
# carry). Versions the adapters were checked against: wasm3 v0.5.0 (its newest tag),
# WAMR-2.4.3 (bench/engines/adapter_cli_wasm.c).
#
#   scripts/build-peer-engines.sh --wasm3 SRC --wamr SRC [--out DIR] [--jobs N]
#
# Getting the sources, e.g.:
#   git clone --depth 1 --branch v0.5.0 https://github.com/wasm3/wasm3
#   git clone --depth 1 --branch WAMR-2.4.3 https://github.com/bytecodealliance/wasm-micro-runtime
# Then: export PATH="$OUT/bin:$PATH" (default OUT: ./peer-engines).
#
# wasm3: its default WASI (uvwasi) is downloaded at configure time; "simple" is built in and
# enough (the guests import nothing). iwasm: product-mini/platforms/linux with WAMR's
# defaults, i.e. the fast interpreter (WAMR_BUILD_FAST_INTERP=1), no JIT, except SIMD: WAMR
# 2.4 downloads simde at configure time for it, and the guests are built without simd128. It is installed
# as `iwasm`; the classic interpreter is built too, as `iwasm-classic` (its own pvmlab
# configuration: it shows how much the fast interpreter's pre-compilation buys).
set -euo pipefail

wasm3_src="" wamr_src="" out="$PWD/peer-engines" jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --wasm3) wasm3_src="$2"; shift 2 ;;
        --wamr) wamr_src="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "build-peer-engines.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$wasm3_src" ] && [ -z "$wamr_src" ]; then
    echo "build-peer-engines.sh: give --wasm3 SRC and/or --wamr SRC (see --help)" >&2
    exit 2
fi
mkdir -p "$out/bin" "$out/build"
out="$(cd "$out" && pwd)"

if [ -n "$wasm3_src" ]; then
    [ -f "$wasm3_src/source/wasm3.h" ] || { echo "build-peer-engines.sh: $wasm3_src is not a wasm3 source tree" >&2; exit 1; }
    cmake -S "$wasm3_src" -B "$out/build/wasm3" -DCMAKE_BUILD_TYPE=Release -DBUILD_WASI=simple
    cmake --build "$out/build/wasm3" -j "$jobs"
    install -m 755 "$out/build/wasm3/wasm3" "$out/bin/wasm3"
fi

if [ -n "$wamr_src" ]; then
    platform="$wamr_src/product-mini/platforms/linux"
    [ -f "$platform/CMakeLists.txt" ] || { echo "build-peer-engines.sh: $wamr_src is not a WAMR source tree" >&2; exit 1; }
    cmake -S "$platform" -B "$out/build/iwasm" -DCMAKE_BUILD_TYPE=Release -DWAMR_BUILD_SIMD=0
    cmake --build "$out/build/iwasm" -j "$jobs"
    install -m 755 "$out/build/iwasm/iwasm" "$out/bin/iwasm"
    cmake -S "$platform" -B "$out/build/iwasm-classic" -DCMAKE_BUILD_TYPE=Release -DWAMR_BUILD_SIMD=0 -DWAMR_BUILD_FAST_INTERP=0
    cmake --build "$out/build/iwasm-classic" -j "$jobs"
    install -m 755 "$out/build/iwasm-classic/iwasm" "$out/bin/iwasm-classic"
fi

echo "built into $out/bin:"
ls "$out/bin"
