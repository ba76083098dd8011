#!/usr/bin/env python3
"""Watch one process: its CPU use, memory and threads, once per interval,
until it exits.

    python examples/watch_process.py PID
    python examples/watch_process.py --interval 0.5 --count 10 PID

%CPU is over the last interval (top's figure), not over the process's
lifetime (ps's %CPU, Process.pcpu).
"""

import argparse
import sys
import time

import psi


def printable(text: str) -> str:
    """Control characters (a newline inside an argument) shown as '?', as ps does."""
    return "".join(c if c.isprintable() else "?" for c in text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds (default 1)")
    parser.add_argument("--count", type=int, default=0, help="stop after this many lines (default: never)")
    args = parser.parse_args()

    try:
        p = psi.process.Process(args.pid)
    except psi.NoSuchProcessError:
        print(f"no process {args.pid}", file=sys.stderr)
        return 1
    print(f"watching {p.pid} {printable(p.command)[:60]}")
    print(f"{'TIME':>8} {'%CPU':>6} {'RSS_KIB':>10} {'THREADS':>7} STATUS")

    lines = 0
    before_cpu, before = p.cputime, time.monotonic()
    while args.count == 0 or lines < args.count:
        time.sleep(args.interval)
        try:
            p.refresh()  # re-reads; raises once the pid is gone or reused
        except psi.NoSuchProcessError:
            print(f"process {args.pid} exited")
            return 0
        if p.status == psi.process.PROC_STATUS_ZOMBIE:
            print(f"process {args.pid} exited")  # its parent has not reaped it yet
            return 0
        now, cpu = time.monotonic(), p.cputime
        pcpu = 100.0 * float(cpu - before_cpu) / (now - before)
        before_cpu, before = cpu, now
        status = psi.process.status_name(p.status)
        print(f"{time.strftime('%H:%M:%S')} {pcpu:6.1f} {p.rss // 1024:>10} {p.nthreads:>7} {status}")
        lines += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
