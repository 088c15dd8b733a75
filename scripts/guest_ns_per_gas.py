#!/usr/bin/env python3
"""Time per gas of the benchmark guests under one cost model (held-out programs: never fitted).

  guest_ns_per_gas.py BUILD_DIR MODEL BACKEND [--lazy] [--reps N] [--isa rv64|rv32]...

Links every guest of bench/guests/guests.def from BUILD_DIR/guests/ISA/NAME.elf with pvm-link,
runs run(quick size) with `pvm run --gas-mode sync --model MODEL --stats`, and prints ns/gas
per guest, max/median and the median ps/gas. Time is the child's CPU time (user + system,
getrusage: not inflated when other processes take the CPU) minus that of run(0), the fastest
of --reps runs; gas likewise minus run(0)'s. MODEL is what pvm run takes (table:FILE,
pipeline:FILE, pipeline-l2hit, unit)."""
import os, re, resource, statistics, subprocess, sys, tempfile

def cpu_run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: {out.stderr.strip() or out.stdout.strip()}")
    gas = int(re.search(r"^gas used: (\d+)", out.stdout, re.M).group(1))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, gas

def main():
    args = sys.argv[1:]
    if len(args) < 3:
        sys.exit(__doc__)
    build, model, backend = args[:3]
    lazy = "--lazy" in args
    reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 3
    isas = [args[i + 1] for i, a in enumerate(args) if a == "--isa"] or ["rv64", "rv32"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    guests = []
    for line in open(os.path.join(root, "bench/guests/guests.def")):
        m = re.match(r"GUEST\((\w+),\s*[\w.]+,\s*(\d+),", line)
        if m:
            guests.append((m.group(1), int(m.group(2))))
    tmp = tempfile.mkdtemp()
    for isa in isas:
        result = {}
        for name, size in guests:
            elf = os.path.join(build, "guests", isa, name + ".elf")
            blob = os.path.join(tmp, f"{name}.{isa}.polkavm")
            subprocess.run([os.path.join(build, "bin/pvm-link"), elf, "-o", blob], check=True, capture_output=True)
            base = [os.path.join(build, "bin/pvm"), "run", blob, "--export", "run", "--gas", str(10**15),
                    "--gas-mode", "sync", "--backend", backend, "--model", model, "--stats"]
            if lazy:
                base += ["--lazy-pages", "mprotect"]
            full = min(cpu_run(base + ["--arg", str(size)]) for _ in range(reps))
            empty = min(cpu_run(base + ["--arg", "0"]) for _ in range(reps))
            result[name] = max(full[0] - empty[0], 1e-9) * 1e9 / max(full[1] - empty[1], 1)
        med = statistics.median(result.values())
        print(f"{model} {backend} {isa}{' lazy' if lazy else ''}:")
        for name, v in sorted(result.items(), key=lambda kv: kv[1]):
            print(f"  {name:22s} {v:9.4f} ns/gas  {v / med:5.2f} x median")
        print(f"  max/median {max(result.values()) / med:.2f}  median {med * 1000:.1f} ps/gas")

if __name__ == "__main__":
    main()
