#!/bin/sh
# Recomputes the checksums in guests.def with the native guest drivers of a build tree and
# rewrites the file in place. Run after changing a guest on purpose, then review the diff.
# Usage: bench/guests/refresh_checksums.sh BUILD_DIR
set -eu
build=${1:?usage: $0 BUILD_DIR}
manifest=$(dirname "$0")/guests.def
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
pattern='^GUEST(\([a-z0-9_]*\), \([a-z0-9_.]*\), \([0-9]*\), \([0-9]*\), 0x[0-9a-f]*, 0x[0-9a-f]*)$'
while IFS= read -r line; do
    name=$(printf '%s\n' "$line" | sed -n "s/$pattern/\1/p")
    if [ -z "$name" ]; then
        printf '%s\n' "$line"
        continue
    fi
    source=$(printf '%s\n' "$line" | sed "s/$pattern/\2/")
    quick=$(printf '%s\n' "$line" | sed "s/$pattern/\3/")
    full=$(printf '%s\n' "$line" | sed "s/$pattern/\4/")
    quick_sum=$("$build/bin/guest-$name" "$quick" 2>/dev/null)
    full_sum=$("$build/bin/guest-$name" "$full" 2>/dev/null)
    printf 'GUEST(%s, %s, %s, %s, 0x%s, 0x%s)\n' "$name" "$source" "$quick" "$full" "$quick_sum" "$full_sum"
done < "$manifest" > "$tmp"
cat "$tmp" > "$manifest"
