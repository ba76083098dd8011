"""PSI_PROCFS pointed at a small fake proc tree: known answers.

The Linux backend reads /proc/PID/stat, statm, status, cmdline, environ,
the exe and cwd links, and the owner of /proc/PID (the effective uid for the
cheap listing). The tree below gives each a value we know.
"""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path
from typing import Dict, Iterator

import pytest

import psi
from psi.process import Process, ProcessTable

HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
PF_KTHREAD = 0x00200000


def stat_line(pid: int, comm: str, state: str, **fields: int) -> str:
    """A 52-field /proc/PID/stat line (proc(5) numbering) with given fields."""
    values: Dict[int, int] = {n: 0 for n in range(4, 53)}
    names = {"ppid": 4, "pgrp": 5, "session": 6, "tty_nr": 7, "tpgid": 8, "flags": 9, "utime": 14,
             "stime": 15, "priority": 18, "nice": 19, "num_threads": 20, "starttime": 22, "vsize": 23,
             "rss": 24, "rt_priority": 40}
    values[8] = -1
    for key, value in fields.items():
        values[names[key]] = value
    return f"{pid} ({comm}) {state} " + " ".join(str(values[n]) for n in range(4, 53)) + "\n"


def write_process(root: Path, pid: int, stat: str, **files: bytes) -> Path:
    d = root / str(pid)
    d.mkdir()
    (d / "stat").write_text(stat)
    for name, data in files.items():
        (d / name).write_bytes(data)
    return d


def name_or_id(lookup, ident: int) -> str:  # type: ignore[no-untyped-def]
    try:
        return str(lookup(ident)[0])
    except KeyError:
        return str(ident)


@pytest.fixture
def proc_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "proc"
    root.mkdir()
    d = write_process(
        root,
        1234,
        # A name with both parentheses: the name ends at the *last* ')'.
        stat_line(1234, "x) (y", "S", ppid=1, pgrp=1234, session=1200, tty_nr=(136 << 8) | 3, flags=0x400100,
                  utime=250, stime=130, priority=20, nice=-5, num_threads=3, starttime=5000,
                  vsize=104_857_600, rss=7, rt_priority=0),
        statm=b"25600 1280 300 10 0 2000 0\n",
        status=b"Name:\tx) (y\nState:\tS (sleeping)\nUid:\t1001\t1000\t1000\t1000\nGid:\t2001\t2000\t2000\t2000\n",
        cmdline=b"prog\0--flag\0value with space\0",
        environ=b"A=1\0B=two words\0EMPTY=\0",
    )
    os.symlink("/usr/bin/prog (deleted)", d / "exe")
    os.symlink("/home/someone", d / "cwd")
    # A kernel thread: empty cmdline, no environ, no exe or cwd links.
    write_process(root, 2, stat_line(2, "kthreadd", "S", flags=PF_KTHREAD, num_threads=1, starttime=1),
                  statm=b"0 0 0 0 0 0 0\n", cmdline=b"")
    # A zombie child of 1234.
    write_process(root, 4321, stat_line(4321, "defunct", "Z", ppid=1234, pgrp=1234, session=1200,
                                        num_threads=1, starttime=6000),
                  statm=b"0 0 0 0 0 0 0\n", cmdline=b"")
    # Garbage and things that are not processes: never fail the table.
    write_process(root, 999, "this is not a stat line")
    (root / "self").mkdir()
    (root / "0123").mkdir()
    (root / "uptime").write_text("1.00 1.00\n")
    monkeypatch.setenv("PSI_PROCFS", str(root))
    yield root


