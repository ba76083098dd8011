"""Process.thread_list() and psi.process.ThreadTable (-- w-threads) against
the named-thread program (tests/helpers/named_threads.c: threads psi-th0..2
that burned 0, 300 and 600 ms of their own CPU), /proc/PID/task, ps -L and
psutil's threads()."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

import psi
import psi.process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))
from named_threads import NamedThreads  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads are listed on Linux only")


@pytest.fixture(scope="module")
def named() -> Iterator[NamedThreads]:
    n = NamedThreads().start()
    if n is None:
        pytest.skip("no C compiler")
    yield n
    n.stop()


def _tasks(pid: int) -> list[int]:
    return sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))


def _task_state(pid: int, tid: int) -> str:
    with open(f"/proc/{pid}/task/{tid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def test_thread_list_ids_and_names(named: NamedThreads) -> None:
    proc = psi.process.Process(named.pid)
    threads = proc.thread_list()
    assert [t.tid for t in threads] == _tasks(named.pid)
    assert proc.threads == len(threads)  # Process.threads stays the count
    assert proc.tid is None and proc.tgid == named.pid
    by_tid = {t.tid: t for t in threads}
    assert by_tid[named.pid].name == "named_threads"
    for tid, (name, _) in named.threads.items():
        t = by_tid[tid]
        assert t.name == name
        assert t.pid == named.pid and t.tgid == named.pid
        # The thread's own state letter, as its task stat file shows it
        # before and after (a thread just leaving the barrier may run).
        before = _task_state(named.pid, tid)
        fresh = [x for x in proc.thread_list() if x.tid == tid][0]
        if before == _task_state(named.pid, tid):
            assert psi.process.status_letter(fresh.status) == before
        assert t.nice == 0 and t.priority == 0
        # Lazily read, from the thread: its wchan (the thread's own file).
        with open(f"/proc/{named.pid}/task/{tid}/wchan") as f:
            want = f.read()
        assert t.wchan == ("" if want == "0" else want)


def test_thread_times_like_psutil(named: NamedThreads) -> None:
    psutil = pytest.importorskip("psutil")
    oracle = {t.id: t for t in psutil.Process(named.pid).threads()}
    ours = {t.tid: t for t in psi.process.Process(named.pid).thread_list()}
    assert set(ours) == set(oracle)
    for tid, (_, burned_ms) in named.threads.items():
        # The helper burned its CPU before saying ready; nothing since: the
        # values are fixed, and both read the same clock-tick counters.
        assert float(ours[tid].utime) == pytest.approx(oracle[tid].user_time, abs=0.011)
        assert float(ours[tid].stime) == pytest.approx(oracle[tid].system_time, abs=0.011)
        assert float(ours[tid].utime) + float(ours[tid].stime) >= burned_ms / 1000 - 0.02


def test_thread_rows_like_ps(named: NamedThreads) -> None:
    out = subprocess.run(["ps", "-L", "-o", "lwp=,comm=,stat=,psr=", "-p", str(named.pid)],
                         capture_output=True, text=True, check=True).stdout
    rows = {int(line.split()[0]): line.split()[1:] for line in out.splitlines()}
    threads = psi.process.Process(named.pid).thread_list()
    for t in threads:
        if t.tid == named.pid:
            continue  # ps shows the leader with its process's values
        comm, stat, psr = rows[t.tid]
        assert t.name == comm
        assert psi.process.status_letter(t.status) == stat[0]
        # The CPU a sleeping thread last ran on does not change while it sleeps.
        assert t.processor == int(psr)


def test_thread_snapshot_is_not_its_process(named: NamedThreads) -> None:
    proc = psi.process.Process(named.pid)
    leader = [t for t in proc.thread_list() if t.tid == named.pid][0]
    assert leader.pid == proc.pid
    assert leader != proc and proc != leader
    assert len({leader, proc}) == 2
    assert "tid=" in repr(leader) and "tid=" not in repr(proc)
    assert leader.exists()
    leader.refresh()
    assert leader.tid == named.pid
    with pytest.raises(TypeError):
        leader.thread_list()


def test_thread_table_of_one_and_all(named: NamedThreads) -> None:
    one = psi.process.ThreadTable(named.pid)
    assert sorted(one) == _tasks(named.pid)
    assert one.tids == tuple(_tasks(named.pid))
    assert all(t.pid == named.pid for t in one.values())
    every = psi.process.ThreadTable()
    for tid in named.threads:
        assert every[tid].pid == named.pid
        assert every[tid].name == named.threads[tid][0]
    # Keyed by tid: every process's leader is there under its pid.
    assert every[os.getpid()].tid == os.getpid()
    with pytest.raises(TypeError):
        every[1] = every[os.getpid()]  # type: ignore[index]


def test_thread_table_gone_process() -> None:
    proc = subprocess.Popen(["true"])
    proc.wait()
    with pytest.raises(psi.NoSuchProcessError):
        psi.process.ThreadTable(proc.pid)


# -- the security label (Group::label) --
def test_label_is_attr_current() -> None:
    pid = os.getpid()
    try:
        with open(f"/proc/{pid}/attr/current", "rb") as f:
            want = f.read().rstrip(b"\n\0").decode()
    except OSError as e:
        want = None
        errno_ = e.errno
    proc = psi.process.Process(pid)
    if want:
        assert proc.label == want
    else:
        # No security module: EINVAL, the attribute is not available.
        with pytest.raises(psi.AttrNotAvailableError):
            proc.label
        assert want is not None or errno_ is not None


# -- x-threads: faults and context switches of thread rows --
def _task_faults(pid: int, tid: int) -> tuple[int, int]:
    """(minflt, majflt): /proc/PID/task/TID/stat fields 10 and 12."""
    with open(f"/proc/{pid}/task/{tid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[7]), int(rest[9])


def _task_switches(pid: int, tid: int) -> tuple[int, int]:
    """(voluntary, nonvoluntary) from /proc/PID/task/TID/status."""
    vals = {}
    with open(f"/proc/{pid}/task/{tid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"):
                vals[key] = int(value)
    return vals["voluntary_ctxt_switches"], vals["nonvoluntary_ctxt_switches"]


@pytest.mark.parametrize("how", ["thread_list", "thread_list_status", "ThreadTable"])
def test_thread_faults_and_context_switches(named: NamedThreads, how: str) -> None:
    """Each thread's own counters (task/TID/stat and status), read between
    two reads of the files: they only grow. The helper's threads are all
    asleep, so the window is tight in practice, but not assumed."""
    tids = _tasks(named.pid)
    before = {t: (_task_faults(named.pid, t), _task_switches(named.pid, t)) for t in tids}
    if how == "thread_list":  # status read lazily, from each thread
        rows = psi.process.Process(named.pid).thread_list()
        got = {t.tid: ((t.minor_faults, t.major_faults), (t.voluntary_ctxt_switches, t.involuntary_ctxt_switches))
               for t in rows}
    elif how == "thread_list_status":  # both groups up front
        rows = psi.process.Process(named.pid).thread_list(
            attrs=["minor_faults", "major_faults", "voluntary_ctxt_switches", "involuntary_ctxt_switches"])
        got = {t.tid: ((t.minor_faults, t.major_faults), (t.voluntary_ctxt_switches, t.involuntary_ctxt_switches))
               for t in rows}
    else:
        table = psi.process.ThreadTable(named.pid)
        got = {tid: ((t.minor_faults, t.major_faults), (t.voluntary_ctxt_switches, t.involuntary_ctxt_switches))
               for tid, t in table.items()}
    after = {t: (_task_faults(named.pid, t), _task_switches(named.pid, t)) for t in tids}
    assert sorted(got) == tids
    for t in tids:
        for k in range(2):
            for j in range(2):
                assert before[t][k][j] <= got[t][k][j] <= after[t][k][j], (t, k, j)
    # The named threads' own counts, not the process's: the process's
    # minor faults add up every thread's (and those of ended threads), so
    # a thread row holding the process's count would break this sum.
    proc = psi.process.Process(named.pid)
    assert sum(got[t][0][0] for t in tids) <= proc.minor_faults
    assert got[named.pid][0][0] < proc.minor_faults or len(tids) == 1 or all(
        got[t][0][0] == 0 for t in tids if t != named.pid)


def test_process_context_switches_are_the_leaders() -> None:
    """status is per task: a process's context switches are its leader
    thread's (as psutil's num_ctx_switches reads them), not a sum."""
    pid = os.getpid()
    before = _task_switches(pid, pid)
    proc = psi.process.Process(pid)
    got = (proc.voluntary_ctxt_switches, proc.involuntary_ctxt_switches)
    leader = [t for t in proc.thread_list() if t.tid == pid][0]
    lgot = (leader.voluntary_ctxt_switches, leader.involuntary_ctxt_switches)
    after = _task_switches(pid, pid)
    for k in range(2):
        assert before[k] <= got[k] <= lgot[k] <= after[k]
