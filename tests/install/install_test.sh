#!/usr/bin/env bash
# Install into a temporary prefix, then build a small host against it with pkg-config
# and with find_package(pvm), and run it; every installed tool answers --version.
#   install_test.sh BUILD_DIR CC "EXTRA_CFLAGS"
set -eu
build=$1 cc=$2 extra=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*"; exit 1; }
for f in bin/pvm bin/pvm-link bin/pvmlab lib/libpvm.a include/pvm/pvm.h include/pvm/hostcalls.h include/pvm/builder.h \
         lib/pkgconfig/pvm.pc lib/cmake/pvm/pvmConfig.cmake lib/cmake/pvm/pvmConfigVersion.cmake; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
so=$(ls "$prefix"/lib/libpvm.so.*.*.* 2>/dev/null | head -1)
[ -n "$so" ] || fail "no versioned libpvm.so"
soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[[ "$soname" =~ ^libpvm\.so\.[0-9]+\.[0-9]+$ ]] || fail "SONAME is '$soname'"
[ -e "$prefix/lib/$soname" ] || fail "no $soname link"
version=$(pkg-config --modversion "$prefix/lib/pkgconfig/pvm.pc")
for tool in "$prefix"/bin/*; do
  out=$("$tool" --version) || fail "$(basename "$tool") --version exited $?"
  grep -q "$version" <<<"$out" || fail "$(basename "$tool") --version says '$out', not $version"
done
# pkg-config (shared library, found at run time through the rpath)
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2086,SC2046
"$cc" $extra "$here/host.c" -o "$tmp/host_pc" $(pkg-config --cflags --libs pvm) -Wl,-rpath,"$prefix/lib" || fail "pkg-config build"
out=$("$tmp/host_pc") || fail "host (pkg-config) exited $?: $out"
grep -q "guest exit 42" <<<"$out" || fail "host (pkg-config) printed '$out'"
ldd "$tmp/host_pc" | grep -q "$prefix/lib/$soname" || fail "host (pkg-config) is not linked to the installed $soname"
# find_package(pvm): shared and static
cmake -S "$here/host_project" -B "$tmp/hb" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; fail "find_package configure"; }
cmake --build "$tmp/hb" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "find_package build"; }
for h in host_shared host_static; do
  out=$("$tmp/hb/$h") || fail "$h exited $?: $out"
  grep -q "guest exit 42" <<<"$out" || fail "$h printed '$out'"
done
ldd "$tmp/hb/host_static" | grep -q libpvm && fail "host_static links libpvm.so"
echo "install test: ok ($soname, version $version)"
