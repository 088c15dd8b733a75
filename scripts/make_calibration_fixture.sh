#!/bin/sh
# Regenerates tests/calibrate/fixtures/calibration.db, the small database the golden-table
# test (tests/calibrate/test_tables_golden.c) reads, and the golden tables next to it.
#   scripts/make_calibration_fixture.sh [BUILD_DIR]                (default: build)
#   scripts/make_calibration_fixture.sh --tables-only [BUILD_DIR]
# --tables-only keeps the database and rewrites only the golden tables (after an intended
# change to what pvmlab tables writes).
# It holds two --smoke calibrations (interpreter and recompiler, simulated counters) with
# their runs, machine and build rows; the samples and the fit details (fit_results, which
# tables never read) are dropped to keep the file small. The
# measured values differ on every run, so regenerating changes the golden bytes: commit the
# database and the golden tables together. Regenerate
# it in full when merges renumber the schema's migrations (its user_version must name the
# same steps as this tree's schema.c).
set -eu
tables_only=no
if [ "${1:-}" = --tables-only ]; then tables_only=yes; shift; fi
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/tests/calibrate/fixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/calibration.db"
if [ "$tables_only" = yes ]; then
    cp "$out/calibration.db" "$db"
    rm -f "$out"/*.table "$out"/*.pipeline
else
"$build/bin/pvmlab" calibrate --smoke --counters sim --db "$db" > /dev/null
"$build/bin/pvmlab" calibrate --smoke --counters sim --backend jit --db "$db" > /dev/null
"$build/bin/pvmlab" db prune --db "$db" > /dev/null
mkdir -p "$out"
cp "$db" "$out/calibration.db"
fi
# The golden tables: what pvmlab tables writes for each calibration (on a copy: it stores the table).
cp "$db" "$tmp/work.db"
# The two calibrations made above are ids 1 and 2; pvmlab db calibration prints each one's fields.
for id in 1 2; do
    "$build/bin/pvmlab" db calibration --db "$db" "$id" > "$tmp/calibration"
    uuid=$(awk -F'\t' '$1 == "uuid" { print $2 }' "$tmp/calibration")
    backend=$(awk -F'\t' '$1 == "vm_backend" { print $2 }' "$tmp/calibration")
    models=table
    [ "$backend" = jit ] && models="table pipeline-l2hit"
    for model in $models; do
        "$build/bin/pvmlab" tables --db "$tmp/work.db" --calibration "$uuid" --model "$model" --out "$out" \
            --fidelity none --allow-noisy > /dev/null
    done
done
ls -l "$out"
