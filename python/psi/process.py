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
from psi._exceptions import NoSuchProcessError

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
    "ProcessTable",
    "status_letter",
    "status_name",
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

    __slots__ = ()

    def __new__(cls, *, attrs: Optional[Iterable[str]] = None) -> ProcessTable:
        self = super().__new__(cls)
        # The compiled core fills the dict's storage directly (the blocked
        # __setitem__ below is not involved) with the GIL released while
        # it reads the system.
        _core.fill_table(self, attrs)
        return self

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
