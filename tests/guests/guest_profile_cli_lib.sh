# Shared by the CLI tests of the guest-profiling scripts (scripts/guest_profile.py's tools):
# sourced after setting script, python, pvm and build; gives tmp (removed at exit), fail,
# expect_error WANT_STATUS PATTERN ARGS... (exit status, one line on stderr saying PATTERN,
# nothing on stdout), and common_errors GUEST HELD_OUT_GUEST: the refusals every tool makes
# (no arguments, a missing pvm or guest, a held-out guest, an argument that is not a
# number, a truncated blob).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

expect_error() {
    want=$1 pattern=$2; shift 2
    "$python" "$script" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "$*: exit $rc, wanted $want"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$*: stderr is not one line: $(cat "$tmp/err")"
    grep -q "$pattern" "$tmp/err" || fail "$*: stderr does not say '$pattern': $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] || fail "$*: printed to stdout"
}

common_errors() {
    guest=$1 held_out=$2
    expect_error 2 "usage:"
    expect_error 2 "not an executable pvm" "$tmp/no-such-pvm" "$guest" 10
    expect_error 2 "no such guest file" "$pvm" "$tmp/none.polkavm" 10
    expect_error 2 "held-out guest" "$pvm" "$held_out" 10
    expect_error 1 "not a number" "$pvm" "$guest" ten
    head -c 100 "$guest" >"$tmp/truncated.polkavm"
    expect_error 1 "failed:" "$pvm" "$tmp/truncated.polkavm" 10
}
