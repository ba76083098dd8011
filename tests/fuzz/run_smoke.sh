#!/usr/bin/env bash
# A libFuzzer run of every parser target (SPEC section 9: parsers are
# fuzzed). Builds tests/fuzz with clang (ASan + UBSan + libFuzzer) and fails
# on any crash, leak or UBSan report.
#
# Two modes, because a gate must give the same answer twice:
# - default (the README's test command): a reproducible run - fixed seed
#   (PSI_FUZZ_SEED, default 1), fixed number of inputs per target
#   (PSI_FUZZ_RUNS, default 1,000,000), fresh work corpus from the seeds in
#   tests/fuzz/corpus. A red run here is red on every machine of the kind.
# - exploration, by hand: PSI_FUZZ_SECONDS=600 bash tests/fuzz/run_smoke.sh
#   runs each target that long with a random seed and keeps its work corpus
#   in the build directory between runs. Inputs it finds that crashed are
#   added to tests/fuzz/corpus (after the fix) so the default run replays them.
# Usage (from anywhere): bash tests/fuzz/run_smoke.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/fuzz}
seconds=${PSI_FUZZ_SECONDS:-}

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPSI_BUILD_FUZZERS=ON -DPSI_BUILD_TESTS=OFF -DPSI_BUILD_CLI=OFF -DPSI_BUILD_BENCH=OFF -DPSI_INSTALL=OFF >/dev/null
targets=(fuzz_linux_parsers fuzz_macos_parsers fuzz_solaris_parsers)
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

if [[ -n $seconds ]]; then
  budget=(-max_total_time="$seconds")
  mode="${seconds}s, random seed"
else
  budget=(-seed="${PSI_FUZZ_SEED:-1}" -runs="${PSI_FUZZ_RUNS:-1000000}")
  mode="seed ${PSI_FUZZ_SEED:-1}, ${PSI_FUZZ_RUNS:-1000000} inputs"
fi

for t in "${targets[@]}"; do
  work=$build/corpus-$t
  # The reproducible run starts from the committed seeds alone.
  [[ -n $seconds ]] || rm -rf "$work"
  mkdir -p "$work"
  # The seeds are read, new inputs go to the work corpus (the tree stays clean).
  echo "== $t: $mode"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "$build/tests/fuzz/$t" "${budget[@]}" -max_len=8192 -print_final_stats=0 \
      -artifact_prefix="$build/$t-" "$work" "$root/tests/fuzz/corpus" 2>"$build/$t.log" ||
    { tail -40 "$build/$t.log" >&2; echo "fuzz: $t failed (input saved under $build/$t-*)" >&2; exit 1; }
  grep -E "DONE" "$build/$t.log" | tail -1
done
