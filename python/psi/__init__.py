"""psi: process and system information.

``import psi`` is enough to use every part: ``psi.process``, ``psi.arch`` and
``psi.mount`` are imported with the package (PSI needed separate imports).
See docs/python-api.md for the full API.
"""

from __future__ import annotations

# The exceptions must exist before the compiled core is loaded: it looks them
# up (psi._exceptions) when it initialises.
from psi._exceptions import (
    AttrInsufficientPrivsError,
    AttrNotAvailableError,
    AttrNotImplementedError,
    InsufficientPrivsError,
    MissingResourceError,
    NoSuchMountError,
    NoSuchProcessError,
)
from psi import _core
from psi._core import TimeSpec, boottime, loadavg, uptime
from psi._sysinfo import (
    CgroupLimits,
    CpuPercent,
    CpuTimes,
    Memory,
    Pressure,
    PressureLine,
    PressureResource,
    Swap,
    cgroup_limits,
    cpu_percent,
    cpu_times,
    effective_cpu_count,
    memory,
    pressure,
    swap,
)

# Single-sourced: the compiled core reports PSI_VERSION_STRING, which CMake
# generates from project(psi VERSION ...), the same line pyproject.toml reads.
__version__: str = _core.__version__

from psi import arch, mount, process  # noqa: E402  (need the names above)

__all__ = [
    "AttrInsufficientPrivsError",
    "CgroupLimits",
    "CpuPercent",
    "CpuTimes",
    "Memory",
    "Pressure",
    "PressureLine",
    "PressureResource",
    "Swap",
    "AttrNotAvailableError",
    "AttrNotImplementedError",
    "InsufficientPrivsError",
    "MissingResourceError",
    "NoSuchMountError",
    "NoSuchProcessError",
    "TimeSpec",
    "__version__",
    "arch",
    "boottime",
    "cgroup_limits",
    "cpu_percent",
    "cpu_times",
    "effective_cpu_count",
    "loadavg",
    "memory",
    "mount",
    "pressure",
    "process",
    "swap",
    "uptime",
]
