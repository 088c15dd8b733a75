#!/usr/bin/env bash
# pvm as a host and as a user meets it: standard host calls (by import name and by
# number), a failing host call, 64-bit results of 32-bit guests, GP standard programs
# under --format auto, --help for every verb, the printed default gas limit, numbers
# (decimal or 0x, never octal), every --isa, invalid-opcode warnings, hostile sizes
# and names. Programs come from make_cli_programs.
set -u
pvm="$1"; make_programs="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$make_programs" "$tmp" || { echo "FAIL: make_cli_programs"; exit 1; }
source "$(dirname "$0")/cli_check.sh"
for be in interp jit; do
  check hello-$be 7 "^hello, host$" -- "$pvm" run "$tmp/hello.polkavm" --export main --backend $be
  check hello-exit-$be 7 "exit: pvm_exit\(7\)" -- "$pvm" run "$tmp/hello.polkavm" --export main --backend $be
  check hello-std-$be 5 "^hello, host$" -- "$pvm" run "$tmp/hello_std.gp" --backend $be
  check badwrite-$be 3 "exit: panic at pc [0-9]+ \(pvm_write with a buffer outside guest memory" -- \
    "$pvm" run "$tmp/badwrite.polkavm" --export main --backend $be
  check unknown-host-$be 3 "host call 0 'frobnicate': not one of pvm run's host calls" -- \
    "$pvm" run "$tmp/unknown_host.polkavm" --export main --backend $be
  check wide32-$be 0 "a1:a0: 8589934593 \(0x200000001\)" -- "$pvm" run "$tmp/wide32.polkavm" --export main --backend $be
done
# --quiet: only the guest's output
out=$("$pvm" run "$tmp/hello.polkavm" --export main --quiet); rc=$?
if [ "$rc" = 7 ] && [ "$out" = "hello, host" ]; then passes=$((passes+1)); else echo "FAIL quiet: rc=$rc out=$out"; fails=$((fails+1)); fi
check std-auto 0 "^ok: gp-standard program" -- "$pvm" validate "$tmp/hello_std.gp"
check gas-default 0 "gas: [0-9]+ used of 10000000000 \(default limit" -- "$pvm" run "$tmp/identity.polkavm" --export main
check gas-given 3 "exit: out-of-gas" -- "$pvm" run "$tmp/identity.polkavm" --export spin --gas 1000
check gas-none-conflict 2 "--gas with --gas-mode none" -- "$pvm" run "$tmp/identity.polkavm" --gas 5 --gas-mode none
check arg-decimal 0 "^a0: 10 " -- "$pvm" run "$tmp/identity.polkavm" --export main --arg 010
check arg-hex 0 "^a0: 16 " -- "$pvm" run "$tmp/identity.polkavm" --export main --arg 0x10
check arg-negative 0 "^a0: 18446744073709551615 " -- "$pvm" run "$tmp/identity.polkavm" --export main --arg -1
check arg-octal-prefix 2 "--arg 0o10: not a number" -- "$pvm" run "$tmp/identity.polkavm" --export main --arg 0o10
check gas-octal-free 0 "gas: 1 used of 10$" -- "$pvm" run "$tmp/identity.polkavm" --export main --gas 010
check pc-hex 3 "exit: panic at pc 16" -- "$pvm" run "$tmp/identity.polkavm" --pc 0x10
check export-escaped 0 'export evil\\x1b\[2J\\x0aname' -- "$pvm" disasm "$tmp/identity.polkavm"
refute export-raw-escape $'\x1b' -- "$pvm" disasm "$tmp/identity.polkavm"
check huge-ro 1 "huge_ro.polkavm: memory config does not fit in 4 GiB" -- "$pvm" validate "$tmp/huge_ro.polkavm"
check empty-code-jt 1 "jump table entry 0 \(0\) is past the end of the code" -- "$pvm" validate "$tmp/empty_code_jt.gp"
check isa-warning 0 "warning: pc 0: opcode 2 is not an instruction of gp07 \(it traps when reached\); it is .*unlikely in jamv1" -- \
  "$pvm" validate "$tmp/jamv1_unlikely.gp"
refute isa-jamv1-clean "warning" -- "$pvm" validate "$tmp/jamv1_unlikely.gp" --isa jamv1
for isa in gp07 jamv1 latest32 latest64 revivev1; do
  check isa-$isa 0 "^ok: gp program, isa $isa" -- "$pvm" validate "$tmp/jamv1_unlikely.gp" --isa $isa
done
check isa-bad 2 "--isa vax: use gp07, jamv1, latest32, latest64 or revivev1" -- "$pvm" validate "$tmp/jamv1_unlikely.gp" --isa vax
for verb in run disasm validate vectors example gas; do
  check help-$verb 0 "^usage: pvm $verb" -- "$pvm" $verb --help
done
check help-run-text 0 "pvm_write to stdout/stderr" -- "$pvm" run -h
check version 0 "^pvm [0-9]+\.[0-9]+\.[0-9]+$" -- "$pvm" --version
check_summary "cli host"
