#!/bin/sh
# Runs one guest on one target and compares the printed checksum with the expected one.
# Usage: check_checksum.sh EXPECTED_HEX TOOL ARTIFACT [ARGS...]
#   runs `TOOL ARTIFACT ARGS...` (TOOL may be "-" for an artifact that is itself executable).
# Exit 0 on a match, 1 on a mismatch, 77 (ctest skip) when the tool or artifact is missing.
set -u
expected=$1 tool=$2 artifact=$3
shift 3
case $tool in
    -) ;;
    ""|*NOTFOUND*) echo "SKIP: no tool to run $artifact on this machine"; exit 77 ;;
    *) [ -x "$tool" ] || { echo "SKIP: $tool not found"; exit 77; } ;;
esac
[ -e "$artifact" ] || { echo "SKIP: $artifact was not built (see the cmake output for why)"; exit 77; }
if [ "$tool" = - ]; then
    actual=$("$artifact" "$@")
else
    actual=$("$tool" "$artifact" "$@")
fi
status=$?
if [ $status -ne 0 ]; then
    echo "FAIL: $artifact exited with $status"
    exit 1
fi
if [ "$actual" != "$expected" ]; then
    echo "FAIL: $artifact $*: checksum $actual, expected $expected"
    exit 1
fi
echo "ok: $artifact $*: $actual"
