"""What the guest-profiling scripts share (rv32_pair_shapes.py, interp_operand_sources.py):
their one command line, PVM GUEST.polkavm ARG, checked the same way (held-out guests refused:
bench/guests/held_out.txt), the interpreter's block profile of one run, and the program's
blocks as `pvm disasm` prints them. Errors are one line on stderr naming the tool, then exit
2 for a bad command line and 1 for a failed run."""
import os
import re
import subprocess
import sys


class Tool:
    def __init__(self, name):
        self.name = name

    def fail(self, msg, status=1):
        print(f"{self.name}: {msg}", file=sys.stderr)
        sys.exit(status)

    def run(self, cmd):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            last = p.stderr.strip().splitlines()
            self.fail(f"{' '.join(cmd)} failed: {last[-1] if last else f'exit {p.returncode}'}")
        return p.stdout

    def arguments(self):
        """PVM, GUEST, ARG and the guest's name, from the command line."""
        if len(sys.argv) != 4:
            self.fail(f"usage: scripts/{self.name}.py PVM GUEST.polkavm ARG", 2)
        pvm, guest, arg = sys.argv[1:]
        if not os.access(pvm, os.X_OK):
            self.fail(f"{pvm}: not an executable pvm", 2)
        if not os.path.isfile(guest):
            self.fail(f"{guest}: no such guest file", 2)
        name = os.path.basename(guest).removesuffix(".polkavm")
        if name in held_out():
            self.fail(f"{name} is a held-out guest (bench/guests/held_out.txt)", 2)
        return pvm, guest, arg, name

    def block_entries(self, pvm, guest, arg):
        """Block start pc -> how often the interpreter entered it running run(ARG)."""
        prof = self.run([pvm, "run", guest, "--export", "run", "--arg", arg, "--backend", "interp", "--gas-profile",
                         "--model", "unit"])
        entries = {}
        for l in prof.splitlines():
            m = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+%", l)
            if m:
                entries[int(m.group(1))] = int(m.group(3))
        return entries

    def blocks(self, pvm, guest):
        """Block start pc -> its instructions as (mnemonic, [operand text, ...])."""
        blocks, cur = {}, None
        for l in self.run([pvm, "disasm", guest]).splitlines():
            m = re.match(r"@(\d+):", l)
            if m:
                cur = int(m.group(1))
                blocks[cur] = []
                continue
            m = re.match(r"\s+(\d+): (\S+)\s*(.*)", l)
            if m and cur is not None:
                blocks[cur].append((m.group(2), [x.strip() for x in m.group(3).split(",")] if m.group(3) else []))
        return blocks


def held_out():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "guests", "held_out.txt")
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}
