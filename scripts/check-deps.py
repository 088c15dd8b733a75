#!/usr/bin/env python3
"""Dependency loops in the source tree, from its #include lines.

  scripts/check-deps.py [--root DIR] [--build DIR] [--report]

File A depends on file B when A includes B. A folder (its path up to
the file, e.g. vm/jit) depends on another when one of its files does. The script
prints every strongly connected component of more than one file, folder or
top-level part, and every include it cannot resolve to one file of the tree
(duplicate header names), and exits 1 if it found any: CI runs it.
With --build, calls count too: A.c depends on B.c when A's object file uses a
symbol that B's object file defines (nm on the build's *.c.o), which finds the
two-way dependencies that a shared private header hides.
--report prints the same but always exits 0.

It also checks how headers are named: a plain name ("fit.h") only for a header
in the includer's own folder; every other project header by its path from the
project root ("costmodel/fit/fit.h"), the embedder API by its installed name
("pvm/pvm.h"); guest code (bench/sdk, bench/guests) by the SDK's include
root; no two headers share a file name; a private header
(*internal.h, vm/state/) only from its own top-level part, tests/, or bench/sandbox (the
VM's white-box micro-benchmarks).
"""
import argparse
import os
import re
import subprocess
import sys

PARTS = ["vm", "costmodel", "results", "bench", "plots", "reports", "tests"]
SOURCE_EXT = (".c", ".h", ".inc", ".def")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def source_files(root):
    files = []
    for part in PARTS:
        for d, subdirs, names in os.walk(os.path.join(root, part)):
            subdirs[:] = sorted(s for s in subdirs if s not in ("node_modules", "regressions"))
            for n in sorted(names):
                if n.endswith(SOURCE_EXT):
                    files.append(os.path.relpath(os.path.join(d, n), root))
    return files


def include_roots(root):
    """Folders the build adds to include paths: every folder with a CMakeLists.txt
    (each part adds its own), plus vm/include (public headers)."""
    roots = {"vm/include", "."}
    for part in PARTS:
        for d, subdirs, names in os.walk(os.path.join(root, part)):
            if "CMakeLists.txt" in names:
                roots.add(os.path.relpath(d, root))
    return roots


def resolve(includer, name, by_suffix, roots):
    """The one tree file an include names, or None (system/generated) or a list (ambiguous)."""
    here = os.path.normpath(os.path.join(os.path.dirname(includer), name))
    if here in by_suffix["__all__"]:
        return here
    name = name.replace("\\", "/")
    cands = [c for c in by_suffix.get(name, []) if c == name or c[: -len(name) - 1] in roots]
    if len(cands) <= 1:
        return cands[0] if cands else None
    same_part = [c for c in cands if c.split("/")[0] == includer.split("/")[0]]
    if len(same_part) == 1:
        return same_part[0]
    return cands


WHITE_BOX = ("tests/", "bench/sandbox/")
GUEST_WORLD = ("bench/sdk/", "bench/guests/")
PRIVATE_FOLDERS = ("vm/state/",)  # the engine/module/instance structs: libpvm's own


def naming_problem(includer, name, target):
    """Why an include that resolved to target is not written the way the tree names
    headers, or None."""
    if target.startswith(GUEST_WORLD) and not target.endswith(".def"):
        return None  # guest code: compiled by pvm_add_guest against the SDK's own include root
    sibling = os.path.normpath(os.path.join(os.path.dirname(includer), name))
    if "/" not in name:
        if sibling != target:
            return f"names {target} by its plain name: write \"{target}\""
    elif not (name == target or (target.startswith("vm/include/") and target == "vm/include/" + name)):
        return f"names {target} as \"{name}\": write \"{target}\""
    if os.path.basename(target).endswith("internal.h") or target.startswith(PRIVATE_FOLDERS):
        owner = target.split("/")[0]
        if includer.split("/")[0] != owner and not includer.startswith(WHITE_BOX):
            return f"includes {target}, private to {owner}/"
    return None


def duplicate_header_names(files):
    seen = {}
    for f in files:
        if f.endswith(".h") and not f.startswith(GUEST_WORLD):
            seen.setdefault(os.path.basename(f), []).append(f)
    return sorted((n, fs) for n, fs in seen.items() if len(fs) > 1)


