#!/usr/bin/env python3
"""Where the interpreter's register operands come from (vm/interp/README.md, session 43).

Block entry counts come from the interpreter (`pvm run --gas-profile --model unit`), the
instructions from `pvm disasm`. Each register an instruction reads (once per instruction and
register) is counted, weighted by its block's entries, by where its value was written:
  acc           by the block's last register-writing instruction before it (the operand the
                interpreter forwards in a register already: interp_forward.c)
  second        by the register-writing instruction before that one (what a second forwarded
                operand would take)
  earlier       by an earlier instruction of the same block
  self-loop acc before the block, by the block's own last write when the block jumps to itself,
                read before the block writes a register (what acc would still hold if it
                were carried round the loop)
  before block  before the block otherwise
  scripts/interp_operand_sources.py PVM GUEST.polkavm ARG
Held-out guests (bench/guests/held_out.txt) are refused: never profile them."""
import os
import re
import subprocess
import sys
from collections import Counter

# Mnemonics whose first register is read, not written (no destination).
NO_DEST = re.compile(r"^(store|branch|jump|fallthrough|trap|unlikely|ecalli|memset)")
SOURCES = ("acc", "second", "earlier", "self-loop acc", "before block")


def held_out():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "guests", "held_out.txt")
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def fail(msg, status=1):
    print(f"interp_operand_sources: {msg}", file=sys.stderr)
    sys.exit(status)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        last = p.stderr.strip().splitlines()
        fail(f"{' '.join(cmd)} failed: {last[-1] if last else f'exit {p.returncode}'}")
    return p.stdout


def reads_and_write(mnemonic, regs):
    """The registers an instruction reads and the one it writes (None), from pvm disasm's order."""
    if NO_DEST.match(mnemonic) or not regs:
        return list(regs), None
    if mnemonic.startswith("load_imm"):
        return list(regs[1:]) if mnemonic.startswith("load_imm_jump_ind") else [], regs[0]
    if mnemonic.startswith("cmov"):  # d keeps its value when the condition fails
        return list(regs), regs[0]
    return list(regs[1:]), regs[0]


def main():
    if len(sys.argv) != 4:
        fail("usage: scripts/interp_operand_sources.py PVM GUEST.polkavm ARG", 2)
    pvm, guest, arg = sys.argv[1:]
    if not os.access(pvm, os.X_OK):
        fail(f"{pvm}: not an executable pvm", 2)
    if not os.path.isfile(guest):
        fail(f"{guest}: no such guest file", 2)
    name = os.path.basename(guest).removesuffix(".polkavm")
    if name in held_out():
        fail(f"{name} is a held-out guest (bench/guests/held_out.txt)", 2)
    if not re.fullmatch(r"\d+|0x[0-9a-fA-F]+", arg):
        fail(f"{arg}: not a number")
    prof = run([pvm, "run", guest, "--export", "run", "--arg", arg, "--backend", "interp", "--gas-profile", "--model", "unit"])
    entries = {}
    for l in prof.splitlines():
        m = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+%", l)
        if m:
            entries[int(m.group(1))] = int(m.group(3))
    blocks, cur = {}, None
    for l in run([pvm, "disasm", guest]).splitlines():
        m = re.match(r"@(\d+): ; block \d+", l)
        if m:
            cur = int(m.group(1))
            blocks[cur] = []
            continue
        m = re.match(r"\s+\d+: (\S+)\s*(.*)", l)
        if m and cur is not None:
            blocks[cur].append((m.group(1), re.findall(r"\br(\d+)\b", m.group(2)), re.findall(r"@(\d+)", m.group(2))))
    if not entries or not blocks:
        fail(f"{guest}: no block profile or no instructions from pvm")
    count, executed = Counter(), 0
    for start, instrs in blocks.items():
        e = entries.get(start, 0)
        if not e:
            continue
        self_loop = any(int(t) == start for t in instrs[-1][2])
        end_writer = None
        for mnemonic, regs, _ in instrs:
            w = reads_and_write(mnemonic, regs)[1]
            end_writer = w if w is not None else end_writer
        writers = []  # each register-writing instruction's register so far, the latest last
        for mnemonic, regs, _ in instrs:
            executed += e
            reads, write = reads_and_write(mnemonic, regs)
            for r in set(reads):
                if writers and writers[-1] == r:
                    count["acc"] += e
                elif len(writers) >= 2 and writers[-2] == r:
                    count["second"] += e
                elif r in writers:
                    count["earlier"] += e
                elif self_loop and r == end_writer and not writers:
                    count["self-loop acc"] += e
                else:
                    count["before block"] += e
            if write is not None:
                writers.append(write)
    reads = sum(count.values())
    print(f"{name} arg {arg}: {executed} instructions executed, {reads} register reads ({reads / max(executed, 1):.2f} per instruction)")
    for k in SOURCES:
        print(f"{100 * count[k] / max(reads, 1):6.2f}%  {k}")


if __name__ == "__main__":
    main()
