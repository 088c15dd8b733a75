#!/usr/bin/env bash
# Geomean ratio to native per engine over the tuned guests and, apart, over the held-out ones
# (bench/guests/held_out.txt), from one stored bench run as `pvmlab compare` prints it.
# Usage: scripts/bench_held_out.sh [--db PATH] [other pvmlab compare options]
# (PVMLAB: the pvmlab binary, default build/bin/pvmlab; HELD_OUT_FILE: another list)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pvmlab=${PVMLAB:-$root/build/bin/pvmlab}
list=${HELD_OUT_FILE:-$root/bench/guests/held_out.txt}
[ -r "$list" ] || { echo "bench_held_out.sh: $list: the held-out list is not readable" >&2; exit 2; }
held=$(grep -v "^#" "$list" | tr "\n" " ")
table=$("$pvmlab" compare "$@") # on failure compare has said why in one line, and nothing is printed here
printf '%s\n' "$table" | awk -v held="$held" '
BEGIN { n = split(held, h, " "); for (i = 1; i <= n; i++) is_held[h[i]] = 1 }
done { next } # the main table only (compare may print the rv32 block after it)
/^guest / { for (i = 2; i <= NF; i++) engine[i] = $i; next }
/^geomean/ { done = 1; next }
NF < 4 || $2 !~ /^[0-9.]+$/ { next }
{ # guest, the native time and its unit, then one ratio per engine
  for (i = 4; i <= NF; i++) {
    if ($i !~ /^[0-9.]+$/) continue # "-": the engine has no median for this guest
    e = engine[i - 1]
    if ($1 in is_held) { hs[e] += log($i); hn[e]++ } else { ts[e] += log($i); tn[e]++ }
  }
}
END {
  printf "%-26s %18s %18s\n", "engine", "tuned guests", "held-out guests"
  for (e in ts) printf "%-26s %12.3f (%2d) %12s (%2d)\n", e, exp(ts[e] / tn[e]), tn[e], hn[e] ? sprintf("%.3f", exp(hs[e] / hn[e])) : "-", hn[e]
}' | { IFS= read -r header; echo "$header"; sort; }
