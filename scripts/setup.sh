#!/usr/bin/env bash
# Install the system packages pvmlab needs (Debian 12, as root), then
# configure and build. Idempotent and quiet when everything is already there.
#   scripts/setup.sh [BUILD_DIR] [-G GENERATOR] [extra cmake args...]
# GENERATOR defaults to Ninja; any CMake generator works (scripts/test.sh builds one of its
# two configurations with "Unix Makefiles"). A BUILD_DIR configured before with another
# generator is reconfigured from scratch (its CMakeCache.txt is removed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:-$root/build}"
shift || true
generator=Ninja
cmake_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -G) [ $# -ge 2 ] || { echo "setup: -G needs a generator name" >&2; exit 2; }
        generator="$2"; shift 2 ;;
    -G*) generator="${1#-G}"; shift ;;
    *) cmake_args+=("$1"); shift ;;
  esac
done

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

cache="$build/CMakeCache.txt"
if [ -f "$cache" ] && ! grep -qx "CMAKE_GENERATOR:INTERNAL=$generator" "$cache"; then
  echo "setup: $build was configured with another generator; reconfiguring with $generator"
  rm -rf "$cache" "$build/CMakeFiles"
fi
cmake -S "$root" -B "$build" -G "$generator" -DCMAKE_BUILD_TYPE=Release "${cmake_args[@]+"${cmake_args[@]}"}" >/dev/null
# A full disk shows up as a failed link deep in the build: say it first. Each build is
# under 1 GiB (the ASan one too, see vm/CMakeLists.txt). cmake -B made the folder.
free_mb=$(df -Pm "$build" | awk 'NR == 2 { print $4 }')
if [ -n "$free_mb" ] && [ "$free_mb" -lt 1024 ]; then
  echo "setup: only ${free_mb} MB free on the disk holding $build; a build needs about 1 GB" >&2
  exit 1
fi
log="$build/build.log"
if ! cmake --build "$build" -j "$(nproc)" >"$log" 2>&1; then
  grep -E 'error|Error|FAILED|No rule|No space|undefined reference|cannot find' "$log" | head -40 >&2
  echo "setup: build failed (full log: $log)" >&2
  exit 1
fi
echo "setup: built in $build"
