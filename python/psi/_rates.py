"""Rates between two snapshots: ``p2.since(p1)`` and ``t2.since(t1)``.

Pure arithmetic on two snapshots the caller took (computed by the compiled
core, psi/rates.hpp): no previous sample is kept anywhere, so there is no
first-call 0.0 and nothing shared between threads. A rate is only ever
computed for the same process in both snapshots, identified by pid and
start time: a pid reused in between is one process that disappeared and
another that appeared. See docs/python-api.md ("Rates").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, NamedTuple, Optional

if TYPE_CHECKING:  # pragma: no cover
    from psi._core import Process

__all__ = ["ProcessRates", "TableRates"]


class ProcessRates(NamedTuple):
    """How busy one process was between two snapshots of it.

    ``interval`` is the time in seconds between the two snapshots' stat
    reads (monotonic clock). A rate is None when either snapshot did not
    read what it is computed from, or when no time passed between them
    (two rows read at the same instant). ``cpu_percent`` is in percent of
    one CPU (a process busy on two CPUs shows 200, as top does);
    ``cpu_percent_normalized`` divides it by the CPUs online.
    ``read_bytes``, ``write_bytes`` (storage bytes) and ``read_ops``,
    ``write_ops`` (read/write system calls) are per second, from
    ``io_counters``: both snapshots must have read it when they were taken
    (``ProcessTable(attrs=[..., "io_counters"])``, or ``p.io_counters``
    right after ``Process(pid)``). The fault rates (per second) come with
    the stat attributes; the context-switch rates need the status
    attributes (``voluntary_ctxt_switches``) read in both snapshots.
    """

    pid: int
    interval: float
    cpu_percent: Optional[float]
    cpu_percent_normalized: Optional[float]
    read_bytes: Optional[float]
    write_bytes: Optional[float]
    read_ops: Optional[float]
    write_ops: Optional[float]
    minor_faults: Optional[float]
    major_faults: Optional[float]
    voluntary_ctx_switches: Optional[float]
    involuntary_ctx_switches: Optional[float]


class TableRates(Dict[int, ProcessRates]):
    """pid -> ProcessRates for the processes in both tables.

    ``appeared``: the Process objects (of the later table) that were not in
    the earlier one; ``disappeared``: those (of the earlier table) gone
    from the later one; both in pid order. A pid reused between the two
    tables is in both lists and has no rate. ``interval``: seconds between
    the two tables' listings (each row has its own, see ProcessRates).
    """

    __slots__ = ("interval", "appeared", "disappeared")

    interval: float
    appeared: List["Process"]
    disappeared: List["Process"]

    def __init__(self) -> None:
        super().__init__()
        self.interval = 0.0
        self.appeared = []
        self.disappeared = []

    def __repr__(self) -> str:
        return (f"<TableRates of {len(self)} processes over {self.interval:.3f} s, "
                f"{len(self.appeared)} appeared, {len(self.disappeared)} disappeared>")