def test_process_from_fixture(proc_root: Path) -> None:
    p = Process(1234)
    assert (p.pid, p.ppid, p.pgrp, p.sid) == (1234, 1, 1234, 1200)
    assert p.name == "x) (y"
    assert p.status == psi.process.PROC_STATUS_SLEEPING
    assert p.terminal == "/dev/pts/3"
    assert p.flags == 0x400100
    assert p.nice == -5 and p.priority == 0 and p.nthreads == 3
    assert p.utime == psi.TimeSpec(250 // HZ, (250 % HZ) * 10**9 // HZ)
    assert p.stime == psi.TimeSpec(130 // HZ, (130 % HZ) * 10**9 // HZ)
    assert p.cputime == p.utime + p.stime
    assert p.jiffies == 5000
    assert p.start_time == psi.boottime() + psi.TimeSpec(5000 // HZ, (5000 % HZ) * 10**9 // HZ)
    assert p.vsz == 104_857_600
    assert p.rss == 1280 * PAGE  # statm's resident pages, not stat's rss field
    assert (p.ruid, p.euid, p.rgid, p.egid) == (1001, 1000, 2001, 2000)
    assert p.ruser == name_or_id(pwd.getpwuid, 1001)
    assert p.euser == name_or_id(pwd.getpwuid, 1000)
    assert p.rgroup == name_or_id(grp.getgrgid, 2001)
    assert p.egroup == name_or_id(grp.getgrgid, 2000)
    assert p.args == ("prog", "--flag", "value with space")
    assert p.argc == 3
    assert p.command == "prog --flag value with space"
    assert p.env == {"A": "1", "B": "two words", "EMPTY": ""}
    assert p.exe == "/usr/bin/prog"  # " (deleted)" kept out
    assert p.cwd == "/home/someone"
    assert p.parent is None  # no pid 1 in this tree
    assert [c.pid for c in p.children()] == [4321]


def test_kernel_thread_and_zombie_from_fixture(proc_root: Path) -> None:
    k = Process(2)
    assert k.name == "kthreadd" and k.command == "kthreadd"
    assert k.args == () and k.argc == 0  # a kernel thread never had an argv
    for attr in ("env", "exe", "cwd"):
        with pytest.raises(psi.AttrNotAvailableError, match=f"pid 2: {attr}"):
            getattr(k, attr)
    z = Process(4321)
    assert z.status == psi.process.PROC_STATUS_ZOMBIE
    assert z.parent == Process(1234)
    for attr in ("args", "exe", "cwd"):
        assert getattr(z, attr, "missing") == "missing"


def test_table_from_fixture(proc_root: Path) -> None:
    table = ProcessTable()
    assert table.pids == (2, 1234, 4321)
    p = table[1234]
    # The listing takes the effective uid from the owner of /proc/PID.
    assert p.euid == os.stat(proc_root / "1234").st_uid
    assert p.ruid == 1001  # read on first access, from status
    assert p.args == ("prog", "--flag", "value with space")
    assert p.env["B"] == "two words"  # read on first access
    assert p.rss == 1280 * PAGE


def test_thread_table_leaves_out_processes_without_tasks(proc_root: Path) -> None:
    # 1234 gets two tasks; 2 and 4321 have no task/ directory (as if reaped
    # between the listings), 999 no readable stat: left out, not raised.
    task = proc_root / "1234" / "task"
    task.mkdir()
    (task / "1234").mkdir()
    (task / "1234" / "stat").write_text((proc_root / "1234" / "stat").read_text())
    (task / "1240").mkdir()
    (task / "1240" / "stat").write_text(stat_line(1240, "worker", "R", ppid=1, num_threads=3, starttime=5100))
    every = psi.process.ThreadTable()
    assert every.tids == (1234, 1240)
    assert every[1240].pid == 1234 and every[1240].name == "worker"
    assert every[1240].status == psi.process.PROC_STATUS_RUNNING
    assert every[1234].name == "x) (y"
    with pytest.raises(psi.NoSuchProcessError):
        psi.process.ThreadTable(4321)


def test_refresh_notices_pid_reuse(proc_root: Path) -> None:
    p = Process(1234)
    stat = proc_root / "1234" / "stat"
    stat.write_text(stat.read_text().replace(" 5000 ", " 5001 "))
    with pytest.raises(psi.NoSuchProcessError):
        p.refresh()
    assert not p.exists()
    assert Process(1234) != p


def test_reused_pid_is_not_a_parent(proc_root: Path) -> None:
    # 4321's parent 1234 "started" after it: pid reuse, so no parent.
    stat = proc_root / "1234" / "stat"
    stat.write_text(stat.read_text().replace(" 5000 ", " 7000 "))
    assert Process(4321).parent is None


@pytest.mark.parametrize(
    "letter, constant, name",
    [
        ("R", "RUNNING", "running"),
        ("S", "SLEEPING", "sleeping"),
        ("D", "DISKSLEEP", "disk-sleep"),
        ("T", "STOPPED", "stopped"),
        ("t", "TRACINGSTOP", "tracing-stop"),
        ("Z", "ZOMBIE", "zombie"),
        ("X", "DEAD", "dead"),
        ("x", "DEAD", "dead"),
        ("I", "IDLE", "idle"),
        ("P", "PARKED", "parked"),
        ("K", "WAKEKILL", "wake-kill"),
        ("W", "WAKING", "waking"),
        ("Q", "UNKNOWN", None),
    ],
)
def test_status_letters(proc_root: Path, letter: str, constant: str, name: str) -> None:
    write_process(proc_root, 3000, stat_line(3000, "st", letter, ppid=1, starttime=10))
    p = Process(3000)
    assert p.status == getattr(psi.process, "PROC_STATUS_" + constant)
    if name is not None:
        assert psi.process.status_name(p.status) == name
        assert psi.process.status_letter(p.status) == ("X" if letter == "x" else letter)
    else:
        assert isinstance(psi.process.status_name(p.status), str)
    assert psi.process.PROC_STATUS_PAGING == psi.process.PROC_STATUS_WAKING


def test_status_functions_reject_unknown_values() -> None:
    with pytest.raises(ValueError):
        psi.process.status_name(12345)
    with pytest.raises(TypeError):
        psi.process.status_letter("R")  # type: ignore[arg-type]


GIL_SCRIPT = r"""
import os, threading
import psi
root = os.environ["PSI_PROCFS"]
under = root.rstrip("/") + "/"
seen = threading.Event()
done = threading.Event()
def read_tables():
    for _ in range(5000):
        if seen.is_set():
            break
        psi.process.ProcessTable()
    done.set()
reader = threading.Thread(target=read_tables)
reader.start()
# A file under root/PID is open only while the reader is inside its C++
# read (the root directory itself stays open in the System). This thread
# runs Python, so it can see such a descriptor only if the reader released
# the GIL for the read; holding it, the reader would leave this thread
# nothing but the moments between two tables, when no such file is open.
while not done.is_set() and not seen.is_set():
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue
        if target.startswith(under):
            seen.set()
            break
reader.join()
print("seen" if seen.is_set() else "never")
"""


def test_gil_is_released_while_reading(proc_root: Path) -> None:
    import subprocess
    import sys

    # More processes: more time inside each read. (A FIFO no longer serves:
    # reads never block now, see test_hostile.py.)
    for pid in range(2000, 2200):
        write_process(proc_root, pid, stat_line(pid, "filler", "S", ppid=1), cmdline=b"filler\0" * 50)
    out = subprocess.run([sys.executable, "-c", GIL_SCRIPT], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "seen"


def test_start_beyond_datetime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A start time no datetime can hold (a damaged or fake proc):
    start_time is still the exact TimeSpec, start_datetime has no value
    (AttrNotAvailableError, an AttributeError), nothing crashes."""
    root = tmp_path / "proc"
    root.mkdir()
    write_process(root, 77, stat_line(77, "far", "S", ppid=1, starttime=2**64 - 1))
    (root / "stat").write_text("cpu 0 0 0 0\nbtime 1700000000\n")
    monkeypatch.setenv("PSI_PROCFS", str(root))
    p = Process(77)
    ticks = 2**64 - 1
    assert p.start_time == psi.boottime() + psi.TimeSpec(ticks // HZ, (ticks % HZ) * 10**9 // HZ)
    with pytest.raises(psi.AttrNotAvailableError, match="start_datetime"):
        p.start_datetime
    assert getattr(p, "start_datetime", None) is None
