#!/usr/bin/env python3
"""Stale references: every repository path that the README files, the C sources'
comments and help texts, the scripts and the build files name must exist.

  scripts/check-references.py [--root DIR]

A reference is a word that starts with a top-level folder of the tree (vm/, bench/,
scripts/, ...) and names a file or folder, e.g. "bench/link/README.md" or
costmodel/tables/. Paths with placeholders (NAME, <x>, *, $VAR, ...) and the build's own
outputs (build*/, results/pvmlab.db, reports/out/) are not checked. Prints each missing
path with the file and line that names it; exits 1 if there is one (CI runs it).
"""
import argparse
import os
import re
import subprocess
import sys

TOP = ["vm", "costmodel", "bench", "results", "plots", "reports", "tests", "scripts", ".ci"]
REF = re.compile(r"(?<![\w./-])((?:%s)/[A-Za-z0-9_.+/-]*[A-Za-z0-9_/])" % "|".join(re.escape(t) for t in TOP))
# Outputs of a build or a run, never in the tree.
GENERATED = ("results/pvmlab.db", "reports/out", "results/out", "plots/out")
PLACEHOLDER = re.compile(r"(NAME|FILE|DIR|PATH|TARGET|GUEST|[A-Z]{2,}\b)")
# Inputs that name paths on purpose: fuzz regressions, and the planted trees that test the checkers.
PLANTED = ("tests/fuzz/regressions/", "tests/tree/")
TEXT_EXT = (".md", ".c", ".h", ".inc", ".def", ".sh", ".py", ".cmake", ".txt", ".gp", ".mjs", ".json")


def tracked_files(root):
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, capture_output=True,
                         text=True, check=True).stdout.split("\n")
    return sorted(f for f in out if f and f.endswith(TEXT_EXT) and "node_modules/" not in f
                  and not f.startswith(PLANTED) and os.path.exists(os.path.join(root, f)))


def exists(root, ref):
    ref = ref.rstrip("/.")
    return os.path.exists(os.path.join(root, ref))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    missing = 0
    for f in tracked_files(root):
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                for m in REF.finditer(line):
                    ref = m.group(1)
                    end = m.end(1)
                    if end < len(line) and line[end] in "<*$%{[-":
                        continue  # continues with a placeholder or a pattern
                    if ref.startswith(GENERATED) or PLACEHOLDER.search(ref.split("/", 1)[1]):
                        continue
                    if ref.rstrip("/").count("/") == 0:
                        continue
                    if not exists(root, ref):
                        print(f"{f}:{lineno}: names {ref}, which does not exist")
                        missing += 1
    if missing:
        print(f"check-references: {missing} stale reference(s)")
        return 1
    print("check-references: every path named in the tree exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
