#!/usr/bin/env python3
"""psi benchmark: one command, all contenders, side by side against the
targets of docs/performance.md.

    python bench/run.py                 # >= 1,000 processes, 20 rounds
    python bench/run.py --big           # 1,000 then 10,000: adds scaling
    python bench/run.py --help

Builds the C++ probes (Release, in build-bench/ unless --build-dir), raises
the process count with idle children, times every contender in interleaved
rounds, prints medians, spreads, the target ratios with PASS/FAIL, and
removes exactly the children it created. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import report
from build import Binaries, Builder
from contenders import CommandContender, Contender, WorkerContender
from spawn import SpawnError, Spawner, count_processes

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PS_COMM = "pid,ppid,user,rss,vsz,stat,etime,comm"
PS_ARGS = "pid,ppid,user,rss,vsz,stat,etime,args"
MEMORY_KEYS = {"cpp", "cpp_args", "py", "py_args", "psutil", "psutil_args"}
BREAKDOWN = ("list", "stat", "statm", "status", "cmdline", "owner")


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--procs", default="1000",
                   help="process counts to reach, comma-separated, ascending (default 1000)")
    p.add_argument("--big", action="store_true", help="same as --procs 1000,10000 (prints scaling)")
    p.add_argument("--rounds", type=int, default=20, help="interleaved rounds per count (default 20)")
    p.add_argument("--only", default="", help="run only these contender keys (comma-separated; see --list)")
    p.add_argument("--skip", default="", help="skip these contender keys")
    p.add_argument("--list", action="store_true", help="list contender keys and exit")
    p.add_argument("--psi-ps", help="psi-ps to time (default: the one built in the build dir, else PATH)")
    p.add_argument("--ps", default="ps", help="procps ps to time (default: ps on PATH)")
    p.add_argument("--python", default=sys.executable, help="interpreter for the Python contenders")
    p.add_argument("--build-dir", type=Path, default=REPO / "build-bench", help="CMake build dir for the probes")
    p.add_argument("--no-build", action="store_true", help="use the probes already in --build-dir")
    p.add_argument("--jobs", type=int, default=2, help="parallel build jobs (default 2)")
    p.add_argument("--parallel", type=int, default=0, metavar="T",
                   help="also time the floor and the psi C++ snapshot read by T threads")
    p.add_argument("--breakdown", action="store_true", help="also time each /proc file alone (floor probe)")
    p.add_argument("--groups-ns", action="store_true",
                   help="also time the cgroup and ns groups alone (C++ table(stat|G) next to table(stat))")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds one pass may take (default 300)")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    p.add_argument("--verbose", action="store_true", help="echo build commands")
    p.add_argument("--resample", action="store_true",
                   help="instead: time psi::Sampler against a fresh stat table at each --procs count "
                        "(bench/resample.py; default counts 1000,10000)")
    # -- w-io: per-process cost of the io/fds/smaps/oom/limits groups --
    p.add_argument("--depth-io", action="store_true",
                   help="instead: per-process cost of the io, fds, smaps, oom and limits groups alone, "
                        "next to psutil's calls (bench/depth_io.py)")
    p.add_argument("--thread-listing", action="store_true",
                   help="instead: thread listings (psi-ps -L, thread_list()) against ps, psutil and the floor "
                        "(bench/threads.py; 1,000 and 10,000 threads)")
    args = p.parse_args(argv)
    if args.big:
        args.procs = "1000,10000"
    try:
        args.targets = sorted({int(x) for x in args.procs.split(",") if x.strip()})
    except ValueError:
        p.error(f"--procs: not a list of integers: {args.procs!r}")
    if not args.targets or args.targets[0] < 1:
        p.error("--procs needs positive counts")
    if args.rounds < 1:
        p.error("--rounds must be >= 1")
    return args


def clean_env() -> dict[str, str]:
    # Every contender reads the real /proc (the children are there) and
    # formats for the default width.
    env = dict(os.environ)
    for var in ("PSI_PROCFS", "COLUMNS", "PS_FORMAT", "PS_PERSONALITY"):
        env.pop(var, None)
    return env


def _missing_worker(key: str, label: str, group: str, reason: str) -> Contender:
    c = Contender(key, label, group)
    c.skipped = reason
    return c


def _ns_group_contenders(args: argparse.Namespace, bins: Binaries, env: dict[str, str]) -> list[Contender]:
    """w-ns: the per-process cost of the cgroup group (/proc/PID/cgroup) and
    the ns group (ten readlinks of /proc/PID/ns/*) alone: table(stat|G)
    minus table(stat). psutil has no equivalent call (no cgroup or
    namespace accessor), so there is no psutil line to set beside them."""
    g = "depth groups alone (C++; subtract table(stat)); psutil: no equivalent"
    if bins.snapshot is None:
        why = bins.why_not.get("snapshot", "not built")
        return [_missing_worker(k, k, g, why) for k in ("cpp_stat", "cpp_cgroup", "cpp_ns")]
    return [WorkerContender(key, f"System().table({groups})", [bins.snapshot, "--serve", "--groups", groups], g,
                            args.timeout, env)
            for key, groups in (("cpp_stat", "stat"), ("cpp_cgroup", "stat|cgroup"), ("cpp_ns", "stat|ns"))]


def status_contenders(args: argparse.Namespace, env: dict[str, str]) -> list[Contender]:
    """w-status: the per-process cost of the status group alone (stat +
    /proc/PID/status) next to psutil's calls that read the same file."""
    g = "process depth: the status group alone (Python)"
    py_worker = [args.python, str(HERE / "py_worker.py")]
    return [WorkerContender(key, label, [*py_worker, key], g, args.timeout, env)
            for key, label in (("psi_status", "psi ProcessTable(attrs=status attributes)"),
                               ("psutil_status", "psutil process_iter num_ctx_switches, uids, gids"))]


def make_contenders(args: argparse.Namespace, bins: Binaries) -> list[Contender]:
    env = clean_env()
    out: list[Contender] = []

    def worker(key: str, label: str, group: str, binary: Optional[str], why: str, extra: list[str]) -> None:
        if binary is None:
            out.append(_missing_worker(key, label, group, why))
        else:
            out.append(WorkerContender(key, label, [binary, "--serve", *extra], group, args.timeout, env))

    g = "floor: raw syscalls, no psi (C++)"
    why_floor = bins.why_not.get("floor", "not built")
    worker("floor", "getdents + stat + statm + fstatat", g, bins.floor, why_floor, ["--files", "row"])
    worker("floor_args", "... + cmdline", g, bins.floor, why_floor, ["--files", "row_args"])
    g = "psi C++ snapshot (in-process)"
    why_snap = bins.why_not.get("snapshot", "not built")
    worker("cpp", "System().table(groups::ps)", g, bins.snapshot, why_snap, ["--groups", "ps"])
    worker("cpp_args", "System().table(groups::ps_args)", g, bins.snapshot, why_snap, ["--groups", "ps_args"])
    worker("cpp_reuse", "table(groups::ps), System kept", g, bins.snapshot, why_snap, ["--groups", "ps", "--reuse"])
    g = "Python (in-process, every ps attribute read)"
    py_worker = [args.python, str(HERE / "py_worker.py")]
    for key, kind, label in (("py", "psi", "psi ProcessTable(), ps attributes"),
                             ("py_args", "psi_args", "psi ProcessTable(), + args"),
                             ("py_select", "psi_select", "psi ProcessTable(attrs=ps attributes)"),
                             ("psutil", "psutil", "psutil process_iter, 8 attrs"),
                             ("psutil_args", "psutil_args", "psutil process_iter, + cmdline")):
        out.append(WorkerContender(key, label, [*py_worker, kind], g, args.timeout, env,
                                   memory_env={"PYTHONMALLOC": "malloc"}))
    out.extend(status_contenders(args, env))
    g = "whole commands (fork, exec, output drained from a pipe)"
    ps = shutil.which(args.ps)
    psi_ps = args.psi_ps or bins.psi_ps or shutil.which("psi-ps")
    for key, prog, path, fields in (("ps", "ps", ps, PS_COMM), ("psi_ps", "psi-ps", psi_ps, PS_COMM),
                                    ("ps_args", "ps", ps, PS_ARGS), ("psi_ps_args", "psi-ps", psi_ps, PS_ARGS)):
        label = f"{prog} -e -o ...,{fields.rsplit(',', 1)[1]}"
        if path is None:
            why = "not found on PATH" if prog == "ps" else bins.why_not.get("psi_ps", "not built, not on PATH")
            out.append(_missing_worker(key, label, g, why))
        else:
            out.append(CommandContender(key, label, [path, "-e", "-o", fields], g, args.timeout, env))
    if psi_ps is not None:
        # psi-ps reads big tables with two threads per CPU by default; this
        # line shows the single-threaded cost, the same CPU work ps does.
        out.append(CommandContender("psi_ps_1t", "psi-ps --threads 1 -e -o ...,comm", [psi_ps, "--threads", "1", "-e", "-o", PS_COMM],
                                    g, args.timeout, env))
    if args.parallel > 1:
        g = f"parallel read, {args.parallel} threads"
        t = ["--threads", str(args.parallel)]
        worker("floor_par", "floor: stat + statm + fstatat", g, bins.floor, why_floor, ["--files", "row", *t])
        worker("cpp_par", "psi: table() with Options::threads", g, bins.snapshot, why_snap, ["--groups", "ps", *t])
    if args.groups_ns:
        out.extend(_ns_group_contenders(args, bins, env))
    if args.breakdown:
        g = "floor breakdown: getdents + one file each"
        for f in BREAKDOWN:
            label = "getdents only" if f == "list" else ("fstatat /proc/PID" if f == "owner" else f"/proc/PID/{f}")
            worker(f"floor_{f}", label, g, bins.floor, why_floor, ["--files", f])
        # A one-row listing: exec, loading and start-up reads, plus whatever
        # the command reads to find one pid (procps reads every process and
        # filters afterwards). us/proc = the whole time.
        g = "one selected row (-p 1), whole command"
        for key, prog, path in (("ps_one", "ps", ps), ("psi_ps_one", "psi-ps", psi_ps)):
            if path is None:
                out.append(_missing_worker(key, f"{prog} -p 1 -o pid", g, "not found"))
            else:
                out.append(CommandContender(key, f"{prog} -p 1 -o pid", [path, "-p", "1", "-o", "pid"], g,
                                            args.timeout, env))
    return out


def select(contenders: list[Contender], args: argparse.Namespace) -> list[Contender]:
    only = {k for k in args.only.split(",") if k}
    skip = {k for k in args.skip.split(",") if k}
    known = {c.key for c in contenders}
    for k in (only | skip) - known:
        print(f"warning: unknown contender key {k!r} (known: {', '.join(sorted(known))})", file=sys.stderr)
    return [c for c in contenders if (not only or c.key in only) and c.key not in skip]


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
        return (done.stdout.strip() or done.stderr.strip()).splitlines()[0] if done.returncode == 0 else "n/a"
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "n/a"


def machine_info(args: argparse.Namespace) -> dict[str, Any]:
    mem_total = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) * 1024
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "kernel": platform.release(),
        "machine": platform.machine(),
        "nproc": os.cpu_count(),
        "mem_total_gib": round(mem_total / 2**30, 1),
        "loadavg_start": os.getloadavg(),
        "processes_start": count_processes(),
        "python": _version([args.python, "-c", "import sys; print(sys.version.split()[0])"]),
        "psutil": _version([args.python, "-c", "import psutil; print(psutil.__version__)"]),
        "psi": _version([args.python, "-c", "import psi; print(getattr(psi, '__version__', '?'))"]),
        "ps": _version([args.ps, "--version"]),
    }


def _on_signal(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def measure(contenders: list[Contender], spawner: Optional[Spawner], args: argparse.Namespace,
            results: dict[str, Any]) -> None:
    done: list[int] = []
    for target in args.targets:
        try:
            actual = spawner.ensure(target) if spawner else count_processes()
        except SpawnError as e:
            print(f"\ncannot reach {target} processes: {e}", file=sys.stderr)
            break
        if actual < target and spawner is None:
            print(f"\nwarning: only {actual} processes (no spawner); measuring once at that count",
                  file=sys.stderr)
            if done:
                break
        active = [c for c in contenders if c.active]
        for c in active:
            c.record(target, warmup=True)
        for r in range(args.rounds):
            if spawner and r:
                # Other users' processes come and go; top up to the target.
                try:
                    actual = spawner.ensure(target)
                except SpawnError:
                    pass  # keep measuring with what there is
            print(f"\r  {actual} processes: round {r + 1}/{args.rounds}", end="", file=sys.stderr, flush=True)
            order = active[r % len(active):] + active[:r % len(active)] if active else []
            for c in order:
                c.record(target)
        print(file=sys.stderr)
        for c in contenders:
            if c.key in MEMORY_KEYS and c.active:
                m = c.measure_memory()
                if m:
                    c.memory[target] = m
        report.print_timings(contenders, target, actual, args.rounds)
        entry: dict[str, Any] = {"processes": actual, "contenders": {}}
        for c in contenders:
            s = report.summarize(c.samples.get(target, []))
            entry["contenders"][c.key] = {"label": c.label, "status": c.status, **(s.as_dict() if s else {})}
        entry["ratios"] = report.ratios(contenders, target)
        entry["memory"] = report.memory(contenders, target)
        results["targets"][str(target)] = entry
        done.append(target)
    if len(done) > 1:
        results["scaling"] = report.scaling(contenders, done[0], done[-1])


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    if args.resample:
        import resample

        procs = "1000,10000" if args.procs == "1000" or args.big else args.procs
        forward = ["--procs", procs, "--rounds", str(args.rounds), "--build-dir", str(args.build_dir),
                   "--jobs", str(args.jobs)] + (["--no-build"] if args.no_build else [])
        return resample.main(forward + (["--verbose"] if args.verbose else []))
    if args.thread_listing:
        import threads

        forward = ["--rounds", str(min(args.rounds, 11)), "--build-dir", str(args.build_dir), "--ps", args.ps]
        forward += (["--psi-ps", args.psi_ps] if args.psi_ps else []) + (["--no-build"] if args.no_build else [])
        return threads.main(forward + (["--verbose"] if args.verbose else []))
    if args.depth_io:  # -- w-io --
        import depth_io

        return depth_io.main(["--rounds", str(min(args.rounds, 5))])
    if args.list:
        for c in make_contenders(args, Binaries(why_not={"floor": "-", "snapshot": "-", "psi_ps": "-"})):
            print(f"{c.key:14} {c.group}: {c.label}")
        return 0
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    info = machine_info(args)
    print("psi benchmark  " + "  ".join(f"{k}={v}" for k, v in info.items() if k != "loadavg_start"))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in info['loadavg_start'])}")
    builder = Builder(REPO, args.build_dir, args.jobs, args.verbose)
    if args.no_build:
        out = args.build_dir / "bench"
        def built(name: str) -> Optional[str]:
            # bench-direct/: the fallback compile used when CMake failed.
            for d in (out, args.build_dir / "bench-direct"):
                if (d / name).exists():
                    return str(d / name)
            return None

        bins = Binaries(spawner=built("psi_bench_spawner"), floor=built("psi_bench_floor"),
                        snapshot=built("psi_bench_snapshot"))
        for key in ("spawner", "floor", "snapshot"):
            if getattr(bins, key) is None:
                bins.why_not[key] = f"not in {out} (--no-build)"
        found = sorted(args.build_dir.rglob("psi-ps")) if args.build_dir.exists() else []
        bins.psi_ps = str(found[0]) if found else None
    else:
        print(f"building probes in {args.build_dir} (log: {builder.log_path}) ...", flush=True)
        bins = builder.build_all(want_snapshot=True, want_psi_ps=args.psi_ps is None)
        if bins.why_not:
            print("build problems:\n  " + builder.failure_summary().replace("\n", "\n  "))
    contenders = select(make_contenders(args, bins), args)
    for c in contenders:
        if c.key == "psi_ps":
            print("psi-ps: " + (c.argv[0] if isinstance(c, CommandContender) else c.status or "?"))
    results: dict[str, Any] = {"machine": info, "rounds": args.rounds, "targets": {}}
    spawner = Spawner(bins.spawner) if bins.spawner else None
    if spawner is None:
        print("warning: no spawner (" + bins.why_not.get("spawner", "not built") + "); using the processes there are",
              file=sys.stderr)
    interrupted = False
    try:
        for c in contenders:
            c.start()
        measure(contenders, spawner, args, results)
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted; cleaning up", file=sys.stderr)
    finally:
        for c in contenders:
            c.stop()
        if spawner is not None:
            reaped = spawner.close()
            print(f"\nremoved {reaped} idle children; {count_processes()} processes now")
    results["machine"]["loadavg_end"] = os.getloadavg()
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in results['machine']['loadavg_end'])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"results written to {args.json}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
