"""Issue 12's stat extras and status-group attributes of psi.Process,
against their oracles: the /proc files read here, the os module (the child
sets its own ids, affinity and signal dispositions) and psutil.

The child blocks on a pipe read after setting everything up, so its
counters and masks hold still while both sides read them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest

psi_process = pytest.importorskip("psi.process")
psutil = pytest.importorskip("psutil")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc oracles")

CHILD = r"""
import os, signal, sys
if os.geteuid() == 0:
    os.setgroups([4, 24, 27])
    os.setresgid(0, 0, 2)       # real, effective, saved
    os.setresuid(0, 0, 1)       # saved uid 1: stays root, saved differs
signal.signal(signal.SIGUSR1, lambda *a: None)   # caught
signal.signal(signal.SIGUSR2, signal.SIG_IGN)    # ignored
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])
cpus = sorted(os.sched_getaffinity(0))
os.sched_setaffinity(0, cpus[:1])
# a grandchild that burns CPU, waited for: children's times and faults
pid = os.fork()
if pid == 0:
    x = 0
    for i in range(3_000_000):
        x += i
    bytearray(8 << 20)
    os._exit(0)
os.waitpid(pid, 0)
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def child() -> Iterator[int]:
    p = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline() == "ready\n"
    yield p.pid
    assert p.stdin is not None
    p.stdin.close()
    p.wait()


def status_of(pid: int) -> Dict[str, str]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def stat_fields(pid: int) -> list:
    data = Path(f"/proc/{pid}/stat").read_bytes()
    return [b"", b"", b""] + data[data.rindex(b")") + 2 :].split()  # index = field number - 1 + 1


def kb(value: str) -> int:
    return int(value.split()[0]) * 1024


def test_stat_extras_match_the_stat_file(child: int) -> None:
    p = psi_process.Process(child)
    f = stat_fields(child)
    hz = os.sysconf("SC_CLK_TCK")
    assert p.minor_faults == int(f[10])
    assert p.children_minor_faults == int(f[11])
    assert p.major_faults == int(f[12])
    assert p.children_major_faults == int(f[13])
    assert p.children_utime.float() == pytest.approx(int(f[16]) / hz)
    assert p.children_stime.float() == pytest.approx(int(f[17]) / hz)
    assert p.children_minor_faults > 0  # the waited-for grandchild touched 8 MiB


def test_children_times_match_psutil(child: int) -> None:
    p = psi_process.Process(child)
    t = psutil.Process(child).cpu_times()
    assert p.children_utime.float() == pytest.approx(t.children_user, abs=0.011)
    assert p.children_stime.float() == pytest.approx(t.children_system, abs=0.011)


def test_status_memory_matches_the_status_file(child: int) -> None:
    p = psi_process.Process(child)
    s = status_of(child)
    pairs = {"rss_peak": "VmHWM", "vsz_peak": "VmPeak", "swap": "VmSwap", "rss_anon": "RssAnon",
             "rss_file": "RssFile", "rss_shmem": "RssShmem", "data_size": "VmData", "stack_size": "VmStk",
             "text_size": "VmExe", "lib_size": "VmLib", "page_tables": "VmPTE"}
    for attr, line in pairs.items():
        assert getattr(p, attr) == kb(s[line]), attr


def test_memory_matches_psutil(child: int) -> None:
    p = psi_process.Process(child)
    full = psutil.Process(child).memory_full_info()
    assert p.swap == full.swap
    # psutil's text/lib/data come from statm (pages), psi's from status
    # (the file itself is the oracle above); here swap (psutil: smaps) and
    # the peak, which is never below the resident size now.
    assert p.rss_peak >= full.rss  # VmHWM is the peak of what statm shows now


def test_context_switches_match_psutil(child: int) -> None:
    p = psi_process.Process(child)
    c = psutil.Process(child).num_ctx_switches()
    assert (p.voluntary_ctxt_switches, p.involuntary_ctxt_switches) == (c.voluntary, c.involuntary)


def test_ids_match_what_the_child_set(child: int) -> None:
    p = psi_process.Process(child)
    s = status_of(child)
    uids = [int(x) for x in s["Uid"].split()]
    gids = [int(x) for x in s["Gid"].split()]
    assert (p.suid, p.fsuid, p.sgid, p.fsgid) == (uids[2], uids[3], gids[2], gids[3])
    assert p.supplementary_groups == tuple(int(g) for g in s["Groups"].split())
    ps_uids = psutil.Process(child).uids()
    assert (p.ruid, p.euid, p.suid) == (ps_uids.real, ps_uids.effective, ps_uids.saved)
    if os.geteuid() == 0:
        assert (p.suid, p.sgid) == (1, 2)
        assert p.supplementary_groups == (4, 24, 27)
    import grp
    import pwd

    def user(uid: int) -> str:
        try:
            return pwd.getpwuid(uid).pw_name
        except KeyError:
            return str(uid)

    def group(gid: int) -> str:
        try:
            return grp.getgrgid(gid).gr_name
        except KeyError:
            return str(gid)

    assert (p.suser, p.fsuser, p.sgroup, p.fsgroup) == (user(uids[2]), user(uids[3]), group(gids[2]), group(gids[3]))


def test_signal_sets(child: int) -> None:
    import signal

    p = psi_process.Process(child)
    s = status_of(child)
    assert p.sigmask == int(s["SigBlk"], 16)
    assert p.sigpending == int(s["ShdPnd"], 16)
    assert p.sigignore == int(s["SigIgn"], 16)
    assert p.sigcatch == int(s["SigCgt"], 16)
    assert p.sigmask & (1 << (signal.SIGHUP - 1))
    assert p.sigcatch & (1 << (signal.SIGUSR1 - 1))
    assert p.sigignore & (1 << (signal.SIGUSR2 - 1))


def test_ns_pid_and_affinity(child: int) -> None:
    p = psi_process.Process(child)
    assert p.ns_pid == int(status_of(child)["NSpid"].split()[-1])
    assert p.cpu_affinity == tuple(sorted(os.sched_getaffinity(child)))
    assert p.cpu_affinity == tuple(psutil.Process(child).cpu_affinity())
    assert len(p.cpu_affinity) == 1
    me = psi_process.Process(os.getpid())
    assert me.ns_pid == os.getpid() or len(status_of(os.getpid())["NSpid"].split()) > 1


def test_table_reads_only_the_asked_groups(child: int) -> None:
    t = psi_process.ProcessTable(attrs=["voluntary_ctxt_switches", "minor_faults"])
    assert child in t
    p = t[child]
    assert p.voluntary_ctxt_switches == psutil.Process(child).num_ctx_switches().voluntary


def test_kernel_thread_has_no_memory() -> None:
    p = psi_process.Process(2)  # kthreadd
    try:
        assert p.rss_peak == 0 and p.data_size == 0
    except psi_process.AttrInsufficientPrivsError:  # pragma: no cover - hardened kernels
        pytest.skip("no access to pid 2")
