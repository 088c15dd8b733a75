#!/usr/bin/env python3
"""Estimated cycles of a guest's hottest blocks on the recompiler, under llvm-mca's model of a CPU.

usage: scripts/mca_hot_blocks.py BUILD ISA GUEST ARG [--top N] [--mcpu CPU] [--pvm PATH] [--verbose] [--mix]

For each of the N hottest blocks by entries (the interpreter's --gas-profile of BUILD/guests/ISA/
GUEST.polkavm run with ARG), the block's x86 code from the recompiler's dump (PVMLAB_JIT_DUMP,
gas mode none), llvm-mca-19's cycles per iteration of it times its entries; prints the sum in
millions of cycles. Deterministic: a before/after check of code generation that needs no quiet
machine (--pvm points at another build's pvm to compare two recompilers on the same guest).
A block that is not a loop is modelled as if it looped on itself: a proxy, not a time.
The default model is znver4 (AMD Zen 4/5), which models partial-register merges.
Needs llvm-mca-19 (Debian llvm-19, scripts/packages-guests.txt) and objdump.

--mix: no llvm-mca; the x86 instructions the N hottest blocks execute (each block's code
times its entries; the profile lists at most 15), in millions, and their shares by kind
(register movsxd, register mov, guest access, ...): what a change to code generation
removes or adds, counted without a quiet machine. Needs objdump only.
"""
import argparse
import bisect
import os
import re
import shutil
import subprocess
import sys
import tempfile


def first_line(text):
    """The first non-empty line of a tool's stderr, so that a failure stays one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else 'no message'


def hot_blocks(pvm, blob, arg, top):
    run = subprocess.run([pvm, 'run', blob, '--export', 'run', '--arg', arg, '--backend', 'interp',
                          '--gas-profile', '--quiet'], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f'mca_hot_blocks: {blob}: the profile run failed: {first_line(run.stderr)}')
    blocks = []
    for line in run.stdout.splitlines() + run.stderr.splitlines():
        m = re.match(r'\s*(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)%', line)
        if m:
            blocks.append((int(m.group(1)), int(m.group(3)), float(m.group(4))))
    return blocks[:top]


def block_code(pvm, blob, workdir):
    """Block start pc -> (start, end) offsets in the dump, and the dump's path."""
    dump = os.path.join(workdir, 'code.bin')
    env = dict(os.environ, PVMLAB_JIT_THREADS='1', PVMLAB_JIT_DUMP=dump)
    run = subprocess.run([pvm, 'run', blob, '--export', 'run', '--arg', '1', '--backend', 'jit', '--gas-mode', 'none',
                          '--quiet'], env=env, capture_output=True, text=True, errors='replace')
    if run.returncode != 0 or not os.path.exists(dump + '.map'):
        sys.exit(f"mca_hot_blocks: {blob}: the recompiler's run failed: {first_line(run.stderr)}")
    starts = {}
    with open(dump + '.map') as f:
        for line in f:
            if line.startswith('#'):
                continue
            fields = line.split()
            entry = [x for x in fields if x.startswith('entry=')]
            if entry:
                starts[int(fields[2][3:])] = int(entry[0][6:], 16)
    offsets = sorted(set(starts.values()))
    ranges = {}
    for pc, start in starts.items():
        k = bisect.bisect_right(offsets, start)  # the next block's code ends this one's
        ranges[pc] = (start, offsets[k] if k < len(offsets) else start + 64)
    return ranges, dump


def block_instructions(dump, start, end):
    """The x86 instructions of the code between start and end as objdump prints them, padding left out."""
    dis = subprocess.run(['objdump', '-D', '-b', 'binary', '-mi386:x86-64', '--no-show-raw-insn',
                          f'--start-address={start}', f'--stop-address={end}', dump],
                         capture_output=True, text=True).stdout
    body = []
    for line in dis.splitlines():
        m = re.match(r'\s*[0-9a-f]+:\t(.*)', line)
        if m and not m.group(1).strip().startswith(('nop', 'data16', 'cs nop', 'int3', '(bad)')):
            body.append(m.group(1).strip())
    return body


