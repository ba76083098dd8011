"""Statistics and the printed report of bench/run.py.

Every figure is a median over rounds (robust to the odd round that a busy
machine slows down); the spread is shown as the interquartile range and the
min/max. Ratios are ratios of medians of microseconds per process, each
contender divided by the number of processes it saw in that round.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Optional

from contenders import Contender, Sample


@dataclass
class Summary:
    median: float
    q1: float
    q3: float
    low: float
    high: float
    ms_per_pass: float
    count: int
    rounds: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def summarize(samples: list[Sample]) -> Optional[Summary]:
    if not samples:
        return None
    us = sorted(s.us_per_proc for s in samples)
    if len(us) >= 2:
        q1, _, q3 = statistics.quantiles(us, n=4, method="inclusive")
    else:
        q1 = q3 = us[0]
    return Summary(median=statistics.median(us), q1=q1, q3=q3, low=us[0], high=us[-1],
                   ms_per_pass=statistics.median(s.ns for s in samples) / 1e6,
                   count=int(statistics.median(s.count for s in samples)), rounds=len(us))


@dataclass
class Target:
    label: str
    numerator: str
    denominator: str
    bound: Optional[float]  # None: shown for information only
    at_least: bool  # True: ratio >= bound passes; False: ratio <= bound passes


# The targets psi is held to (docs/performance.md, "The ratios").
TARGETS = [
    Target("psutil / psi ProcessTable, ps fields", "psutil", "py", 8.0, True),
    Target("psutil / psi ProcessTable, with args", "psutil_args", "py_args", None, True),
    Target("psutil / psi ProcessTable(attrs=...)", "psutil", "py_select", None, True),
    Target("procps ps / psi-ps, comm", "ps", "psi_ps", 3.0, True),
    Target("procps ps / psi-ps, args", "ps_args", "psi_ps_args", None, True),
    Target("procps ps / psi-ps --threads 1, comm", "ps", "psi_ps_1t", None, True),
    Target("psi C++ table(ps) / floor", "cpp", "floor", 1.3, False),
    Target("psi C++ table(ps_args) / floor+cmdline", "cpp_args", "floor_args", 1.3, False),
]
SCALING_BOUND = 1.5
# The contenders that are psi's own; scaling and memory targets apply to them.
PSI_KEYS = {"cpp", "cpp_args", "cpp_reuse", "py", "py_args", "py_select", "psi_ps", "psi_ps_args", "psi_ps_1t"}
MEMORY_BOUND = 1024  # bytes per process, not counting strings


def verdict(value: float, bound: Optional[float], at_least: bool) -> str:
    if bound is None:
        return "info"
    ok = value >= bound if at_least else value <= bound
    return "PASS" if ok else "FAIL"


def _fmt(x: float) -> str:
    return f"{x:8.2f}" if x < 1000 else f"{x:8.0f}"


def print_timings(contenders: list[Contender], target: int, actual: int, rounds: int) -> None:
    print(f"\n== {actual} processes in /proc (asked for >= {target}); {rounds} interleaved rounds ==")
    print(f"{'contender':44} {'us/proc':>8} {'IQR':>17} {'min':>8} {'max':>8} {'ms/pass':>8} {'procs':>6}")
    section = None
    for c in contenders:
        if c.group != section:
            section = c.group
            print(f"-- {section}")
        s = summarize(c.samples.get(target, []))
        if s is None:
            print(f"  {c.label:42} {c.status or 'no samples'}")
            continue
        note = f"  [{c.status}]" if c.status else ""
        print(f"  {c.label:42} {_fmt(s.median)} {_fmt(s.q1)} -{_fmt(s.q3)} {_fmt(s.low)} {_fmt(s.high)} "
              f"{s.ms_per_pass:8.2f} {s.count:6d}{note}")


def _median_of(by_key: dict[str, Contender], key: str, target: int) -> Optional[float]:
    c = by_key.get(key)
    s = summarize(c.samples.get(target, [])) if c else None
    return s.median if s else None


def _missing(by_key: dict[str, Contender], *keys: str) -> str:
    for k in keys:
        c = by_key.get(k)
        if c is None:
            return f"{k} not run"
        if c.status:
            return f"{c.label}: {c.skipped or c.failed}"
    return "no samples"


def ratios(contenders: list[Contender], target: int) -> list[dict[str, Any]]:
    by_key = {c.key: c for c in contenders}
    out: list[dict[str, Any]] = []
    for t in TARGETS:
        if t.numerator not in by_key or t.denominator not in by_key:
            continue  # left out with --only/--skip
        if not out:
            print(f"\n-- ratios at {target} (medians of us/process)")
        num, den = _median_of(by_key, t.numerator, target), _median_of(by_key, t.denominator, target)
        want = "" if t.bound is None else (">=" if t.at_least else "<=") + f" {t.bound:g}x"
        if num is None or den is None:
            print(f"  {t.label:44}        -  {want:>9}  skipped ({_missing(by_key, t.numerator, t.denominator)})")
            out.append({"label": t.label, "ratio": None, "bound": t.bound, "verdict": "skipped"})
            continue
        r = num / den
        v = verdict(r, t.bound, t.at_least)
        print(f"  {t.label:44} {r:7.2f}x  {want:>9}  {v}")
        out.append({"label": t.label, "ratio": r, "bound": t.bound, "at_least": t.at_least, "verdict": v})
    return out


def scaling(contenders: list[Contender], small: int, large: int) -> list[dict[str, Any]]:
    """Growth of the per-process cost; the floor's own growth is the kernel's
    share (bigger dentry/inode caches, more cache misses), so each line also
    shows its growth divided by the floor's."""
    print(f"\n-- scaling: us/process at {large} / at {small} (target <= {SCALING_BOUND:g} for psi)")
    floor = next((c for c in contenders if c.key == "floor"), None)
    fa = summarize(floor.samples.get(small, [])) if floor else None
    fb = summarize(floor.samples.get(large, [])) if floor else None
    floor_growth = fb.median / fa.median if fa and fb else None
    out = []
    for c in contenders:
        a, b = summarize(c.samples.get(small, [])), summarize(c.samples.get(large, []))
        if a is None or b is None:
            continue  # skipped or failed: the timing tables above say why
        r = b.median / a.median
        v = verdict(r, SCALING_BOUND if c.key in PSI_KEYS else None, False)
        rel = f"  {r / floor_growth:5.2f}x of the floor's" if floor_growth and c is not floor else ""
        print(f"  {c.label:44} {r:7.2f}x  ({a.median:7.2f} -> {b.median:7.2f} us)  {v:4}{rel}")
        out.append({"key": c.key, "ratio": r, "small": a.median, "large": b.median, "verdict": v,
                    "relative_to_floor": r / floor_growth if floor_growth else None})
    return out


def memory(contenders: list[Contender], target: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for c in contenders:
        m = c.memory.get(target)
        if not m:
            continue
        if not out:
            print(f"\n-- memory at {target} (bytes per process of a held snapshot)")
        if "footprint" in m:  # the C++ probe
            fixed = m["footprint"] - m["strings"]
            v = verdict(fixed, MEMORY_BOUND, False)
            heap = f"{m['heap']:.0f}" if m["heap"] >= 0 else "n/a"
            print(f"  {c.label:44} sizeof(ProcessInfo) {m['sizeof']:.0f}, memory_footprint() {m['footprint']:.0f}"
                  f" of which strings {m['strings']:.0f}; malloc held {heap}")
            print(f"  {'':44} without strings {fixed:.0f} (target <= {MEMORY_BOUND})  {v}")
            out.append({"key": c.key, **m, "verdict": v})
        else:  # a Python worker
            heap = f"{m['heap']:.0f}" if m.get("heap", -1) >= 0 else "n/a"
            print(f"  {c.label:44} malloc held {heap} (all, PYTHONMALLOC=malloc);"
                  f" tracemalloc {m.get('traced', 0):.0f} (Python objects only)")
            out.append({"key": c.key, **m})
    return out
