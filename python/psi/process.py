"""Processes: ``Process(pid)`` snapshots and the ``ProcessTable`` of all of them."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, NoReturn, Optional, Tuple

from psi import _core
from psi._core import (
    PROC_STATUS_DEAD,
    PROC_STATUS_DISKSLEEP,
    PROC_STATUS_IDLE,
    PROC_STATUS_PAGING,
    PROC_STATUS_PARKED,
    PROC_STATUS_RUNNING,
    PROC_STATUS_SLEEPING,
    PROC_STATUS_STOPPED,
    PROC_STATUS_TRACINGSTOP,
    PROC_STATUS_UNKNOWN,
    PROC_STATUS_WAKEKILL,
    PROC_STATUS_WAKING,
    PROC_STATUS_ZOMBIE,
    PROCESS_ATTRIBUTES,
    Process,
    status_letter,
    status_name,
)
from psi._core import TimeSpec
from psi._core import OpenFile  # -- x-openfiles
from psi._exceptions import NoSuchProcessError
from psi._rates import ProcessRates, TableRates

__all__ = [
    "PROCESS_ATTRIBUTES",
    "PROC_STATUS_DEAD",
    "PROC_STATUS_DISKSLEEP",
    "PROC_STATUS_IDLE",
    "PROC_STATUS_PAGING",
    "PROC_STATUS_PARKED",
    "PROC_STATUS_RUNNING",
    "PROC_STATUS_SLEEPING",
    "PROC_STATUS_STOPPED",
    "PROC_STATUS_TRACINGSTOP",
    "PROC_STATUS_UNKNOWN",
    "PROC_STATUS_WAKEKILL",
    "PROC_STATUS_WAKING",
    "PROC_STATUS_ZOMBIE",
    "NoSuchProcessError",
    "Process",
    "ProcessRates",
    "ProcessTable",
    "Sampler",
    "TableRates",
    "ThreadTable",
    "status_letter",
    "status_name",
    "OpenFile",  # -- x-openfiles
]


def _read_only(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError("ProcessTable is read-only")


class ProcessTable(Dict[int, Process]):
    """A read-only mapping pid -> Process of every process (thread-group leader).

    ``ProcessTable()`` reads what a ``ps -ef`` listing shows up front; other
    attributes are read on first access. ``attrs`` names the attributes to
    read up front instead (any of ``PROCESS_ATTRIBUTES``).
    A process that exits while the table is built is left out.
    """

    __slots__ = ("_read_at", "_read_monotonic")

    _read_at: TimeSpec
    _read_monotonic: float

    def __new__(cls, *, attrs: Optional[Iterable[str]] = None) -> ProcessTable:
        self = super().__new__(cls)
        # The compiled core fills the dict's storage directly (the blocked
        # __setitem__ below is not involved) with the GIL released while
        # it reads the system.
        self._read_at, self._read_monotonic = _core.fill_table(self, attrs)
        return self

    @property
    def read_at(self) -> TimeSpec:
        """Wall-clock instant (UTC) at which the processes were listed.

        Each process has its own ``read_at``: the instant its stat was read.
        """
        return self._read_at

    @property
    def read_monotonic(self) -> float:
        """The listing instant on the monotonic clock, in seconds.

        The clock of ``time.monotonic()`` on Linux (CLOCK_MONOTONIC): never
        stepped, for measuring intervals.
        """
        return self._read_monotonic

    def since(self, before: ProcessTable) -> TableRates:
        """Rates of every process between the earlier table ``before`` and this one.

        Processes are matched by pid and start time; see TableRates. Each
        rate uses its own process's two read instants, so a table that took
        a while to read still gives exact rates. Raises TypeError when
        ``before`` is not a ProcessTable.
        """
        if not isinstance(before, ProcessTable):
            raise TypeError(f"since() needs a ProcessTable, not {type(before).__name__}")
        rows, appeared, disappeared = _core.table_rows(before.values(), self.values())
        out = TableRates()
        make = ProcessRates._make
        for row in rows:
            out[row[0]] = make(row)
        out.interval = self._read_monotonic - before._read_monotonic
        out.appeared = [self[pid] for pid in appeared]
        out.disappeared = [before[pid] for pid in disappeared]
        return out

    def __init__(self, *, attrs: Optional[Iterable[str]] = None) -> None:
        # Everything happened in __new__; dict.__init__ must not run again.
        pass

    @property
    def count(self) -> int:
        """Number of processes."""
        return len(self)

    @property
    def pids(self) -> Tuple[int, ...]:
        """The pids, sorted."""
        return tuple(sorted(self))

    @property
    def processes(self) -> List[Process]:
        """The processes, in pid order."""
        return [self[pid] for pid in sorted(self)]

    @classmethod
    def fromkeys(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("ProcessTable cannot be built from keys; call ProcessTable()")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    update = _read_only
    pop = _read_only
    popitem = _read_only
    clear = _read_only
    setdefault = _read_only

    def __reduce__(self) -> NoReturn:
        raise TypeError("a ProcessTable cannot be pickled; use dict(table)")


# -- w-threads: the thread table --
def _thread_table_read_only(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError("ThreadTable is read-only")


class ThreadTable(Dict[int, Process]):
    """A read-only mapping tid -> thread snapshot of every thread of every
    process, or with ``pid`` of that process only.

    A thread snapshot is a ``Process`` whose ``tid`` is the thread id and
    whose ``pid`` (and ``tgid``) is its process's; its ``name``, ``status``,
    ``utime``, ``stime``, ``processor``, ``nice``, ``priority``, ``policy``,
    ``wchan``, ``minor_faults``, ``major_faults``, ``voluntary_ctxt_switches``
    and ``involuntary_ctxt_switches`` are the thread's own (Linux
    /proc/PID/task/TID). The stat
    group is read up front (``attrs`` names other attributes instead); the
    rest on first access, from that thread. A thread or process that ends
    while the table is built is left out; ``ThreadTable(pid)`` raises
    NoSuchProcessError when that process is gone, and AttrNotImplementedError
    where threads cannot be listed (macOS before 10.14).
    """

    __slots__ = ()

    def __new__(cls, pid: Optional[int] = None, *, attrs: Optional[Iterable[str]] = None) -> ThreadTable:
        self = super().__new__(cls)
        _core.fill_thread_table(self, pid, attrs)
        return self

    def __init__(self, pid: Optional[int] = None, *, attrs: Optional[Iterable[str]] = None) -> None:
        pass

    @property
    def tids(self) -> Tuple[int, ...]:
        """The thread ids, sorted."""
        return tuple(sorted(self))

    @classmethod
    def fromkeys(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("ThreadTable cannot be built from keys; call ThreadTable()")

    __setitem__ = _thread_table_read_only
    __delitem__ = _thread_table_read_only
    __ior__ = _thread_table_read_only
    update = _thread_table_read_only
    pop = _thread_table_read_only
    popitem = _thread_table_read_only
    clear = _thread_table_read_only
    setdefault = _thread_table_read_only

    def __reduce__(self) -> NoReturn:
        raise TypeError("a ThreadTable cannot be pickled; use dict(table)")


class Sampler:
    """Takes ProcessTables of every process's stat attributes, cheaply, again and again.

    For monitors computing rates: ``t2 = s.sample(); t2.since(t1)``. Each
    sample is a ProcessTable whose processes have the stat attributes read
    (ppid, name, status, nice, times, vsz ...; others are read lazily as
    usual). On Linux the sampler keeps each process's /proc/PID/stat open and
    re-reads it, which costs about half a fresh read; a process that exits is
    dropped, a new one opened, a reused pid recognised (never mixed with its
    predecessor). It keeps at most the soft RLIMIT_NOFILE less a reserve of
    descriptors, and with ``raise_fd_limit`` (the default) first raises that
    soft limit within the hard one; pass False in a program that uses
    select() (which cannot watch descriptors >= 1024). Elsewhere each sample
    is a fresh read. Thread-safe (samples are taken one at a time).
    """

    __slots__ = ("_core",)

    def __init__(self, *, raise_fd_limit: bool = True) -> None:
        self._core = _core.Sampler(raise_fd_limit)

    def sample(self) -> ProcessTable:
        """A new ProcessTable of every process, its stat attributes read."""
        table: ProcessTable = dict.__new__(ProcessTable)
        table._read_at, table._read_monotonic = self._core.sample_into(table)
        return table

    def resample(self) -> ProcessTable:
        """The next snapshot of the same processes: those of the last sample()
        or resample(), re-read without listing /proc again (cheaper; for a
        monitor's loop between two sample() calls). A process that exited, or
        whose pid now names another process, is left out (``since`` counts it
        as disappeared); new processes are not seen until the next sample().
        Before the first sample() it is sample()."""
        table: ProcessTable = dict.__new__(ProcessTable)
        table._read_at, table._read_monotonic = self._core.sample_into(table, True)
        return table

    @property
    def open_handles(self) -> int:
        """Descriptors the sampler keeps open now (0 where it keeps none)."""
        return int(self._core.open_handles)
