#!/usr/bin/env bash
# A short libFuzzer run of every parser target (SPEC section 9: parsers are
# fuzzed), part of the README's test command. Builds tests/fuzz with clang
# (ASan + UBSan + libFuzzer), runs each target for PSI_FUZZ_SECONDS (default
# 20) from the seed corpus, and fails on any crash, leak or UBSan report.
# Longer runs by hand: PSI_FUZZ_SECONDS=600 bash tests/fuzz/run_smoke.sh
# Usage (from anywhere): bash tests/fuzz/run_smoke.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/fuzz}
seconds=${PSI_FUZZ_SECONDS:-20}

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPSI_BUILD_FUZZERS=ON -DPSI_BUILD_TESTS=OFF -DPSI_BUILD_CLI=OFF -DPSI_BUILD_BENCH=OFF -DPSI_INSTALL=OFF >/dev/null
targets=(fuzz_linux_parsers fuzz_macos_parsers fuzz_solaris_parsers)
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

for t in "${targets[@]}"; do
  work=$build/corpus-$t
  mkdir -p "$work"
  # The seeds are read, new inputs go to the work corpus (the tree stays clean).
  echo "== $t: ${seconds}s"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=8192 -print_final_stats=0 \
      -artifact_prefix="$build/$t-" "$work" "$root/tests/fuzz/corpus" 2>"$build/$t.log" ||
    { tail -40 "$build/$t.log" >&2; echo "fuzz: $t failed (input saved under $build/$t-*)" >&2; exit 1; }
  grep -E "DONE" "$build/$t.log" | tail -1
done
