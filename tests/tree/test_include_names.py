#!/usr/bin/env python3
"""scripts/check-deps.py on small planted trees, the include-naming rules: a clean tree passes; each planted
problem (include naming, private header, duplicate header name, include loop) is
reported with its file and makes the script exit 1."""
import os
import subprocess
import sys
import tempfile

CHECKER = sys.argv[1]


def tree(files):
    d = tempfile.mkdtemp(prefix="check-deps-")
    for path, text in files.items():
        os.makedirs(os.path.join(d, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(d, path), "w") as f:
            f.write(text)
    return d


CLEAN = {
    "vm/CMakeLists.txt": "",
    "results/CMakeLists.txt": "",
    "plots/CMakeLists.txt": "",
    "vm/include/pvm/pvm.h": "",
    "vm/isa/isa.h": "",
    "vm/api/internal.h": '#include "vm/isa/isa.h"\n',
    "vm/api/engine.c": '#include "pvm/pvm.h"\n#include "internal.h"\n',
    "results/results.h": '#include "pvm/pvm.h"\n',
    "results/store.c": '#include "results.h"\n#include "vm/isa/isa.h"\n',
    "plots/figure.c": '#include "results/results.h"\n',
    "tests/vm/test_engine.c": '#include "vm/api/internal.h"\n',
}


def run(files):
    r = subprocess.run([sys.executable, CHECKER, "--root", tree(files)], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def expect(name, files, status, *needles):
    code, out = run(files)
    ok = code == status and all(n in out for n in needles)
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        print(f"  exit {code} (wanted {status}); output:\n{out}  wanted to see: {needles}")
    return ok


cases = [
    expect("clean tree passes", CLEAN, 0, "no dependency loops"),
    expect("plain name of another folder's header", dict(CLEAN, **{"plots/figure.c": '#include "results.h"\n'}),
           1, "include name: plots/figure.c names results/results.h"),
    expect("vm-relative name instead of the root path",
           dict(CLEAN, **{"results/store.c": '#include "results.h"\n#include "isa/isa.h"\n'}),
           1, "include name: results/store.c names vm/isa/isa.h"),
    expect("private header outside its part",
           dict(CLEAN, **{"plots/figure.c": '#include "vm/api/internal.h"\n'}), 1,
           "plots/figure.c includes vm/api/internal.h, private to vm/"),
    expect("duplicate header name", dict(CLEAN, **{"plots/results.h": ""}), 1,
           "duplicate header name: results.h"),
    expect("include loop between parts",
           dict(CLEAN, **{"vm/isa/isa.h": '#include "plots/figure.h"\n', "plots/figure.h": '#include "vm/isa/isa.h"\n'}),
           1, "file loop: plots/figure.h <-> vm/isa/isa.h"),
]
sys.exit(0 if all(cases) else 1)
