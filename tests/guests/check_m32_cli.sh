#!/bin/sh
# bench/sdk/check_m32.cmake as a script: a compiler that does not exist and one whose link
# fails are each one line naming the reason (the fake's linker error, the packages to
# install); the real clang-19 either links (and runs or says why it cannot) or names why not.
#   check_m32_cli.sh CMAKE CHECK_M32_CMAKE CLANG WORK
set -eu
cmake=$1 check=$2 clang=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
out=$("$cmake" -DCLANG="$work/no-such-clang-19" -DDIR="$work/a" -P "$check" 2>&1)
echo "$out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
printf '%s\n' "$out" | grep -q "^native-i386: missing: clang-19 not found ($work/no-such-clang-19)$"
printf '#!/bin/sh\necho "clang: warning: irrelevant" >&2\necho "/usr/bin/ld: cannot find crtbeginS.o: No such file or directory" >&2\nexit 1\n' > "$work/fake-clang"
chmod +x "$work/fake-clang"
out=$("$cmake" -DCLANG="$work/fake-clang" -DDIR="$work/b" -P "$check" 2>&1)
echo "$out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
printf '%s\n' "$out" | grep -q "^native-i386: missing: .*fake-clang -m32 cannot link (/usr/bin/ld: cannot find crtbeginS.o: No such file or directory): apt: libc6-dev-i386 lib32gcc-12-dev"
test ! -e "$work/b/exec_probe"
if [ -n "$clang" ]; then
    out=$("$cmake" -DCLANG="$clang" -DDIR="$work/c" -P "$check" 2>&1)
    echo "$out"
    printf '%s\n' "$out" | grep -Eq "^native-i386: (links, runs|links, cannot run: this kernel does not run 32-bit x86 programs|missing: .*cannot link)"
    if printf '%s\n' "$out" | grep -q "links"; then
        file "$work/c/exec_probe" 2>/dev/null | grep -q "32-bit" || ! command -v file > /dev/null
    fi
fi
echo ok
