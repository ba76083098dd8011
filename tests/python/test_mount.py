"""psi.mount against /proc/self/mounts and os.statvfs."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import List, Tuple

import pytest

import psi
from psi.mount import LocalMount, MountBase, RemoteMount, mounts


def _unescape(field: str) -> str:
    # /proc/self/mounts escapes space, tab, newline and backslash as \ooo.
    return field.encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "surrogateescape")


def _system_mounts() -> List[Tuple[str, str, str, str]]:
    rows = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        dev, mnt, fstype, opts = line.split()[:4]
        rows.append((_unescape(dev), _unescape(mnt), fstype, opts))
    return rows


def test_mounts_match_the_system() -> None:
    local = mounts()
    everything = mounts(remote=True)
    assert local and all(isinstance(m, LocalMount) for m in local)
    assert all(isinstance(m, (LocalMount, RemoteMount)) for m in everything)
    assert all(isinstance(m, MountBase) for m in everything)
    system = _system_mounts()
    assert [(m.device, m.mountpoint, m.fstype, m.options) for m in everything] == system
    assert {m.mountpoint for m in local} <= {m.mountpoint for m in everything}
    for m in everything:
        if isinstance(m, RemoteMount):
            assert m.host and m.host in m.device


def test_sizes_against_statvfs() -> None:
    root = next(m for m in mounts() if m.mountpoint == "/")
    for _ in range(5):  # free space may move between the two reads
        sv = os.statvfs("/")
        if root.total == sv.f_blocks * sv.f_frsize and root.inodes == sv.f_files:
            break
        root = next(m for m in mounts() if m.mountpoint == "/")
    assert root.total == sv.f_blocks * sv.f_frsize
    assert root.inodes == sv.f_files
    assert abs(root.free - sv.f_bfree * sv.f_frsize) < 64 * 1024 * 1024
    assert abs(root.available - sv.f_bavail * sv.f_frsize) < 64 * 1024 * 1024
    assert root.available <= root.free <= root.total
    assert root.available_inodes <= root.free_inodes <= root.inodes


def test_every_mount_attribute_readable() -> None:
    for m in mounts(remote=True):
        for name in ("device", "mountpoint", "fstype", "options"):
            assert isinstance(getattr(m, name), str)
        for name in ("total", "free", "available", "inodes", "free_inodes", "available_inodes"):
            try:
                assert getattr(m, name) >= 0
            except (psi.AttrNotAvailableError, psi.AttrInsufficientPrivsError) as e:
                assert m.mountpoint in str(e)


def test_repr_and_no_constructor() -> None:
    m = mounts()[0]
    assert repr(m) == (
        f"psi.mount.LocalMount(device={m.device!r}, mountpoint={m.mountpoint!r}, fstype={m.fstype!r})"
    )
    with pytest.raises(TypeError):
        MountBase()


def test_timeout_for_mounts_that_may_block(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """FUSE, network and autofs mounts get `timeout` seconds for statvfs;
    0 does not ask them. A fixture root lists a FUSE mount on /tmp (which
    answers at once) next to the real /."""
    (tmp_path / "mounts").write_text("/dev/vdz / ext4 rw 0 0\nportal /tmp fuse.portal rw,nosuid 0 0\n")
    monkeypatch.setenv("PSI_PROCFS", str(tmp_path))
    sv = os.statvfs("/tmp")
    for timeout in (2.0, 1, 1e300):
        fuse = next(m for m in mounts(timeout=timeout) if m.mountpoint == "/tmp")
        assert fuse.total == sv.f_blocks * sv.f_frsize
    fuse, root = (next(m for m in mounts(timeout=0) if m.mountpoint == p) for p in ("/tmp", "/"))
    with pytest.raises(psi.AttrNotAvailableError) as exc:
        fuse.total
    assert os.strerror(errno.ETIMEDOUT) in str(exc.value)
    assert "/tmp" in str(exc.value)
    assert root.total == os.statvfs("/").f_blocks * os.statvfs("/").f_frsize  # plain mounts are asked


@pytest.mark.parametrize(
    "timeout, error", [(-1, ValueError), (float("nan"), ValueError), ("2", TypeError), (None, TypeError), (True, TypeError)]
)
def test_bad_timeout(timeout: object, error: type) -> None:
    with pytest.raises(error, match="timeout"):
        mounts(timeout=timeout)  # type: ignore[arg-type]
