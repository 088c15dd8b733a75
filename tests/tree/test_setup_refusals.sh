#!/usr/bin/env bash
# scripts/setup.sh refuses what it cannot do with one line on stderr and a non-zero exit,
# before it builds anything: a disk with less than 1 GB free (the CI failure of
# 2026-12-06: a link ran out of space with its message hidden), -G without a name.
# Runs a copy of the script in a scratch root, with dpkg-query, cmake and df replaced by
# stubs on PATH (every package installed, cmake only records its calls, df reports the
# free space the case asks for), so nothing is installed or built.
#   test_setup_refusals.sh SOURCE_ROOT
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/scripts" "$tmp/root/bench/engines/node_modules" "$tmp/bin"
cp "$src"/scripts/setup.sh "$src"/scripts/packages*.txt "$tmp/root/scripts/"
cat >"$tmp/bin/dpkg-query" <<'EOF'
#!/bin/sh
printf 'install ok installed'
EOF
cat >"$tmp/bin/cmake" <<'EOF'
#!/bin/sh
echo "cmake $*" >>"$STUB_LOG"
# configure: make the build folder as cmake -B does
while [ $# -gt 0 ]; do [ "$1" = -B ] && mkdir -p "$2"; shift; done
EOF
cat >"$tmp/bin/df" <<'EOF'
#!/bin/sh
echo "Filesystem 1048576-blocks Used Available Capacity Mounted on"
echo "/dev/stub 100000 99000 $STUB_FREE_MB 99% /"
EOF
chmod +x "$tmp/bin/"*
fail() { echo "test_setup_refusals: $*" >&2; exit 1; }

run_setup() { # FREE_MB ARGS... -> sets rc, err, log
    : >"$tmp/log"
    rc=0
    STUB_LOG="$tmp/log" STUB_FREE_MB=$1 PATH="$tmp/bin:$PATH" bash "$tmp/root/scripts/setup.sh" "$tmp/build" \
        "${@:2}" >"$tmp/out" 2>"$tmp/err" || rc=$?
    err=$(cat "$tmp/err")
    log=$(cat "$tmp/log")
}

# Too little space: refused after configuring, before building; one line naming the folder.
run_setup 500
[ "$rc" -ne 0 ] || fail "500 MB free: exit 0"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "500 MB free: expected one line on stderr, got: $err"
case $err in *"only 500 MB free"*"$tmp/build"*) ;; *) fail "500 MB free: message lacks the space or the folder: $err" ;; esac
case $log in *--build*) fail "500 MB free: it built anyway: $log" ;; esac

# Enough space: configures and builds (the stub build succeeds).
run_setup 5000
[ "$rc" -eq 0 ] || fail "5000 MB free: exit $rc: $err"
case $log in *"--build $tmp/build"*) ;; *) fail "5000 MB free: no build call: $log" ;; esac

# -G without a generator name: usage error, nothing run.
run_setup 5000 -G
[ "$rc" -eq 2 ] || fail "-G alone: exit $rc, expected 2"
case $err in *"-G needs a generator name"*) ;; *) fail "-G alone: message: $err" ;; esac
[ -z "$log" ] || fail "-G alone: cmake ran: $log"
echo "test_setup_refusals: 3 cases passed"
