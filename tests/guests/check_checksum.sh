#!/bin/sh
# Runs one guest on one target and compares the printed checksum with the expected one.
# Usage: check_checksum.sh EXPECTED_HEX ARTIFACT RUNNER [ARGS...]
#   ARTIFACT is the guest file the run needs (native driver, .wasm or .qemu.elf);
#   RUNNER ARGS... is the command that prints the checksum (RUNNER may be ARTIFACT itself).
# Exit 0 on a match, 1 on a mismatch or a failed run, 77 (ctest skip) when the artifact was
# not built or the runner is not installed.
set -u
expected=$1 artifact=$2 runner=$3
shift 3
case $runner in
    ""|*NOTFOUND*) echo "SKIP: no program to run $artifact on this machine"; exit 77 ;;
esac
[ -x "$runner" ] || { echo "SKIP: $runner not found"; exit 77; }
[ -e "$artifact" ] || { echo "SKIP: $artifact was not built (see the cmake output for why)"; exit 77; }
actual=$("$runner" "$@")
status=$?
if [ $status -ne 0 ]; then
    echo "FAIL: $runner $* exited with $status"
    exit 1
fi
if [ "$actual" != "$expected" ]; then
    echo "FAIL: $runner $*: checksum $actual, expected $expected"
    exit 1
fi
echo "ok: $runner $*: $actual"
