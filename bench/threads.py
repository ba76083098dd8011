#!/usr/bin/env python3
"""Thread listings: psi against procps ps, psutil and the raw-syscall floor.

    python bench/threads.py                      # 1,000 and 10,000 threads
    python bench/threads.py --threads 2000 --rounds 9

Starts one holder process with N idle threads, then times, in interleaved
rounds, the listing of that process's threads by:
  - psi-ps -L -p PID -o pid,lwp,stat,time,comm  and  ps with the same words
    (whole commands, exec and output included: what an administrator waits
    for);
  - psi's Process(PID).thread_list() (the stat group: name, state, times,
    CPU, nice, policy) and psutil's Process(PID).threads() (ids and times
    only), both in this interpreter;
  - the floors: psi_bench_floor with /proc/PID/task as its proc root,
    reading with raw system calls and parsing nothing each task's stat (what
    thread_list() and psutil read) and its stat and status (what both ps
    and psi-ps read for that format: STAT's L, locked pages, is in status).
Prints medians in microseconds per thread and the ratios. Builds the floor
probe (Release, in build-bench/ unless --build-dir). No target is judged
here: issue 14 asks only that the process listing not get slower, which
bench/run.py measures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

from build import Builder

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# The holder: N threads blocked on one Event with 64 KiB stacks (Python's
# default would reserve 8 MiB of address space each); "ready" once all run,
# and it ends when its stdin closes.
HOLDER = r"""
import sys, threading
threading.stack_size(64 * 1024)
stop = threading.Event()
ts = [threading.Thread(target=stop.wait, daemon=True) for _ in range(int(sys.argv[1]))]
for t in ts:
    t.start()
print("ready", flush=True)
sys.stdin.read()
stop.set()
"""


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1000,10000", help="thread counts, comma-separated (default 1000,10000)")
    p.add_argument("--rounds", type=int, default=11, help="interleaved rounds per count (default 11)")
    p.add_argument("--psi-ps", help="psi-ps to time (default: the build dir's, else PATH)")
    p.add_argument("--ps", default="ps", help="procps ps to time (default: ps on PATH)")
    p.add_argument("--build-dir", type=Path, default=REPO / "build-bench", help="CMake build dir for the probes")
    p.add_argument("--no-build", action="store_true", help="use the probes already in --build-dir")
    p.add_argument("--jobs", type=int, default=2, help="parallel build jobs (default 2)")
    p.add_argument("--verbose", action="store_true", help="echo build commands")
    return p.parse_args(argv)


def find_psi_ps(args: argparse.Namespace) -> Optional[str]:
    if args.psi_ps:
        return args.psi_ps
    built = args.build_dir / "src" / "cli" / "psi-ps"
    return str(built) if built.exists() else shutil.which("psi-ps")


class Holder:
    def __init__(self, n: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(n)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError(f"the holder could not start {n} threads (threads-max, RLIMIT_NPROC?)")
        self.pid = self.proc.pid

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Floor:
    """psi_bench_floor in serve mode, rooted at /proc/PID/task."""

    def __init__(self, probe: Path, pid: int, files: str) -> None:
        self.proc = subprocess.Popen([str(probe), "--serve", "--proc", f"/proc/{pid}/task", "--files", files],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the floor probe did not start")

    def run(self) -> float:
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        f = dict(kv.split("=", 1) for kv in self.proc.stdout.readline().split())
        return int(f["ns"]) / 1e9

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(n: int, args: argparse.Namespace, probe: Path, psi_ps: Optional[str]) -> Dict[str, float]:
    import psutil
    import psi.process

    holder = Holder(n)
    floors = [Floor(probe, holder.pid, "stat"), Floor(probe, holder.pid, "stat,status")]
    try:
        words = ["-L", "-p", str(holder.pid), "-o", "pid,lwp,stat,time,comm"]
        devnull = subprocess.DEVNULL
        contenders: Dict[str, Callable[[], object]] = {
            "floor": floors[0].run,
            "floor_status": floors[1].run,
            "ps": lambda: subprocess.run([args.ps, *words], stdout=devnull, check=True),
            "psi thread_list": lambda: psi.process.Process(holder.pid).thread_list(),
            "psutil threads": lambda: psutil.Process(holder.pid).threads(),
        }
        if psi_ps:
            contenders["psi-ps"] = lambda: subprocess.run([psi_ps, *words], stdout=devnull, check=True)
        samples: Dict[str, List[float]] = {k: [] for k in contenders}
        count = len(os.listdir(f"/proc/{holder.pid}/task"))
        for _ in range(args.rounds):
            for key, fn in contenders.items():
                seconds = fn() if key.startswith("floor") else timed(fn)
                assert isinstance(seconds, float)
                samples[key].append(seconds / count * 1e6)
        return {k: statistics.median(v) for k, v in samples.items()} | {"count": float(count)}
    finally:
        for floor in floors:
            floor.close()
        holder.close()


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    out = args.build_dir / "bench"
    if not args.no_build:
        builder = Builder(REPO, args.build_dir, args.jobs, args.verbose)
        print(f"building psi_bench_floor and psi-ps in {args.build_dir} (log: {builder.log_path}) ...", flush=True)
        if not (builder.configure() and builder.build_targets("psi_bench_floor", "psi-ps")):
            print("build failed:\n  " + builder.failure_summary().replace("\n", "\n  "), file=sys.stderr)
            return 1
    psi_ps = find_psi_ps(args)
    if not psi_ps:
        print("no psi-ps found: its column is left out", file=sys.stderr)
    for n in (int(x) for x in args.threads.split(",") if x.strip()):
        m = measure(n, args, out / "psi_bench_floor", psi_ps)
        print(f"{int(m['count']):>6} threads, {args.rounds} rounds, median us per thread:", flush=True)
        print(f"{'':>6}   floor (raw syscalls): task stat {m['floor']:7.2f}, stat + status {m['floor_status']:7.2f}")
        if "psi-ps" in m:
            print(f"{'':>6}   psi-ps -L {m['psi-ps']:7.2f}   ps -L {m['ps']:7.2f}   "
                  f"ps/psi-ps {m['ps'] / m['psi-ps']:.2f}x   psi-ps/floor {m['psi-ps'] / m['floor_status']:.2f}")
        print(f"{'':>6}   thread_list() {m['psi thread_list']:7.2f}   psutil threads() {m['psutil threads']:7.2f}   "
              f"psutil/psi {m['psutil threads'] / m['psi thread_list']:.2f}x   "
              f"psi/floor {m['psi thread_list'] / m['floor']:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
