"""What PSI 0.3b2's own unit tests (converted to Python 3) expect and psi
lacked (issue 9): ordered Process objects, TimeSpec.mktime(), a refresh()
on mounts, and empty args for kernel threads.

Expected values come from the system (os, time, /proc, psutil) or from
fixture files the test writes; deliberate differences from PSI are in
docs/python-api.md ("Differences from PSI 0.3b2").
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Dict, Iterator

import pytest

import psi
from _psi_helpers import Spawner, proc_state, wait_until
from psi.process import Process, ProcessTable

HZ = os.sysconf("SC_CLK_TCK")


def stat_line(pid: int, comm: str, state: str, starttime: int, flags: int = 0) -> str:
    """A 52-field /proc/PID/stat line with the given start (proc(5) field 22)."""
    fields: Dict[int, int] = {n: 0 for n in range(4, 53)}
    fields[4] = 1  # ppid
    fields[8] = -1  # tpgid
    fields[9] = flags
    fields[20] = 1  # threads
    fields[22] = starttime
    return f"{pid} ({comm}) {state} " + " ".join(str(fields[n]) for n in range(4, 53)) + "\n"


@pytest.fixture
def fake_proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "proc"
    root.mkdir()
    (root / "uptime").write_text("100.00 100.00\n")
    monkeypatch.setenv("PSI_PROCFS", str(root))
    yield root


def add_process(root: Path, pid: int, comm: str, state: str = "S", starttime: int = 50, flags: int = 0,
                cmdline: bytes = b"prog\0") -> None:
    d = root / str(pid)
    d.mkdir(exist_ok=True)
    (d / "stat").write_text(stat_line(pid, comm, state, starttime, flags))
    (d / "statm").write_text("0 0 0 0 0 0 0\n")
    (d / "cmdline").write_bytes(cmdline)


# ---- (a) Process objects are ordered --------------------------------------


def test_processes_order_by_pid(spawn: Spawner) -> None:
    kids = [spawn(["sleep", "60"]) for _ in range(3)]
    procs = [Process(k.pid) for k in kids]
    by_pid = sorted(procs, key=lambda p: p.pid)
    assert sorted(procs) == by_pid
    assert sorted(procs, reverse=True) == by_pid[::-1]
    low, high = by_pid[0], by_pid[-1]
    assert low < high and low <= high and high > low and high >= low
    assert not (high < low) and not (high <= low) and not (low > high) and not (low >= high)
    same = Process(low.pid)
    assert low <= same and low >= same and not (low < same) and not (low > same)
    assert min(procs) == low and max(procs) == high


def test_table_processes_sort_like_their_pids() -> None:
    table = ProcessTable()
    assert [p.pid for p in sorted(table.values())] == sorted(table)


def test_order_with_other_types_is_a_type_error(spawn: Spawner) -> None:
    p = Process(spawn(["sleep", "60"]).pid)
    for other in (p.pid, float(p.pid), "1", None, (p.pid, 0)):
        for compare in (lambda: p < other, lambda: p <= other, lambda: other > p, lambda: p >= other):
            with pytest.raises(TypeError):
                compare()
        assert p.__lt__(other) is NotImplemented


def test_reused_pid_orders_by_start(fake_proc: Path) -> None:
    # Identity is (pid, start): a later process with the same pid is a
    # different process, and sorts after the earlier one (consistent with
    # == and hash).
    add_process(fake_proc, 300, "old", starttime=50)
    old = Process(300)
    add_process(fake_proc, 300, "new", starttime=70)
    new = Process(300)
    add_process(fake_proc, 299, "lower", starttime=90)
    lower = Process(299)
    assert old != new and old < new and new > old and not (new <= old)
    assert sorted([new, lower, old]) == [lower, old, new]


# ---- (b) TimeSpec.mktime() -------------------------------------------------


@pytest.fixture
def timezone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()  # TZ back as it was, then tell the C library
    time.tzset()


@pytest.mark.parametrize(
    "tz",
    [
        "UTC0",
        "EST5",  # no daylight saving: PSI's own test case
        "CET-1CEST,M3.5.0,M10.5.0/3",  # POSIX rules, no tz database needed
        "NZST-12NZDT,M9.5.0,M4.1.0/3",  # southern hemisphere
        "IST-5:30",  # a half-hour offset
    ],
)
def test_mktime_is_the_utc_calendar_time_read_as_local(
    tz: str, timezone: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    for sec, nsec in [(5, 500_000_000), (0, 0), (1_700_000_000, 1), (1_720_000_000, 999_999_999),
                      (1_000_000_000, 250_000_000)]:
        t = psi.TimeSpec(sec, nsec)
        assert t.mktime() == time.mktime(time.gmtime(sec)) + nsec / 1e9
    if not time.daylight:
        # PSI 0.3b2's own expectation where there is no daylight saving.
        assert psi.TimeSpec(5, 500_000_000).mktime() == 5.5 + time.timezone


def test_mktime_is_not_the_timestamp_away_from_utc(timezone: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "EST5")
    time.tzset()
    t = psi.TimeSpec(1_000_000, 0)
    assert t.mktime() - t.timestamp() == 5 * 3600
    assert isinstance(t.mktime(), float)


# ---- (c) mounts have refresh() ----------------------------------------------


def test_refresh_of_a_real_mount() -> None:
    root = next(m for m in psi.mount.mounts() if m.mountpoint == "/")
    root.refresh()
    sv = os.statvfs("/")
    assert (root.device, root.mountpoint) == next(
        (m.device, m.mountpoint) for m in psi.mount.mounts() if m.mountpoint == "/"
    )
    assert root.total == sv.f_blocks * sv.f_frsize and root.inodes == sv.f_files


def test_refresh_rereads_the_mount(fake_proc: Path, tmp_path: Path) -> None:
    # The mount point is a symbolic link the test repoints, so the second
    # statvfs is of another filesystem with known, fixed sizes.
    point = tmp_path / "mnt"
    point.symlink_to("/")
    (fake_proc / "mounts").write_text(f"/dev/fake {point} ext4 rw,relatime 0 0\n")
    (m,) = psi.mount.mounts()
    before = os.statvfs("/")
    assert m.total == before.f_blocks * before.f_frsize > 0
    point.unlink()
    point.symlink_to("/proc")  # procfs: statvfs reports 0 blocks
    (fake_proc / "mounts").write_text(f"/dev/fake {point} ext4 ro,relatime 0 0\n")
    m.refresh()
    after = os.statvfs("/proc")
    assert m.total == after.f_blocks * after.f_frsize
    assert m.options == "ro,relatime"  # the mount table is re-read too
    assert isinstance(m, psi.mount.LocalMount)


def test_refresh_of_a_mount_that_is_gone(fake_proc: Path) -> None:
    (fake_proc / "mounts").write_text("/dev/fake / ext4 rw 0 0\nother /tmp tmpfs rw 0 0\n")
    root, tmp = psi.mount.mounts()
    (fake_proc / "mounts").write_text("/dev/fake / ext4 rw 0 0\nreplaced /tmp ext4 rw 0 0\n")
    root.refresh()  # still there
    with pytest.raises(psi.mount.NoSuchMountError) as info:
        tmp.refresh()  # another filesystem is mounted there now: not this mount
    assert isinstance(info.value, psi.MissingResourceError)
    assert psi.NoSuchMountError is psi.mount.NoSuchMountError
    assert "'/tmp'" in str(info.value)
    assert info.value.pid is None and info.value.attribute is None
    assert (tmp.device, tmp.fstype) == ("other", "tmpfs")  # the snapshot is unchanged
    (fake_proc / "mounts").write_text("")
    with pytest.raises(psi.MissingResourceError):
        root.refresh()


def test_refresh_timeout_argument() -> None:
    m = psi.mount.mounts()[0]
    m.refresh(timeout=0)
    m.refresh(timeout=1.5)
    with pytest.raises(ValueError):
        m.refresh(timeout=-1)
    with pytest.raises(TypeError):
        m.refresh(timeout="1")  # type: ignore[arg-type]


# ---- (d) kernel threads have empty args; zombies raise, as psutil -----------


def kernel_threads() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            flags = int(stat[stat.rindex(b")") + 2 :].split()[6])
            if flags & 0x00200000:  # PF_KTHREAD
                pids.append(int(entry))
    return sorted(pids)


def test_kernel_threads_have_empty_args() -> None:
    psutil = pytest.importorskip("psutil")
    kthreads = kernel_threads()
    if not kthreads:
        pytest.skip("no kernel threads visible (container without kthreadd)")
    checked = 0
    for pid in kthreads[:20]:
        try:
            p = Process(pid)
            expected = psutil.Process(pid).cmdline()
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (psi.NoSuchProcessError, psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
            continue  # a worker that exited meanwhile
        assert raw == b""
        assert expected == []
        assert p.args == tuple(expected) and p.argc == 0
        assert p.command == p.name
        checked += 1
    assert checked
    table = ProcessTable()
    for pid in kthreads[:20]:
        if pid in table:
            assert table[pid].args == () and table[pid].argc == 0


def test_zombie_args_raise_as_psutil(spawn: Spawner) -> None:
    # A zombie's argv is gone with its memory, not empty: psutil raises
    # ZombieProcess for its cmdline(), psi AttrNotAvailableError.
    psutil = pytest.importorskip("psutil")
    child = spawn(["true"])
    assert wait_until(lambda: proc_state(child.pid) == "Z")
    p = Process(child.pid)
    assert p.status == psi.process.PROC_STATUS_ZOMBIE
    with pytest.raises(psutil.ZombieProcess):
        psutil.Process(child.pid).cmdline()
    for attr in ("args", "argc"):
        with pytest.raises(psi.AttrNotAvailableError) as info:
            getattr(p, attr)
        assert info.value.pid == child.pid and info.value.attribute == attr
    assert p.command == p.name == "true"


def test_fixture_kernel_thread_zombie_and_emptied_argv(fake_proc: Path) -> None:
    add_process(fake_proc, 2, "kthreadd", flags=0x00200000, cmdline=b"")
    add_process(fake_proc, 7, "defunct", state="Z", cmdline=b"")
    add_process(fake_proc, 8, "emptied", cmdline=b"")  # a live process that cleared its argv
    for pid, name in ((2, "kthreadd"), (8, "emptied")):
        p = Process(pid)
        assert p.args == () and p.argc == 0 and p.command == name
    z = Process(7)
    assert getattr(z, "args", None) is None and getattr(z, "argc", None) is None
    assert z.command == "defunct"
    # Read lazily, from a table, the answers are the same.
    table = ProcessTable(attrs=["pid"])
    assert table[2].args == () and table[2].argc == 0
    assert getattr(table[7], "args", None) is None
