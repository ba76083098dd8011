"""System-wide figures: CPU times, memory, swap, pressure, cgroup limits.

Re-exported at the top level (``psi.cpu_times()``, ``psi.memory()`` ...);
see docs/python-api.md. The values are read by the compiled core; this
module only names them. ``cpu_percent`` is pure arithmetic on two samples
the caller took: there is no hidden previous sample and no first-call 0.0.
"""

from __future__ import annotations

from typing import List, Literal, NamedTuple, Optional, Tuple, Union, overload

from psi import _core

__all__ = [
    "CgroupLimits",
    "CpuPercent",
    "CpuTimes",
    "Memory",
    "Pressure",
    "PressureLine",
    "PressureResource",
    "Swap",
    "cgroup_limits",
    "cpu_percent",
    "cpu_times",
    "effective_cpu_count",
    "memory",
    "pressure",
    "swap",
]


class CpuTimes(NamedTuple):
    """Seconds each CPU state has accumulated since boot.

    Linux counts guest time twice, as psutil documents: ``user`` includes
    ``guest`` and ``nice`` includes ``guest_nice``. Fields a platform does
    not report are 0.0 (macOS: only user, nice, system, idle).
    """

    user: float
    nice: float
    system: float
    idle: float
    iowait: float
    irq: float
    softirq: float
    steal: float
    guest: float
    guest_nice: float


class CpuPercent(NamedTuple):
    """Percent of the interval between two CpuTimes samples per state.

    ``busy`` is everything but idle and iowait.
    """

    busy: float
    user: float
    nice: float
    system: float
    idle: float
    iowait: float
    irq: float
    softirq: float
    steal: float
    guest: float
    guest_nice: float


class Memory(NamedTuple):
    """Physical memory in bytes, as procps-ng 4.0 ``free -b`` shows it."""

    total: int
    available: int
    used: int
    free: int
    buffers: int
    cached: int
    shared: int
    slab: int
    active: int
    inactive: int


class Swap(NamedTuple):
    """Swap in bytes; sin/sout: bytes swapped in/out since boot."""

    total: int
    used: int
    free: int
    sin: int
    sout: int


class PressureLine(NamedTuple):
    """Stall share in percent over 10/60/300 s and total stall seconds."""

    avg10: float
    avg60: float
    avg300: float
    total: float


class PressureResource(NamedTuple):
    some: PressureLine
    full: Optional[PressureLine]


class Pressure(NamedTuple):
    """Pressure stall information; None for a resource the kernel does not show."""

    cpu: Optional[PressureResource]
    memory: Optional[PressureResource]
    io: Optional[PressureResource]


class CgroupLimits(NamedTuple):
    """cgroup v2 limits on this process: the tightest along its cgroup path."""

    path: str
    mount: str
    cpu_controller: bool
    memory_controller: bool
    cpu_quota: Optional[int]
    cpu_period: Optional[int]
    cpu_limit_cgroup: Optional[str]
    cpu_limit: Optional[int]
    memory_max: Optional[int]
    memory_current: Optional[int]


@overload
def cpu_times(percpu: Literal[False] = ...) -> CpuTimes: ...
@overload
def cpu_times(percpu: Literal[True]) -> List[CpuTimes]: ...
@overload
def cpu_times(percpu: bool) -> Union[CpuTimes, List[CpuTimes]]: ...
def cpu_times(percpu: bool = False) -> Union[CpuTimes, List[CpuTimes]]:
    """CPU times summed over all CPUs, or a list with one entry per online CPU."""
    rows = [CpuTimes(*t) for _cpu, t in _core.cpu_times(bool(percpu))]
    if percpu:
        return rows
    return rows[0]


def _advanced(before: float, after: float) -> float:
    # A counter that went backwards (Linux iowait may) counts as 0.
    return after - before if after > before else 0.0


def cpu_percent(before: CpuTimes, after: CpuTimes) -> CpuPercent:
    """Percent of the time between two samples spent in each state.

    The same arithmetic as the C++ psi::cpu_percent: the total is
    user+nice+system+idle+iowait+irq+softirq+steal (guest time is already
    inside user and nice); every share is 0.0 when no time passed.
    """
    d = [_advanced(b, a) for b, a in zip(before, after)]
    total = sum(d[:8])
    if total <= 0:
        return CpuPercent(*([0.0] * 11))

    def share(v: float) -> float:
        return min(100.0, max(0.0, 100.0 * v / total))

    busy = share(total - d[3] - d[4])
    return CpuPercent(busy, *(share(v) for v in d))


def memory() -> Memory:
    """Physical memory (see Memory)."""
    return Memory(*_core.memory())


def swap() -> Swap:
    """Swap space and traffic (see Swap)."""
    return Swap(*_core.swap())


_RawLine = Tuple[float, float, float, float]


def _resource(raw: Optional[Tuple[_RawLine, Optional[_RawLine]]]) -> Optional[PressureResource]:
    if raw is None:
        return None
    some, full = raw
    return PressureResource(PressureLine(*some), None if full is None else PressureLine(*full))


def pressure() -> Pressure:
    """Pressure stall information (Linux /proc/pressure).

    Raises AttrNotAvailableError when the kernel shows none at all (no
    CONFIG_PSI, or booted with psi=0); AttrNotImplementedError elsewhere.
    """
    raw = _core.pressure()
    return Pressure(_resource(raw["cpu"]), _resource(raw["memory"]), _resource(raw["io"]))


def cgroup_limits() -> CgroupLimits:
    """The cgroup v2 limits in force on this process.

    Raises AttrNotAvailableError without cgroup v2 (v1-only systems).
    """
    return CgroupLimits(**_core.cgroup_limits())


def effective_cpu_count() -> int:
    """CPUs this process can keep busy: affinity mask, lowered to the cgroup's cpu.max."""
    return _core.effective_cpu_count()