def index_suffixes(files):
    by_suffix = {"__all__": set(files)}
    for f in files:
        parts = f.split("/")
        for i in range(len(parts)):
            by_suffix.setdefault("/".join(parts[i:]), []).append(f)
    return by_suffix


def object_sources(build, root):
    """(source path relative to root, object path) for every *.c.o CMake made in build."""
    out = {}
    for d, subdirs, names in os.walk(build):
        for n in names:
            if not n.endswith(".c.o"):
                continue
            obj = os.path.join(d, n)
            rel = os.path.relpath(obj, build).split(os.sep)
            if "CMakeFiles" not in rel:
                continue
            i = rel.index("CMakeFiles")
            src = "/".join(rel[:i] + rel[i + 2:])[: -len(".o")]
            if os.path.exists(os.path.join(root, src)) and src.split("/")[0] in PARTS:
                out.setdefault(src, obj)
    return out


def symbol_edges(build, root):
    """(user source, definer source) pairs from defined and undefined symbols."""
    objs = object_sources(build, root)
    src_of = {obj: src for src, obj in objs.items()}
    defined, used = {}, {}
    objects = sorted(src_of)
    lines = []
    for i in range(0, len(objects), 200):  # one nm per 200 objects: a process per object is slow
        res = subprocess.run(["nm", "-P", "-g", "-A", *objects[i:i + 200]], capture_output=True, text=True, check=True)
        lines += res.stdout.splitlines()
    for line in lines:
        # -A -P: "OBJECT: NAME TYPE [VALUE SIZE]" (object paths have no ": ")
        obj, _, rest = line.partition(": ")
        f = rest.split()
        if obj not in src_of or len(f) < 2:
            continue
        src = src_of[obj]
        name, kind = f[0], f[1]
        if kind == "U":
            used.setdefault(src, set()).add(name)
        elif kind in "TDBRVWC" and kind.isupper():
            defined.setdefault(name, set()).add(src)
    edges = set()
    for src, names in used.items():
        for name in names:
            for d in defined.get(name, ()):
                if d != src:
                    edges.add((src, d))
    return sorted(edges)


def tarjan(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        # iterative DFS to stay clear of Python's recursion limit
        work = [(v, iter(sorted(graph.get(v, ()))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--build", help="a configured and built CMake build folder: add call dependencies")
    ap.add_argument("--report", action="store_true", help="print findings but exit 0")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    files = source_files(root)
    by_suffix = index_suffixes(files)
    roots = include_roots(root)

    folder_of = lambda f: os.path.dirname(f)
    part_of = lambda f: f.split("/")[0]
    files_graph, folders, parts = {}, {}, {}
    problems = 0
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for name in INCLUDE.findall(text):
            target = resolve(f, name, by_suffix, roots)
            if target is None:
                continue
            if isinstance(target, list):
                print(f"ambiguous include: {f} includes \"{name}\", which names {', '.join(target)}")
                problems += 1
                continue
            why = naming_problem(f, name, target)
            if why:
                print(f"include name: {f} {why}")
                problems += 1
            if target != f:
                files_graph.setdefault(f, set()).add(target)
            if folder_of(target) != folder_of(f):
                folders.setdefault(folder_of(f), set()).add(folder_of(target))
            if part_of(target) != part_of(f):
                parts.setdefault(part_of(f), set()).add(part_of(target))

    for name, where in duplicate_header_names(files):
        print(f"duplicate header name: {name} is {', '.join(where)}")
        problems += 1

    edges = []
    if args.build:
        edges = symbol_edges(os.path.abspath(args.build), root)
    for a, b in edges:
        if a != b:
            files_graph.setdefault(a, set()).add(b)
        if folder_of(a) != folder_of(b):
            folders.setdefault(folder_of(a), set()).add(folder_of(b))
        if part_of(a) != part_of(b):
            parts.setdefault(part_of(a), set()).add(part_of(b))

    for kind, graph in (("top-level part", parts), ("folder", folders), ("file", files_graph)):
        for comp in tarjan(graph):
            print(f"{kind} loop: {' <-> '.join(comp)}")
            problems += 1
    if problems:
        print(f"check-deps: {problems} problem(s)")
        return 0 if args.report else 1
    print(f"check-deps: {len(files)} files, no dependency loops, every include resolves to one file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
