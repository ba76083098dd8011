"""The machine and operating system: ``arch_type()`` and the ``Arch*`` classes.

``arch_type()`` returns one process-wide instance of the class for the
running platform (``ArchLinux``, ``ArchDarwin``/``ArchMacOSX`` or
``ArchSunOS``). Calling ``ArchBase()`` or the platform's own class returns
that same instance, whatever the order of the calls. The values are read
once, when the instance is first made.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, ClassVar, Dict, Optional, Tuple

from psi import _core

__all__ = [
    "ArchAIX",
    "ArchBase",
    "ArchDarwin",
    "ArchLinux",
    "ArchMacOSX",
    "ArchSunOS",
    "arch_type",
]

_lock = threading.Lock()
_instance: Optional[ArchBase] = None


def _platform_class() -> type[ArchBase]:
    if sys.platform.startswith("linux"):
        return ArchLinux
    if sys.platform == "darwin":
        return ArchMacOSX
    if sys.platform.startswith("sunos"):
        return ArchSunOS
    raise NotImplementedError(f"psi has no architecture class for {sys.platform!r}")


class ArchBase:
    """Facts about this machine and its operating system (a singleton)."""

    __slots__ = ("_facts",)

    _facts: Dict[str, Any]
    # The attributes, all read-only (see docs/python-api.md).
    _FIELDS: ClassVar[Tuple[str, ...]] = (
        "sysname",
        "nodename",
        "release",
        "version",
        "machine",
        "release_info",
        "cpu_count",
        "physical_cpu_count",
        "page_size",
        "clock_ticks",
        "total_memory",
        "bits",
    )

    def __new__(cls) -> ArchBase:
        global _instance
        with _lock:
            if _instance is None:
                platform_cls = _platform_class()
                obj = object.__new__(platform_cls)
                object.__setattr__(obj, "_facts", _core.arch_info())
                _instance = obj
            inst = _instance
        if not isinstance(inst, cls):
            raise TypeError(
                f"{cls.__name__} is not this platform's architecture; "
                f"use psi.arch.arch_type() (a {type(inst).__name__})"
            )
        return inst

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} attributes are read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} attributes are read-only")

    def __reduce__(self) -> Tuple[Any, Tuple[()]]:
        # Unpickling gives the singleton of the unpickling process.
        return (arch_type, ())

    def __repr__(self) -> str:
        return (
            f"psi.arch.{type(self).__name__}(sysname={self.sysname!r}, "
            f"release={self.release!r}, machine={self.machine!r})"
        )

    @property
    def sysname(self) -> str:
        """Operating system name (uname -s)."""
        return str(self._facts["sysname"])

    @property
    def nodename(self) -> str:
        """Network node name (uname -n), as it was when the instance was made."""
        return str(self._facts["nodename"])

    @property
    def release(self) -> str:
        """Operating system release (uname -r)."""
        return str(self._facts["release"])

    @property
    def version(self) -> str:
        """Operating system version (uname -v)."""
        return str(self._facts["version"])

    @property
    def machine(self) -> str:
        """Hardware name (uname -m)."""
        return str(self._facts["machine"])

    @property
    def release_info(self) -> Tuple[int, ...]:
        """Leading numbers of release: '6.18.44-foo' gives (6, 18, 44)."""
        return tuple(self._facts["release_info"])

    @property
    def cpu_count(self) -> int:
        """Logical CPUs online."""
        return int(self._facts["cpu_count"])

    @property
    def physical_cpu_count(self) -> Optional[int]:
        """Physical cores, or None when the OS does not say."""
        value = self._facts["physical_cpu_count"]
        return None if value is None else int(value)

    @property
    def page_size(self) -> int:
        """Memory page size in bytes."""
        return int(self._facts["page_size"])

    @property
    def clock_ticks(self) -> int:
        """Clock ticks per second (sysconf CLK_TCK)."""
        return int(self._facts["clock_ticks"])

    @property
    def total_memory(self) -> int:
        """Physical memory in bytes."""
        return int(self._facts["total_memory"])

    @property
    def bits(self) -> int:
        """Pointer width of this build (32 or 64)."""
        return int(self._facts["bits"])


class ArchLinux(ArchBase):
    """Linux."""

    __slots__ = ()


class ArchDarwin(ArchBase):
    """Darwin (the instance on macOS is an ArchMacOSX)."""

    __slots__ = ()


class ArchMacOSX(ArchDarwin):
    """macOS."""

    __slots__ = ()


class ArchSunOS(ArchBase):
    """Solaris and illumos."""

    __slots__ = ()


class ArchAIX(ArchBase):
    """AIX: kept for compatibility with PSI; never returned."""

    __slots__ = ()


def arch_type() -> ArchBase:
    """The process-wide instance describing this machine."""
    return ArchBase()
