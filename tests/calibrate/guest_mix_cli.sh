#!/bin/sh
# pvmlab-guest-mix (scripts/guest_mix.sh's tool): one target's distribution from a real guest
# build, printed as the initializer guest_mix_data.h holds; bad arguments end with one line
# naming the problem and a non-zero exit, and print no data.
#   guest_mix_cli.sh PVMLAB_GUEST_MIX GUESTS_DEF BUILD_DIR
set -eu
tool=$1 def=$2 build=$3
blob="$build/guests/rv64/gas_quiz_stride1.polkavm"
[ -f "$blob" ] || { echo "no guest build at $blob (the guest-pvm-blobs target)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$tool" "$def" --target rv64 "$blob" > "$work/out.h" 2> "$work/err"
grep -q '^static const mb_guest_mix MB_GUEST_MIX\[MB_GUEST_TARGETS\] = {$' "$work/out.h"
grep -q '^        \.target = "rv64",$' "$work/out.h"
grep -q '^        \.builds = 1,$' "$work/out.h"
grep -q 'PVM_OP_LOAD_IND_U64\] = ' "$work/out.h" || { echo "the quiz's loads are missing:" >&2; cat "$work/out.h" >&2; exit 1; }

# expect CODE PATTERN ARGS...: exit status CODE, the last stderr line (after the per-build
# progress lines of the builds read before the error, if any) matching PATTERN, no stdout.
expect() {
    code=$1 pattern=$2
    shift 2
    set +e
    "$tool" "$def" "$@" > "$work/out" 2> "$work/err"
    got=$?
    set -e
    [ "$got" -eq "$code" ] || { echo "pvmlab-guest-mix $*: exit $got, expected $code" >&2; cat "$work/err" >&2; exit 1; }
    tail -n 1 "$work/err" | grep -q -e "$pattern" ||
        { echo "pvmlab-guest-mix $*: expected a last line matching '$pattern', got:" >&2; cat "$work/err" >&2; exit 1; }
    [ ! -s "$work/out" ] || { echo "pvmlab-guest-mix $*: printed data on an error" >&2; exit 1; }
}
expect 2 "give --target NAME before the target's builds" "$blob"
expect 2 "--target needs a short name" --target
expect 2 "--target needs a short name" --target a_target_name_too_long "$blob"
expect 2 "target rv32 has no builds" --target rv64 "$blob" --target rv32
expect 1 "missing.polkavm: cannot read" --target rv64 "$work/missing.polkavm"
echo "pvmlab-guest-mix: one target's distribution printed; 5 bad invocations refused"
