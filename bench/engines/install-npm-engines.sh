#!/bin/sh
# Installs the npm engines of `pvmlab bench` (bench/engines/package.json) into
# bench/engines/node_modules. Called by scripts/setup.sh; safe to run again.
# A failed install is not an error: the bench adapters then report the engine as
# missing, with the reason, and the rest of the suite runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v npm >/dev/null 2>&1; then
    echo "install-npm-engines: npm not found; the npm wasm engines will be reported missing" >&2
    exit 0
fi
cd "$here" || exit 0
if npm install --no-audit --no-fund --omit=dev; then
    echo "install-npm-engines: installed into $here/node_modules"
else
    echo "install-npm-engines: npm install failed; the npm wasm engines will be reported missing" >&2
fi
exit 0
