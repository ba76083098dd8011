"""Issue 12's io, fds, smaps, oom and limits groups in Python, each against
an oracle: the /proc file read here, psutil, os, resource.prlimit and a
child doing a known amount of I/O. The children are quiet (blocked on a
pipe) while compared, so their values cannot move between two reads."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest

import psi
from psi.process import Process, ProcessTable

from _psi_helpers import in_unprivileged_child

psutil = pytest.importorskip("psutil")

# The child: answers each line read from stdin by doing one step, then one
# write of b"ok\n" to stdout (one write call of 3 bytes: counted too).
CHILD = r"""
import os, sys
f = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
keep = [os.open(sys.argv[1], os.O_RDONLY) for _ in range(5)]
os.lseek(keep[0], 7, os.SEEK_SET)
os.write(1, b"ok\n")
while True:
    line = os.read(0, 64)
    if not line:
        break
    n = int(line)
    os.write(f, b"x" * n)
    os.write(1, b"ok\n")
"""


class Child:
    def __init__(self, tmp: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp / "out")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.pid = self.proc.pid
        self._wait_ok()

    def _wait_ok(self) -> None:
        assert self.proc.stdout is not None
        assert self.proc.stdout.read(3) == b"ok\n"

    def write(self, n: int) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"%d\n" % n)
        self.proc.stdin.flush()
        self._wait_ok()

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def child(tmp_path: Path) -> Iterator[Child]:
    c = Child(tmp_path)
    yield c
    c.close()


def proc_io(pid: int) -> Dict[str, int]:
    text = Path(f"/proc/{pid}/io").read_text()
    return {k: int(v) for k, v in (line.split(": ") for line in text.splitlines())}


def test_io_counters_match_the_file_and_psutil(child: Child) -> None:
    io = Process(child.pid).io_counters
    f = proc_io(child.pid)
    assert type(io).__name__ == "IoCounters" and isinstance(io, tuple)
    assert io == (f["syscr"], f["syscw"], f["read_bytes"], f["write_bytes"], f["rchar"], f["wchar"],
                  f["cancelled_write_bytes"])
    ps = psutil.Process(child.pid).io_counters()
    assert (io.read_count, io.write_count, io.read_bytes, io.write_bytes) == ps[:4]
    assert (io.read_chars, io.write_chars) == (ps.read_chars, ps.write_chars)
    assert isinstance(io, psi._core.IoCounters)


def test_io_counters_count_a_known_write(child: Child) -> None:
    before = Process(child.pid).io_counters
    child.write(123457)
    after = Process(child.pid).io_counters
    # One write of the data and one of b"ok\n".
    assert after.write_chars - before.write_chars == 123457 + 3
    assert after.write_count - before.write_count == 2


def test_num_fds_matches_listdir_and_psutil(child: Child) -> None:
    n = Process(child.pid).num_fds
    assert n == len(os.listdir(f"/proc/{child.pid}/fd"))
    assert n == psutil.Process(child.pid).num_fds()
    assert n >= 3 + 6  # stdio, the output file and five more descriptors of it


def test_uss_pss_match_psutil_memory_full_info(child: Child) -> None:
    p = Process(child.pid)
    full = psutil.Process(child.pid).memory_full_info()
    # A quiet child: its own pages do not change. PSS may move when another
    # process maps or unmaps a shared library page it uses meanwhile (the
    # machine is busy), so it gets a margin; USS is exact.
    assert p.uss == full.uss
    assert abs(p.pss - full.pss) <= 64 * 1024
    rollup = Path(f"/proc/{child.pid}/smaps_rollup").read_text()
    swap_pss = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("SwapPss:"))
    assert p.swap_pss == swap_pss * 1024


def test_oom_matches_the_files(child: Child) -> None:
    Path(f"/proc/{child.pid}/oom_score_adj").write_text("345\n")
    p = Process(child.pid)
    assert p.oom_score_adj == 345
    assert p.oom_score == int(Path(f"/proc/{child.pid}/oom_score").read_text())


def test_rlimits_match_prlimit(child: Child) -> None:
    resource.prlimit(child.pid, resource.RLIMIT_NOFILE, (77, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    limits = Process(child.pid).rlimits
    names = ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
             "rss", "rtprio", "rttime", "sigpending", "stack"]
    assert sorted(limits) == names
    for name in names:
        # Python's resource module has no RLIMIT_LOCKS: Linux's number is 10
        # (include/uapi/asm-generic/resource.h).
        number = getattr(resource, "RLIMIT_" + name.upper(), 10 if name == "locks" else None)
        want: Tuple[int, int] = resource.prlimit(child.pid, number)
        assert limits[name] == want, name
    assert limits["nofile"][0] == 77
    assert limits["rttime"][1] == resource.RLIM_INFINITY


def test_groups_read_only_when_asked_for(child: Child) -> None:
    # A default table never reads the depth groups; asking by name does.
    table = ProcessTable(attrs=["num_fds", "oom_score"])
    assert table[child.pid].num_fds == len(os.listdir(f"/proc/{child.pid}/fd"))



def test_another_users_io_is_insufficient_privs() -> None:
    # pid 1 belongs to root; nobody has no ptrace access to it: io, fd/ and
    # smaps_rollup are refused, oom and limits are readable by all.
    body = """
code = 0
p = Process(1)
for attr in ("io_counters", "num_fds", "uss", "pss"):
    try:
        getattr(p, attr)
        code |= 1
    except psi.AttrInsufficientPrivsError as e:
        if attr not in str(e): code |= 2
if not isinstance(p.oom_score, int) or not isinstance(p.rlimits, dict): code |= 4
"""
    if os.getuid() != 0 and os.stat("/proc/1").st_uid == os.getuid():
        pytest.skip("pid 1 is ours")
    assert in_unprivileged_child(body) == 0


def test_kernel_thread_has_no_smaps() -> None:
    p = Process(2)  # kthreadd
    if not p.name.startswith("kthreadd"):
        pytest.skip("no kthreadd in this pid namespace")
    with pytest.raises(psi.AttrNotAvailableError):
        p.uss


def test_io_rates_of_a_known_interval(child: Child) -> None:
    # Three writes (one of data, one of b"ok\n", per step) between two
    # snapshots that both read io_counters: write_ops * interval is the
    # number of write calls, whatever the interval was.
    before = ProcessTable(attrs=["io_counters"])[child.pid]
    child.write(1000)
    child.write(2000)
    after = ProcessTable(attrs=["io_counters"])[child.pid]
    r = after.since(before)
    assert r.interval > 0
    assert r.write_ops is not None and r.read_ops is not None
    assert r.write_ops * r.interval == pytest.approx(4, rel=1e-9)
    calls = after.io_counters.write_count - before.io_counters.write_count
    assert calls == 4
    assert r.write_bytes is not None and r.read_bytes is not None


def test_io_rates_are_none_without_io(child: Child) -> None:
    before = Process(child.pid)
    child.write(10)
    after = Process(child.pid)
    r = after.since(before)
    assert r.write_ops is None and r.read_bytes is None
