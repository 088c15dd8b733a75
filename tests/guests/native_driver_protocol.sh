#!/bin/sh
# The native driver (bench/sdk/native_driver.c) in its bench protocol: execution prints COUNT
# `sample <ns> <16 hex>` lines with the guest's checksum, oneshot one; bad arguments in
# either form get one usage line on stderr and exit 2.
#   native_driver_protocol.sh DRIVER SIZE CHECKSUM
set -u
driver=$1 size=$2 sum=$3
fail() { echo "native_driver_protocol: $*" >&2; exit 1; }
out=$("$driver" execution "$size" 3 2) || fail "execution exited $?"
[ "$(printf '%s\n' "$out" | grep -c "^sample [0-9][0-9]* $sum\$")" = 3 ] || fail "execution printed: $out"
out=$("$driver" oneshot "$size" 1 1) || fail "oneshot exited $?"
printf '%s\n' "$out" | grep -q "^sample [0-9][0-9]* $sum\$" || fail "oneshot printed: $out"
for args in "execution $size x 1" "execution $size 1 0" "oneshot $size 1" "-5" "$size 0" ""; do
  # shellcheck disable=SC2086
  err=$("$driver" $args 2>&1 >/dev/null); rc=$?
  [ "$rc" = 2 ] || fail "'$args' exited $rc, not 2"
  [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && printf '%s' "$err" | grep -q '^usage: ' || fail "'$args' said: $err"
done
echo "native driver protocol: ok"
