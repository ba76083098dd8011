#!/usr/bin/env bash
# Cross-compiles the macOS backend, the library and psi-ps for x86_64-macos
# and aarch64-macos with Zig's bundled clang and macOS libc headers/stubs
# (PyPI package `ziglang`), and checks psi-ps is a Mach-O executable for the
# right CPU. There is no Mac here: this proves the backend compiles against
# the real headers and links against libSystem, not that it runs.
#
# Usage (from the repo root): bash tests/cross/check_macos.sh [BUILD_DIR]
# Exits non-zero with a one-line reason on the first failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${1:-$root/build/cross-macos}
py=${PYTHON:-python3}
jobs=${PSI_CROSS_JOBS:-1}  # per target; both targets build at once

fail() { echo "check_macos: FAIL: $*" >&2; exit 1; }

mkdir -p "$build" || fail "cannot create $build"
build=$(cd "$build" && pwd)

# Zig from PyPI. When the interpreter has none, it goes into a private
# directory of the build tree with --target: nothing is installed into the
# system Python (which Debian marks externally managed, PEP 668).
pydeps=""
if ! "$py" -m ziglang version >/dev/null 2>&1; then
  pydeps=$build/pydeps
  if ! PYTHONPATH=$pydeps "$py" -m ziglang version >/dev/null 2>&1; then
    echo "== installing ziglang from PyPI into $pydeps"
    "$py" -m pip install -q --target "$pydeps" ziglang >/dev/null 2>&1 ||
      "$py" -m pip install -q --break-system-packages --target "$pydeps" ziglang >/dev/null 2>&1 ||
      fail "pip install ziglang failed"
    PYTHONPATH=$pydeps "$py" -m ziglang version >/dev/null 2>&1 ||
      fail "'$py -m ziglang version' still fails after installing ziglang"
  fi
fi
command -v cmake >/dev/null || fail "cmake not found"
command -v ninja >/dev/null || fail "ninja not found"
pyexe=$(command -v "$py") || fail "$py not found"

# Mach-O header: magic 0xfeedfacf (64-bit, little-endian on disk: cf fa ed fe),
# then cputype: CPU_TYPE_X86_64 0x01000007, CPU_TYPE_ARM64 0x0100000c.
macho_cpu() {
  od -An -tx1 -N8 "$1" 2>/dev/null | tr -d ' \n'
}

triples="x86_64-macos aarch64-macos"
want_of() { case $1 in x86_64-*) echo cffaedfe07000001 ;; aarch64-*) echo cffaedfe0c000001 ;; esac; }
proc_of() { case $1 in x86_64-*) echo x86_64 ;; aarch64-*) echo arm64 ;; esac; }

# Configure and build one target; on failure, write the one-line reason to
# $dir/FAILED (the caller reports it) and return non-zero.
build_target() {
  local triple=$1 proc dir tools sub extra log
  proc=$(proc_of "$triple")
  dir=$build/$triple
  tools=$dir/tools
  rm -f "$dir/FAILED"
  mkdir -p "$tools" || { echo "cannot create $tools" >"$dir/FAILED"; return 1; }
  # CMake wants one executable path per tool: thin wrappers around zig.
  for sub in cc c++ ar ranlib; do
    case $sub in
      cc|c++) extra="-target $triple" ;;
      *) extra="" ;;
    esac
    {
      echo '#!/bin/sh'
      [ -n "$pydeps" ] && echo "PYTHONPATH='$pydeps'\${PYTHONPATH:+:\$PYTHONPATH}; export PYTHONPATH"
      echo "exec '$pyexe' -m ziglang $sub $extra \"\$@\""
    } >"$tools/$sub"
    chmod +x "$tools/$sub"
  done

  # CMAKE_SYSTEM_NAME=Darwin selects the macos backend. Zig supplies the
  # sysroot itself (no CMAKE_OSX_SYSROOT); CMAKE_OSX_ARCHITECTURES stays
  # empty so CMake adds no -arch flag next to zig's -target. The project is
  # C++ only; the cc wrapper is there for CMake's C probes if any appear.
  log=$dir/configure.log
  if ! cmake -S "$root" -B "$dir/build" -G Ninja \
      -DCMAKE_SYSTEM_NAME=Darwin \
      -DCMAKE_SYSTEM_PROCESSOR="$proc" \
      -DCMAKE_C_COMPILER="$tools/cc" \
      -DCMAKE_CXX_COMPILER="$tools/c++" \
      -DCMAKE_AR="$tools/ar" \
      -DCMAKE_RANLIB="$tools/ranlib" \
      -DCMAKE_BUILD_TYPE=Release \
      -DPSI_BUILD_TESTS=OFF -DPSI_BUILD_PYTHON=OFF -DPSI_BUILD_BENCH=OFF \
      -DPSI_INSTALL=OFF -DPSI_WERROR=ON >"$log" 2>&1; then
    echo "$triple: cmake configure failed (see $log)" >"$dir/FAILED"
    return 1
  fi
  if ! grep -q "psi backend: macos" "$log"; then
    echo "$triple: configure did not select the macos backend" >"$dir/FAILED"
    return 1
  fi
  log=$dir/build.log
  if ! cmake --build "$dir/build" -j "$jobs" --target psi psi-ps >"$log" 2>&1; then
    echo "$triple: build failed (see $log)" >"$dir/FAILED"
    return 1
  fi
}

# Both targets at once, one job each: on a cold zig cache most of the time
# goes into zig building libc++ for the target (first at CMake's compiler
# check), on one core, so two side by side nearly halve the wall time.
echo "== configuring and building libpsi.a and psi-ps for: $triples"
pids=()
for triple in $triples; do
  mkdir -p "$build/$triple" || fail "cannot create $build/$triple"
  build_target "$triple" &
  pids+=($!)
done
i=0
status=0
for triple in $triples; do
  wait "${pids[$i]}" || status=1
  i=$((i + 1))
done
if [ "$status" != 0 ]; then
  for triple in $triples; do
    f=$build/$triple/FAILED
    if [ -f "$f" ]; then
      log=$(sed -n 's/.*(see \(.*\))$/\1/p' "$f")
      [ -n "$log" ] && grep -m 20 -E "error|Error" "$log" >&2
      fail "$(cat "$f")"
    fi
  done
  fail "a target build failed without a reason"
fi

for triple in $triples; do
  dir=$build/$triple
  proc=$(proc_of "$triple")
  want=$(want_of "$triple")
  exe=$dir/build/src/cli/psi-ps
  [ -f "$dir/build/libpsi.a" ] || fail "$triple: libpsi.a was not produced"
  [ -f "$exe" ] || fail "$triple: psi-ps was not produced"
  got=$(macho_cpu "$exe")
  [ "$got" = "$want" ] || fail "$triple: psi-ps is not a 64-bit Mach-O for $proc (header bytes $got, want $want)"
  # MH_EXECUTE (filetype 2) at offset 12.
  ftype=$(od -An -tx1 -j12 -N4 "$exe" | tr -d ' \n')
  [ "$ftype" = 02000000 ] || fail "$triple: psi-ps Mach-O filetype is $ftype, not MH_EXECUTE"
  if command -v file >/dev/null; then echo "   $triple: $(file -b "$exe" | cut -c1-40)"; fi
done
echo "check_macos: OK (x86_64-macos, aarch64-macos)"
