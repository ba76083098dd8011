"""Rates between snapshots (p2.since(p1), t2.since(t1)), snapshot instants
and psi.process.Sampler.

CPU figures are compared with an oracle over the same interval: the child's
utime + stime read from /proc/PID/stat by the test right after each
snapshot, never with a fixed "100 +- 5" (other work may share the CPUs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, List, Tuple

import pytest

import psi
from psi.process import Process, ProcessRates, ProcessTable, Sampler, TableRates

HZ = os.sysconf("SC_CLK_TCK")
TOL = 4 / HZ  # a few ticks: the oracle reads a moment after psi
BURN = [sys.executable, "-c", "while True: pass"]
# hashlib releases the GIL on large buffers: two threads can use two CPUs.
BURN2 = [sys.executable, "-c", textwrap.dedent("""
    import hashlib, threading
    data = bytes(1 << 20)
    def burn():
        while True:
            hashlib.sha256(data).digest()
    threading.Thread(target=burn, daemon=True).start()
    burn()
""")]


def oracle_seconds(pid: int) -> float:
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / HZ  # fields 14 and 15


def measure(pid: int, gap: float) -> Tuple[ProcessRates, float]:
    """(rates, oracle CPU seconds) over `gap` seconds."""
    p1 = Process(pid)
    o1 = oracle_seconds(pid)
    time.sleep(gap)
    p2 = Process(pid)
    o2 = oracle_seconds(pid)
    return p2.since(p1), o2 - o1


def psi_seconds(r: ProcessRates) -> float:
    assert r.cpu_percent is not None
    return r.cpu_percent * r.interval / 100


def test_burner_matches_oracle(spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(BURN)
    time.sleep(0.1)
    r, oracle = measure(child.pid, 0.5)
    assert r.pid == child.pid
    assert r.interval > 0.4
    assert psi_seconds(r) == pytest.approx(oracle, abs=TOL)
    assert psi_seconds(r) <= r.interval + TOL  # one thread, at most one CPU
    assert r.cpu_percent_normalized == pytest.approx(r.cpu_percent / os.sysconf("SC_NPROCESSORS_ONLN"))


def test_two_threads_can_exceed_one_cpu(spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn(BURN2)
    time.sleep(0.2)
    r, oracle = measure(child.pid, 0.7)
    assert psi_seconds(r) == pytest.approx(oracle, abs=TOL)
    if oracle > r.interval + TOL:  # the scheduler gave it more than one CPU
        assert r.cpu_percent is not None and r.cpu_percent > 100


def test_sleeper_is_zero(sleeper) -> None:  # type: ignore[no-untyped-def]
    r, oracle = measure(sleeper.pid, 0.3)
    assert psi_seconds(r) <= 2 / HZ
    assert psi_seconds(r) == pytest.approx(oracle, abs=TOL)


def test_process_instants() -> None:
    m0, w0 = time.monotonic(), time.time()
    p = Process(os.getpid())
    m1, w1 = time.monotonic(), time.time()
    assert m0 <= p.read_monotonic <= m1
    assert w0 - 0.01 <= float(p.read_at) <= w1 + 0.01
    p2 = Process(os.getpid())
    assert p2.read_monotonic > p.read_monotonic
    old = p.read_monotonic
    p.refresh()
    assert p.read_monotonic > old


def test_table_instants() -> None:
    m0 = time.monotonic()
    t = ProcessTable()
    m1 = time.monotonic()
    assert m0 <= t.read_monotonic <= m1
    assert isinstance(t.read_at, psi.TimeSpec)
    for p in t.values():
        assert t.read_monotonic <= p.read_monotonic <= m1


def test_same_instant_has_no_rate() -> None:
    p = Process(os.getpid())
    r = p.since(p)
    assert r.interval == 0
    assert r.cpu_percent is None and r.cpu_percent_normalized is None
    # The counters psi does not read yet are None too.
    assert r.read_bytes is None and r.minor_faults is None and r.voluntary_ctx_switches is None


def test_since_errors(sleeper) -> None:  # type: ignore[no-untyped-def]
    me = Process(os.getpid())
    other = Process(sleeper.pid)
    with pytest.raises(ValueError):
        me.since(other)
    with pytest.raises(TypeError):
        me.since(os.getpid())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ProcessTable().since({})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ProcessTable().since(me)  # type: ignore[arg-type]


def test_table_since_appeared_disappeared(spawn) -> None:  # type: ignore[no-untyped-def]
    gone = spawn([sys.executable, "-c", "import time; time.sleep(60)"])
    t1 = ProcessTable()
    gone.kill()
    gone.wait()
    came = spawn([sys.executable, "-c", "import time; time.sleep(60)"])
    t2 = ProcessTable()
    r = t2.since(t1)
    assert isinstance(r, TableRates)
    assert r.interval == pytest.approx(t2.read_monotonic - t1.read_monotonic)
    assert gone.pid in {p.pid for p in r.disappeared}
    assert came.pid in {p.pid for p in r.appeared}
    assert os.getpid() in r and r[os.getpid()].cpu_percent is not None
    assert all(p.pid not in r for p in r.appeared)
    # Every rate is the process's own: a common pid with both rows.
    for pid, rate in r.items():
        assert pid in t1 and pid in t2 and rate.pid == pid
        assert rate.cpu_percent is None or rate.cpu_percent >= 0


def write_proc(root: Path, pid: int, start: int, utime: int, comm: str = "p") -> None:
    d = root / str(pid)
    d.mkdir(exist_ok=True)
    fields = {n: 0 for n in range(4, 53)}
    fields.update({4: 1, 5: pid, 6: pid, 8: -1, 14: utime, 15: 0, 20: 1, 22: start})
    (d / "stat").write_text(f"{pid} ({comm}) S " + " ".join(str(fields[n]) for n in range(4, 53)) + "\n")


@pytest.fixture
def proc_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "proc"
    root.mkdir()
    (root / "uptime").write_text("100.00 100.00\n")
    write_proc(root, 10, 1000, 100)
    write_proc(root, 20, 1000, 100)
    write_proc(root, 30, 1000, 100)
    monkeypatch.setenv("PSI_PROCFS", str(root))
    yield root


def churn(root: Path) -> None:
    write_proc(root, 10, 1000, 300)  # +2 s of CPU
    write_proc(root, 20, 5000, 900, "new")  # pid 20 reused: never a rate
    for f in (root / "30").iterdir():
        f.unlink()
    (root / "30").rmdir()
    write_proc(root, 40, 1000, 0)


@pytest.mark.parametrize("reader", ["table", "sampler"])
def test_pid_reuse_never_mixes(proc_root: Path, reader: str) -> None:
    sampler = Sampler()
    take = sampler.sample if reader == "sampler" else ProcessTable
    t1 = take()
    time.sleep(0.002)
    churn(proc_root)
    t2 = take()
    r = t2.since(t1)
    assert sorted(r) == [10]
    assert sorted((p.pid, p.jiffies) for p in r.appeared) == [(20, 5000), (40, 1000)]
    assert sorted((p.pid, p.jiffies) for p in r.disappeared) == [(20, 1000), (30, 1000)]
    dt = t2[10].read_monotonic - t1[10].read_monotonic
    assert r[10].interval == pytest.approx(dt)
    assert r[10].cpu_percent == pytest.approx((200 / HZ) / dt * 100, rel=1e-6)
    with pytest.raises(ValueError):
        t2[20].since(t1[20])  # the same pid, another process


def test_sampler_same_as_fresh(proc_root: Path) -> None:
    s = Sampler()
    for _ in range(2):
        a, b = s.sample(), ProcessTable()
        assert sorted(a) == sorted(b)
        for pid in a:
            for attr in ("ppid", "name", "status", "utime", "stime", "start_time", "nice", "vsz", "jiffies"):
                assert getattr(a[pid], attr) == getattr(b[pid], attr)
    assert s.open_handles == 3


def sample_then_kill_one(
    spawn: Callable[..., "subprocess.Popen[bytes]"],
) -> Tuple[List["subprocess.Popen[bytes]"], Sampler, ProcessTable]:
    """Three sleeping children sampled, then the first killed and reaped."""
    kids = [spawn([sys.executable, "-c", "import time; time.sleep(60)"]) for _ in range(3)]
    s = Sampler()
    t1 = s.sample()
    assert all(k.pid in t1 for k in kids)
    kids[0].kill()
    kids[0].wait()
    return kids, s, t1


def test_sampler_live(spawn) -> None:  # type: ignore[no-untyped-def]
    kids, s, t1 = sample_then_kill_one(spawn)
    t2 = s.sample()
    assert kids[0].pid not in t2
    assert kids[1].pid in t2 and t2[kids[1].pid].ppid == os.getpid()
    assert t2[kids[1].pid].start_time == Process(kids[1].pid).start_time
    r = t2.since(t1)
    assert kids[0].pid in {p.pid for p in r.disappeared}
    assert r[kids[1].pid].cpu_percent is not None
    # Lazy attributes still work on sampled rows.
    assert t2[os.getpid()].args


def test_resample_reads_the_same_processes(proc_root: Path) -> None:
    s = Sampler()
    t1 = s.sample()
    time.sleep(0.002)
    churn(proc_root)
    t2 = s.resample()
    # 20 names another process now, 30 is gone, 40 is new: only 10 is re-read.
    assert sorted(t2) == [10]
    r = t2.since(t1)
    assert sorted(r) == [10] and list(r.appeared) == []
    assert sorted((p.pid, p.jiffies) for p in r.disappeared) == [(20, 1000), (30, 1000)]
    dt = t2[10].read_monotonic - t1[10].read_monotonic
    assert r[10].cpu_percent == pytest.approx((200 / HZ) / dt * 100, rel=1e-6)
    t3 = s.sample()  # lists anew: finds 20's new process and 40
    assert sorted((p.pid, p.jiffies) for p in t3.values()) == [(10, 1000), (20, 5000), (40, 1000)]
    t4 = s.resample()
    assert sorted(t4) == [10, 20, 40] and t4[20].name == "new"


def test_resample_live(spawn) -> None:  # type: ignore[no-untyped-def]
    kids, s, t1 = sample_then_kill_one(spawn)
    late = spawn(["sleep", "60"])
    t2 = s.resample()
    assert kids[0].pid not in t2 and late.pid not in t2
    assert set(t2) <= set(t1)
    for k in kids[1:]:
        assert t2[k.pid].start_time == Process(k.pid).start_time
        assert t2[k.pid].ppid == os.getpid()
    r = t2.since(t1)
    assert kids[0].pid in {p.pid for p in r.disappeared}
    assert list(r.appeared) == []
    assert late.pid in s.sample()


def test_sampler_low_fd_limit() -> None:
    # A child with a 64-descriptor hard limit: the sampler keeps few open
    # and still lists every process.
    code = textwrap.dedent("""
        import os, resource, psi.process as pp
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
        s = pp.Sampler()
        for _ in range(3):
            t = s.sample()
        listed = sum(1 for n in os.listdir("/proc") if n.isdigit())
        assert s.open_handles <= 32, s.open_handles
        assert len(t) + 50 >= listed and len(t) > 40, (len(t), listed)
        assert os.getpid() in t
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (64, 64)
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_churn_never_raises() -> None:
    stop = threading.Event()

    def churner() -> None:
        while not stop.is_set():
            procs: List[subprocess.Popen[bytes]] = [
                subprocess.Popen(["sleep", "1"]) for _ in range(4)]
            for p in procs:
                p.kill()
                p.wait()

    t = threading.Thread(target=churner)
    t.start()
    try:
        s = Sampler()
        prev, sprev = ProcessTable(), s.sample()
        for _ in range(10):
            cur, scur = ProcessTable(), s.sample()
            for r in (cur.since(prev), scur.since(sprev), scur.since(prev)):
                for rate in r.values():
                    assert rate.cpu_percent is None or rate.cpu_percent >= 0
            prev, sprev = cur, scur
    finally:
        stop.set()
        t.join()



def test_read_at_of_a_table_with_other_attrs() -> None:
    # The stat attributes (identity, times) are read with any attrs=, so
    # every row has its instant, inside the table's read.
    m0 = time.monotonic()
    t = ProcessTable(attrs=["euid"])
    m1 = time.monotonic()
    assert all(m0 <= p.read_monotonic <= m1 for p in t.values())
