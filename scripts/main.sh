#!/usr/bin/env bash
# The main job on the built-in defaults: set up, build, then a quick run of the
# workbench. Each stage that exists in this checkout runs; the report path is
# printed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
bash "$root/scripts/setup.sh" "$build"
bin="$build/bin"
out="$root/reports/out"
mkdir -p "$out"

echo "== first speed figure: a PVM loop on the interpreter"
"$bin/pvm" example loop "$out/loop.polkavm" >/dev/null
"$bin/pvm" run "$out/loop.polkavm" --export main --arg 20000000 --stats
if "$bin/pvm" run "$out/loop.polkavm" --backend jit --export main --arg 1 >/dev/null 2>&1; then
  echo "== the same loop on the recompiler"
  "$bin/pvm" run "$out/loop.polkavm" --backend jit --export main --arg 20000000 --stats
fi
