#!/usr/bin/env python3
"""Per-process cost of each process-depth group (issue 12: status, io, fds,
smaps, oom, limits, cgroup, ns, and the label group), each read alone, next
to psutil's equivalent call where psutil has one.

    python bench/depth_io.py [--rounds N]      (or: python bench/run.py --depth-io)

psi: ProcessTable(attrs=[attr]) over every process (stat, the identity,
is always read too), per process. psutil: the call on each psutil.Process
of process_iter() (its own listing and identity work included, which is
how it is used), per process. The first row is each side's floor: psi's
stat-only table, psutil's bare process_iter(). Medians
of N interleaved rounds, in microseconds per process. Processes that refuse
the read (no privileges) or vanish count like the others: both sides pay
the attempt.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Callable, Dict, List, Tuple

# attribute (psi), the group it reads, psutil's call
GROUPS: List[Tuple[str, str, str]] = [
    ("io_counters", "io", "io_counters"),
    ("num_fds", "fds", "num_fds"),
    ("uss", "smaps", "memory_full_info"),
    ("oom_score", "oom", ""),  # psutil has no OOM score
    ("rlimits", "limits", "rlimit"),
    ("voluntary_ctxt_switches", "status", "num_ctx_switches"),
    ("cgroup", "cgroup", ""),  # psutil reads no cgroup
    ("namespaces", "ns", ""),  # nor namespaces
    ("label", "label", ""),  # nor the security label
]


def _psi_pass(attr: str) -> Tuple[float, int]:
    from psi.process import ProcessTable

    t0 = time.perf_counter()
    table = ProcessTable(attrs=[attr] if attr else ["name"])
    for p in table.values():
        try:
            getattr(p, attr or "name")
        except Exception:  # noqa: BLE001 - refused or gone: the attempt is the cost
            pass
    return time.perf_counter() - t0, len(table)


def _psutil_pass(call: str) -> Tuple[float, int]:
    import psutil

    t0 = time.perf_counter()
    n = 0
    for p in psutil.process_iter():
        n += 1
        try:
            if call == "rlimit":
                p.rlimit(psutil.RLIMIT_NOFILE)
            elif call:
                getattr(p, call)()
        except (psutil.Error, OSError):
            pass
    return time.perf_counter() - t0, n


def measure(rounds: int) -> Dict[str, Tuple[float, float]]:
    samples: Dict[str, List[float]] = {}
    for _ in range(rounds):
        base, n = _psi_pass("")
        samples.setdefault("base", []).append(base / n)
        pbase, pn = _psutil_pass("")
        samples.setdefault("psutil_base", []).append(pbase / pn)
        for attr, _group, call in GROUPS:
            t, n = _psi_pass(attr)
            samples.setdefault("psi_" + attr, []).append(t / n)
            if call:
                t, n = _psutil_pass(call)
                samples.setdefault("psutil_" + attr, []).append(t / n)
    med = {k: statistics.median(v) * 1e6 for k, v in samples.items()}
    out: Dict[str, Tuple[float, float]] = {"": (med["base"], med["psutil_base"])}
    for attr, _group, call in GROUPS:
        out[attr] = (med["psi_" + attr], med["psutil_" + attr] if call else float("nan"))
    return out


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    res = measure(args.rounds)
    print(f"{'group':8} {'psi attr':24} {'psi us/proc':>12} {'psutil call':18} {'psutil us/proc':>15}")
    a, b = res[""]
    print(f"{'(floor)':8} {'(stat only)':24} {a:12.2f} {'process_iter()':18} {b:15.2f}")
    for attr, group, call in GROUPS:
        a, b = res[attr]
        pcall = (call + "()") if call else "-"
        pb = f"{b:15.2f}" if call else f"{'-':>15}"
        print(f"{group:8} {attr:24} {a:12.2f} {pcall:18} {pb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
