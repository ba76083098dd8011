#!/usr/bin/env bash
# A libFuzzer run of every parser target and of the whole Linux read path
# over a fuzzed fixture tree (SPEC section 9: parsers are fuzzed). Builds
# tests/fuzz with clang (ASan + UBSan + libFuzzer) and fails on any crash,
# leak or UBSan report.
#
# Two modes, because a gate must give the same answer twice:
# - default (the README's test command): a reproducible run - fixed seed
#   (PSI_FUZZ_SEED, default 1), fixed number of inputs per target
#   (PSI_FUZZ_RUNS overrides the per-target counts in `plan` below), fresh
#   work corpus from the seeds in tests/fuzz/corpus. A red run here is red
#   on every machine of the kind.
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
  -DPSI_BUILD_FUZZERS=ON -DPSI_BUILD_TESTS=OFF -DPSI_BUILD_CLI=OFF -DPSI_BUILD_BENCH=OFF -DPSI_INSTALL=OFF \
  -DPSI_BUILD_PYTHON=OFF >/dev/null
# name:inputs for the reproducible run. The tree target writes a fixture
# proc tree per input (about 4,000 inputs/s on tmpfs against 50,000 for a
# parser alone), so it gets fewer.
plan=(fuzz_linux_parsers:1000000 fuzz_linux_sys:1000000 fuzz_linux_depth:500000 fuzz_linux_ns:500000 fuzz_macos_parsers:1000000 fuzz_solaris_parsers:1000000 fuzz_posix_parsers:500000 fuzz_linux_tree:60000)
targets=("${plan[@]%%:*}")
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
# The tree target's fixtures: tmpfs when there is one (four times faster).
if [[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]]; then export TMPDIR=/dev/shm; fi

for entry in "${plan[@]}"; do
  t=${entry%%:*}
  if [[ -n $seconds ]]; then
    budget=(-max_total_time="$seconds")
    mode="${seconds}s, random seed"
  else
    runs=${PSI_FUZZ_RUNS:-${entry#*:}}
    budget=(-seed="${PSI_FUZZ_SEED:-1}" -runs="$runs")
    mode="seed ${PSI_FUZZ_SEED:-1}, $runs inputs"
  fi
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
