#!/usr/bin/env bash
# Set everything up and run all tests: a Release build (Ninja) and an ASan+UBSan build
# (Unix Makefiles), each with the whole ctest suite. Long fuzzing and benchmarks are not here
# (see README: `cmake --build build --target fuzz-long`, `pvmlab bench --suite full`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"
status=0

echo "== setup + Release build"
bash "$root/scripts/setup.sh" "$root/build" -DPVMLAB_WERROR=ON
echo "== ctest (Release)"
(cd "$root/build" && ctest -j"$jobs" --output-on-failure --timeout 900) || status=1

echo "== ASan + UBSan build (Unix Makefiles: the build must work with any generator)"
bash "$root/scripts/setup.sh" "$root/build-asan" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Debug -DPVMLAB_SANITIZE=ON -DPVMLAB_WERROR=ON
echo "== ctest (ASan + UBSan)"
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j"$jobs" --output-on-failure --timeout 900) || status=1

echo "== tree checks (stale references, dependency loops)"
python3 "$root/scripts/check-references.py" || status=1
python3 "$root/scripts/check-deps.py" --build "$root/build" || status=1

if [ "$status" = 0 ]; then echo "all tests passed (Release and ASan+UBSan)"; else echo "some tests FAILED" >&2; fi
exit "$status"