def block_cycles(dump, start, end, mcpu, workdir):
    body = [re.sub(r'^(j[a-z]+|call)\s+0x[0-9a-f]+$', r'\1 .Lblock', ins) for ins in block_instructions(dump, start, end)]
    if not body:
        return None, 0
    source = os.path.join(workdir, 'block.s')
    with open(source, 'w') as f:
        f.write('.Lblock:\n' + '\n'.join(body) + '\n')
    out = subprocess.run(['llvm-mca-19', f'-mcpu={mcpu}', '-iterations=200', source],
                         capture_output=True, text=True).stdout
    m = re.search(r'Total Cycles:\s+(\d+)', out)
    return (int(m.group(1)) / 200.0 if m else None), len(body)


# --mix: the kinds of x86 instruction counted apart, first match wins (AT&T syntax, objdump's).
MIX_KINDS = (
    ('guest access', lambda mn, ops: '%gs:' in ops),
    ('movsxd register', lambda mn, ops: mn in ('movslq', 'movsxd') and '(' not in ops),
    ('mov register', lambda mn, ops: mn in ('mov', 'movl', 'movq') and '(' not in ops and '$' not in ops),
    ('mov immediate', lambda mn, ops: mn in ('mov', 'movl', 'movq', 'movabs') and '$' in ops and '(' not in ops),
    ('movzx register', lambda mn, ops: mn.startswith('movz') and '(' not in ops),
    ('setcc', lambda mn, ops: mn.startswith('set')),
    ('lea', lambda mn, ops: mn.startswith('lea')),
    ('cmov', lambda mn, ops: mn.startswith('cmov')),
    ('jump or branch', lambda mn, ops: mn.startswith('j')),
    ('other memory', lambda mn, ops: '(' in ops),
)


def block_mix(dump, start, end):
    """The kind of each x86 instruction of the code between start and end."""
    kinds = []
    for ins in block_instructions(dump, start, end):
        mn, _, ops = ins.partition(' ')
        kinds.append(next((k for k, test in MIX_KINDS if test(mn, ops.strip())), 'other'))
    return kinds


def print_mix(isa, guest, dump, ranges, blocks):
    total, count = 0, {}
    for pc, entries, _ in blocks:
        if pc not in ranges:
            continue
        for kind in block_mix(dump, *ranges[pc]):
            count[kind] = count.get(kind, 0) + entries
            total += entries
    for kind in [k for k, _ in MIX_KINDS] + ['other']:
        print(f'{100 * count.get(kind, 0) / max(total, 1):6.2f}%  {kind}')
    gas = sum(share for _, _, share in blocks)
    print(f'{isa} {guest} {total / 1e6:.3f} M x86 instructions (mix, {len(blocks)} hottest blocks, {gas:.1f} % of the gas)')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('build')
    p.add_argument('isa', choices=['rv64', 'rv32'])
    p.add_argument('guest')
    p.add_argument('arg')
    p.add_argument('--top', type=int, default=40)
    p.add_argument('--mcpu', default='znver4')
    p.add_argument('--pvm')
    p.add_argument('--verbose', action='store_true')
    p.add_argument('--mix', action='store_true')
    a = p.parse_args()
    for tool in ('objdump',) if a.mix else ('llvm-mca-19', 'objdump'):
        if not shutil.which(tool):
            sys.exit(f'mca_hot_blocks: {tool} not found on PATH (apt: llvm-19, binutils)')
    pvm = a.pvm or os.path.join(a.build, 'bin', 'pvm')
    blob = os.path.join(a.build, 'guests', a.isa, a.guest + '.polkavm')
    for path in (pvm, blob):
        if not os.path.exists(path):
            sys.exit(f'mca_hot_blocks: {path}: no such file')
    with tempfile.TemporaryDirectory() as workdir:
        ranges, dump = block_code(pvm, blob, workdir)
        total = 0.0
        blocks = hot_blocks(pvm, blob, a.arg, a.top)
        if a.mix:
            print_mix(a.isa, a.guest, dump, ranges, blocks)
            return
        for pc, entries, _ in blocks:
            if pc not in ranges:
                continue
            cycles, count = block_cycles(dump, *ranges[pc], a.mcpu, workdir)
            if cycles is None:
                continue
            total += cycles * entries
            if a.verbose:
                print(f'  block @{pc}: {count} x86 instructions, {cycles:.2f} cycles an iteration x {entries}')
    print(f'{a.isa} {a.guest} {total / 1e6:.3f} M cycles ({a.mcpu}, {len(blocks)} hottest blocks)')


if __name__ == '__main__':
    main()
