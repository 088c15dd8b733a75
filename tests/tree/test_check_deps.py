#!/usr/bin/env python3
"""scripts/check-deps.py finds what it promises: planted trees with an include
loop between files, a loop between folders, an ambiguous include, a header named
other than by its root path, a private header outside its part, two headers with
one name and (with object files) a call loop each make it exit 1 and name the
problem; the same trees without it pass; --report prints but exits 0.

  tests/tree/test_check_deps.py [CC]   (CC: a C compiler for the call-loop case)

The planted folders have upper-case names (vm/AA, ...), which
scripts/check-references.py reads as placeholders, not as paths of this tree.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "..", "..", "scripts", "check-deps.py")
failures = []


def write(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)


def run(root, *extra):
    res = subprocess.run([sys.executable, CHECK, "--root", root, *extra], capture_output=True, text=True)
    return res.returncode, res.stdout + res.stderr


def expect(name, files, want_rc, want_lines=(), extra=()):
    root = tempfile.mkdtemp(prefix="check-deps-")
    try:
        write(root, files)
        rc, out = run(root, *extra)
        ok = rc == want_rc and all(w in out for w in want_lines)
        print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {rc}")
        if not ok:
            print("   expected exit", want_rc, "and lines", list(want_lines), "got:\n" + out)
            failures.append(name)
    finally:
        shutil.rmtree(root)


# vm/AA/x.c -> vm/AA/x.h -> vm/AA/y.h -> vm/AA/x.h: a file loop (x.h <-> y.h) inside one folder.
FILE_LOOP = {
    "vm/CMakeLists.txt": "",
    "vm/AA/x.h": '#include "y.h"\n',
    "vm/AA/y.h": '#include "x.h"\n',
    "vm/AA/x.c": '#include "x.h"\n',
}
FILE_LOOP_FIXED = dict(FILE_LOOP, **{"vm/AA/y.h": "/* no include */\n"})
expect("file include loop", FILE_LOOP, 1, ["file loop: vm/AA/x.h <-> vm/AA/y.h"])
expect("file include loop, --report", FILE_LOOP, 0, ["file loop: vm/AA/x.h <-> vm/AA/y.h"], ["--report"])
expect("file loop removed", FILE_LOOP_FIXED, 0, ["no dependency loops"])

# vm/AA/p.c includes vm/BB/q.h, vm/BB/r.c includes vm/AA/s.h: folders AA and BB depend on
# each other although no file loop exists.
FOLDER_LOOP = {
    "vm/CMakeLists.txt": "",
    "vm/AA/p.c": '#include "vm/BB/q.h"\n',
    "vm/AA/s.h": "",
    "vm/BB/q.h": "",
    "vm/BB/r.c": '#include "vm/AA/s.h"\n',
}
expect("folder loop", FOLDER_LOOP, 1, ["folder loop: vm/AA <-> vm/BB"])
expect("folder loop removed", dict(FOLDER_LOOP, **{"vm/BB/r.c": '#include "q.h"\n'}), 0, ["no dependency loops"])

# results includes costmodel and costmodel includes results: a loop between parts.
PART_LOOP = {
    "results/CMakeLists.txt": "",
    "costmodel/CMakeLists.txt": "",
    "results/RR/r.h": '#include "costmodel/CC/c.h"\n',
    "costmodel/CC/c.h": "",
    "costmodel/CC/c.c": '#include "results/RR/r.h"\n',
}
expect("part loop", PART_LOOP, 1, ["top-level part loop: costmodel <-> results"])

# Two headers named stats.h, both reachable from an include path: ambiguous.
AMBIGUOUS = {
    "vm/CMakeLists.txt": "",
    "vm/UTIL/CMakeLists.txt": "",
    "bench/BENCH/CMakeLists.txt": "",
    "vm/UTIL/stats.h": "",
    "bench/BENCH/stats.h": "",
    "tests/TT/t.c": '#include "stats.h"\n',
}
expect("ambiguous include", AMBIGUOUS, 1, ['ambiguous include: tests/TT/t.c includes "stats.h"'])

# How headers are named: a clean tree passes; a plain name for another folder's header, a
# vm-relative name instead of the root path, a private header outside its part and two
# headers with one file name are each reported.
NAMING = {
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
expect("header names as the tree names them", NAMING, 0, ["no dependency loops"])
expect("plain name of another folder's header", dict(NAMING, **{"plots/figure.c": '#include "results.h"\n'}), 1,
       ["include name: plots/figure.c names results/results.h"])
expect("vm-relative name instead of the root path",
       dict(NAMING, **{"results/store.c": '#include "results.h"\n#include "isa/isa.h"\n'}), 1,
       ["include name: results/store.c names vm/isa/isa.h"])
expect("private header outside its part", dict(NAMING, **{"plots/figure.c": '#include "vm/api/internal.h"\n'}), 1,
       ["plots/figure.c includes vm/api/internal.h, private to vm/"])
expect("duplicate header name", dict(NAMING, **{"plots/results.h": ""}), 1, ["duplicate header name: results.h"])

# Calls only (a shared header hides them): vm/MM/one.c calls two(), vm/MM/two.c calls one().
cc = sys.argv[1] if len(sys.argv) > 1 else shutil.which("cc")
if cc:
    CALLS = {
        "vm/CMakeLists.txt": "",
        "vm/MM/shared.h": "int one(void);\nint two(void);\n",
        "vm/MM/one.c": '#include "shared.h"\nint one(void) { return two() + 1; }\n',
        "vm/MM/two.c": '#include "shared.h"\nint two(void) { return 2; }\nint twice(void) { return one() * 2; }\n',
    }

    def compile_objects(root):
        obj_dir = os.path.join(root, "build", "vm", "CMakeFiles", "MM.dir", "MM")
        os.makedirs(obj_dir)
        for name in ("one", "two"):
            subprocess.run([cc, "-c", os.path.join(root, "vm", "MM", name + ".c"), "-o",
                            os.path.join(obj_dir, name + ".c.o")], check=True)

    root = tempfile.mkdtemp(prefix="check-deps-")
    try:
        write(root, CALLS)
        compile_objects(root)
        rc, out = run(root)
        ok = rc == 0
        print(f"{'ok  ' if ok else 'FAIL'} call loop unseen without --build: exit {rc}")
        if not ok:
            failures.append("call loop without --build")
        rc, out = run(root, "--build", os.path.join(root, "build"))
        ok = rc == 1 and "file loop: vm/MM/one.c <-> vm/MM/two.c" in out
        print(f"{'ok  ' if ok else 'FAIL'} call loop with --build: exit {rc}")
        if not ok:
            print(out)
            failures.append("call loop with --build")
    finally:
        shutil.rmtree(root)
else:
    print("skip call loop: no C compiler found (the include cases above still ran)")

if failures:
    print(f"{len(failures)} case(s) failed: {', '.join(failures)}")
    sys.exit(1)
print("check-deps finds every planted problem")
