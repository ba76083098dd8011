"""Mounted filesystems: ``mounts(remote=False, timeout=2.0)``.

Each mount is a ``LocalMount`` or a ``RemoteMount`` (both ``MountBase``).
Sizes come from statvfs; a mount that cannot be queried (EACCES, a stale
NFS server) stays in the list and its size attributes raise
``AttrNotAvailableError`` or ``AttrInsufficientPrivsError``. Network, FUSE
and autofs mounts get ``timeout`` seconds to answer (``0``: not asked).
``refresh()`` re-reads one mount; ``NoSuchMountError`` if it is gone.
"""

from __future__ import annotations

from psi._core import LocalMount, MountBase, RemoteMount, mounts
from psi._exceptions import NoSuchMountError

__all__ = ["LocalMount", "MountBase", "NoSuchMountError", "RemoteMount", "mounts"]
