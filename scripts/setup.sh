#!/usr/bin/env bash
# Install the system packages pvmlab needs (Debian 12, as root), then
# configure and build. Idempotent and quiet when everything is already there.
#   scripts/setup.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:-$root/build}"
shift || true

mapfile -t wanted < <(cat "$here"/packages*.txt | sed 's/#.*//' | awk 'NF {print $1}' | sort -u)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing packages (run as root to install): ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm wasm engines for `pvmlab bench` (optional: a failure only marks them missing).
if [ ! -d "$root/bench/engines/node_modules" ] && [ -f "$root/bench/engines/install-npm-engines.sh" ]; then
  sh "$root/bench/engines/install-npm-engines.sh" >/dev/null 2>&1 || true
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
log="$build/build.log"
if ! cmake --build "$build" -- -j"$(nproc)" >"$log" 2>&1; then
  grep -E 'error|Error|FAILED' "$log" | head -40 >&2
  echo "setup: build failed (full log: $log)" >&2
  exit 1
fi
echo "setup: built in $build"
