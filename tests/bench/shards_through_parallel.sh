#!/bin/sh
# Two shards of `pvmlab bench` fanned out with GNU parallel on localhost, each into its own
# database, merged with `pvmlab db merge`, give the same benchmark set (every engine,
# guest, size and mode once) as one unsharded run; the shards share no guest, and each is
# pinned to a CPU of its own.
#   shards_through_parallel.sh PVMLAB BUILD_DIR
set -eu
pvmlab=$1
build=$2
command -v parallel >/dev/null || { echo "GNU parallel is missing: install the Debian package 'parallel' (scripts/packages-bench.txt)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench="$pvmlab bench --suite quick --engines native --runs 2 --build-dir $build"

$bench --db "$work/whole.db" --cache-dir "$work/cache-whole" > "$work/whole.log"
# Each shard its own database and cache folder (two processes on one machine must not build
# the same cached driver at once); copies of the first run's cache save the rebuild.
cp -r "$work/cache-whole" "$work/cache-1"
cp -r "$work/cache-whole" "$work/cache-2"
parallel --will-cite -j2 "$bench --shard {}/2 --db $work/shard-{}.db --cache-dir $work/cache-{} > $work/shard-{}.log" ::: 1 2
for k in 1 2; do
    grep -q "^shard $k/2: [1-9]" "$work/shard-$k.log" || { echo "shard $k measured no guest:" >&2; cat "$work/shard-$k.log" >&2; exit 1; }
done
# Side by side on one machine each shard's execution samples get a CPU of their own (--cpu's
# default with --shard K/N: the K-th highest CPU), not both the highest one.
c1=$(sed -n 's/.*execution pinned to CPU \([0-9]*\) .*/\1/p' "$work/shard-1.log")
c2=$(sed -n 's/.*execution pinned to CPU \([0-9]*\) .*/\1/p' "$work/shard-2.log")
[ -n "$c1" ] && [ -n "$c2" ] || { echo "a shard's provenance names no CPU:" >&2; cat "$work/shard-1.log" "$work/shard-2.log" >&2; exit 1; }
if [ "$(nproc)" -ge 2 ] && [ "$c1" = "$c2" ]; then echo "both shards pinned to CPU $c1" >&2; exit 1; fi
# The shards split the guests: none in both.
g1=$(sed -n 's/^shard 1\/2: [0-9]* guests* of this suite://p' "$work/shard-1.log")
g2=$(sed -n 's/^shard 2\/2: [0-9]* guests* of this suite://p' "$work/shard-2.log")
for g in $g1; do
    case " $g2 " in *" $g "*) echo "guest $g is in both shards" >&2; exit 1;; esac
done

"$pvmlab" db merge --db "$work/merged.db" "$work/shard-1.db" > /dev/null
"$pvmlab" db merge --db "$work/merged.db" "$work/shard-2.db" > /dev/null
# Same set both ways: the regression check counts a configuration missing from the
# candidate as a regression (exit 1); the huge threshold leaves timing out of it.
"$pvmlab" compare --db "$work/merged.db" --run 1,2 --against-db "$work/whole.db" --threshold 1e9 > "$work/a.txt"
"$pvmlab" compare --db "$work/whole.db" --against-db "$work/merged.db" --against 1,2 --threshold 1e9 > "$work/b.txt"
guests=$(grep -c '^GUEST(' "$(dirname "$0")/../../bench/guests/guests.def")
for f in a b; do
    grep -q "^$guests compared, 0 regressed" "$work/$f.txt" || { echo "merged shards differ from the unsharded run:" >&2; cat "$work/$f.txt" >&2; exit 1; }
done
"$pvmlab" db check --db "$work/merged.db"
echo "2 shards through GNU parallel, merged: the same $guests (engine, guest, mode) as one run"
