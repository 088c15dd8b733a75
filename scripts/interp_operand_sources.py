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
import re
from collections import Counter

from guest_profile import Tool

# Mnemonics whose first register is read, not written (no destination).
NO_DEST = re.compile(r"^(store|branch|jump|fallthrough|trap|unlikely|ecalli|memset)")
SOURCES = ("acc", "second", "earlier", "self-loop acc", "before block")


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
    tool = Tool("interp_operand_sources")
    pvm, guest, arg, name = tool.arguments()
    entries = tool.block_entries(pvm, guest, arg)
    blocks = {}
    for start, instrs in tool.blocks(pvm, guest).items():
        blocks[start] = [(op, re.findall(r"\br(\d+)\b", ", ".join(operands)), re.findall(r"@(\d+)", ", ".join(operands)))
                         for op, operands in instrs]  # a base register prints as [rN+imm]
    if not entries or not blocks:
        tool.fail(f"{guest}: no block profile or no instructions from pvm")
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
