"""System figures: psi.cpu_times, cpu_percent, memory, swap, pressure,
cgroup_limits, effective_cpu_count, against /proc files read here, procps
free(1), psutil and os.sched_getaffinity."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

import psi

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux figures")


def _meminfo() -> Dict[str, int]:
    out = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, _, rest = line.partition(":")
        out[key] = int(rest.split()[0])
    return out


def _between(v: float, a: float, b: float, slack: float = 0) -> bool:
    return min(a, b) - slack <= v <= max(a, b) + slack


# ---- cpu_percent: pure --------------------------------------------------


def _t(user: float, nice: float, system: float, idle: float, iowait: float, guest: float = 0.0) -> psi.CpuTimes:
    return psi.CpuTimes(user, nice, system, idle, iowait, 0.0, 0.0, 0.0, guest, 0.0)


def test_cpu_percent_shares() -> None:
    p = psi.cpu_percent(_t(100, 0, 100, 100, 100, 5), _t(130, 0, 110, 150, 110, 15))
    assert p.user == pytest.approx(30)
    assert p.idle == pytest.approx(50)
    assert p.iowait == pytest.approx(10)
    assert p.guest == pytest.approx(10)  # inside user, not in the total
    assert p.busy == pytest.approx(40)


def test_cpu_percent_no_time_is_zero_and_backwards_is_zero() -> None:
    t = _t(1, 2, 3, 4, 5)
    assert psi.cpu_percent(t, t) == psi.CpuPercent(*([0.0] * 11))
    p = psi.cpu_percent(_t(0, 0, 0, 0, 50), _t(10, 0, 0, 10, 40))
    assert p.iowait == 0.0
    assert p.busy == pytest.approx(50)


# ---- live ---------------------------------------------------------------


def _stat_rows(percpu: bool) -> List[List[int]]:
    rows = []
    for line in Path("/proc/stat").read_text().splitlines():
        key, *vals = line.split()
        if not key.startswith("cpu"):
            continue
        if (key != "cpu") == percpu:
            rows.append([int(v) for v in vals])
    return rows


@linux_only
@pytest.mark.parametrize("percpu", [False, True])
def test_cpu_times_between_stat_reads(percpu: bool) -> None:
    hz = os.sysconf("SC_CLK_TCK")
    before = _stat_rows(percpu)
    got = psi.cpu_times(percpu=percpu)
    after = _stat_rows(percpu)
    rows = got if isinstance(got, list) else [got]
    if not (len(before) == len(rows) == len(after)):
        pytest.skip("a CPU went on- or offline meanwhile")
    for b, g, a in zip(before, rows, after):
        assert isinstance(g, psi.CpuTimes)
        # user, nice, system, idle only grow (iowait may not: not bracketed).
        for i in range(4):
            assert b[i] / hz <= g[i] + 1e-9 and g[i] <= a[i] / hz + 1e-9, (i, b[i], g[i], a[i])


@linux_only
def test_cpu_times_close_to_psutil() -> None:
    psutil = pytest.importorskip("psutil")
    ours = psi.cpu_times()
    theirs = psutil.cpu_times()
    # Both read /proc/stat moments apart; the idle/user counters of all CPUs
    # together advance by at most (number of CPUs) x (elapsed seconds). A
    # second of slack for a busy machine's scheduling delay between the reads.
    slack = float(os.cpu_count() or 1) * 1.0
    for name in ("user", "nice", "system", "idle", "steal", "guest", "guest_nice"):
        assert abs(getattr(ours, name) - getattr(theirs, name)) <= slack, name


def _free_mem() -> List[int]:
    # Without LD_PRELOAD: procps tools hang with the sanitizer runtimes
    # preloaded (the ASan run of this suite preloads them into Python).
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    out = subprocess.run(["free", "-b", "-w"], capture_output=True, text=True, check=True, timeout=60,
                         env={**env, "LC_ALL": "C"}).stdout
    for line in out.splitlines():
        if line.startswith("Mem:"):
            return [int(v) for v in line.split()[1:]]
    raise AssertionError(out)


@linux_only
@pytest.mark.skipif(shutil.which("free") is None, reason="procps free not installed")
def test_memory_matches_free() -> None:
    names = ["total", "used", "free", "shared", "buffers", "cached", "available"]
    # free runs twice around our read, a few ms each; allocations by other
    # processes meanwhile are bounded by 1% of total on this kind of
    # machine. A formula error is a whole field (buffers, SReclaimable,
    # MemFree v MemAvailable): it fails all three attempts.
    errors: List[str] = []
    for _ in range(3):
        before = _free_mem()
        if len(before) != 7:
            pytest.skip("free has no -w here")
        m = psi.memory()
        after = _free_mem()
        assert m.total == before[0]
        slack = m.total / 100
        errors = [f"{n}={getattr(m, n)} not in {b}..{a}" for n, b, a in zip(names, before, after)
                  if not _between(getattr(m, n), b, a, slack)]
        if not errors:
            break
    assert not errors, errors
    assert m.used + m.available == m.total


@linux_only
def test_memory_and_swap_vs_meminfo_and_psutil() -> None:
    mi = _meminfo()
    m = psi.memory()
    assert m.total == mi["MemTotal"] * 1024
    s = psi.swap()
    assert s.total == mi["SwapTotal"] * 1024
    assert s.used + s.free == s.total
    psutil = pytest.importorskip("psutil")
    assert psutil.virtual_memory().total == m.total
    ps = psutil.swap_memory()
    assert ps.total == s.total
    # psutil's sin/sout are the same pswpin/pswpout x page size: counters
    # that only grow, so ours (read first) is at most psutil's.
    assert s.sin <= ps.sin and s.sout <= ps.sout


@linux_only
def test_pressure() -> None:
    pdir = Path("/proc/pressure")
    if not pdir.is_dir():
        with pytest.raises(psi.AttrNotAvailableError):
            psi.pressure()
        return
    before = (pdir / "cpu").read_text()
    p = psi.pressure()
    after = (pdir / "cpu").read_text()
    assert p.cpu is not None

    def total(text: str) -> float:
        return int(text.split("total=")[1].split()[0]) / 1e6

    assert total(before) - 1e-6 <= p.cpu.some.total <= total(after) + 1e-6
    for res in (p.cpu, p.memory, p.io):
        if res is None:
            continue
        for line in (res.some, res.full):
            if line is not None:
                assert all(0.0 <= v <= 100.0 and not math.isnan(v) for v in line[:3])


@linux_only
def test_cgroup_limits_and_effective_cpus() -> None:
    affinity = len(os.sched_getaffinity(0))
    path = None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        if line.startswith("0::"):
            path = line[3:]
    try:
        lim = psi.cgroup_limits()
    except psi.AttrNotAvailableError:
        assert psi.effective_cpu_count() == affinity
        return
    assert lim.path == path
    assert Path(lim.mount).is_dir()
    expect = min(affinity, lim.cpu_limit) if lim.cpu_limit is not None else affinity
    assert psi.effective_cpu_count() == expect
    if lim.cpu_quota is not None:
        assert lim.cpu_period and lim.cpu_limit == -(-lim.cpu_quota // lim.cpu_period)
    own = Path(lim.mount + ("" if path == "/" else str(path)))
    if lim.memory_controller and (own / "memory.current").exists():
        assert lim.memory_current is not None and lim.memory_current > 0


def test_types_exported() -> None:
    for name in ("cpu_times", "cpu_percent", "memory", "swap", "pressure", "cgroup_limits",
                 "effective_cpu_count", "CpuTimes", "CpuPercent", "Memory", "Swap", "Pressure",
                 "CgroupLimits"):
        assert name in psi.__all__ and hasattr(psi, name)


# ---- fixture proc root ($PSI_PROCFS): known answers ---------------------


@linux_only
def test_fixture_root_known_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "stat").write_text("cpu  200 0 100 700 0 0 0 0 0 0\ncpu0 200 0 100 700 0 0 0 0 0 0\n")
    (tmp_path / "meminfo").write_text(
        "MemTotal: 1000 kB\nMemFree: 200 kB\nMemAvailable: 600 kB\nBuffers: 10 kB\n"
        "Cached: 300 kB\nSReclaimable: 40 kB\nShmem: 5 kB\nSlab: 60 kB\nActive: 250 kB\n"
        "Inactive: 150 kB\nSwapTotal: 500 kB\nSwapFree: 400 kB\n"
    )
    (tmp_path / "vmstat").write_text("pswpin 2\npswpout 3\n")
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "cgroup").write_text("1:cpu:/\n")  # v1 only
    monkeypatch.setenv("PSI_PROCFS", str(tmp_path))
    hz = os.sysconf("SC_CLK_TCK")
    assert psi.cpu_times().user == pytest.approx(200 / hz)
    assert psi.cpu_percent(psi.CpuTimes(*([0.0] * 10)), psi.cpu_times()).busy == pytest.approx(30)
    m = psi.memory()
    assert (m.total, m.used, m.cached) == (1000 * 1024, 400 * 1024, 340 * 1024)
    s = psi.swap()
    assert (s.used, s.sin, s.sout) == (100 * 1024, 2 * os.sysconf("SC_PAGE_SIZE"), 3 * os.sysconf("SC_PAGE_SIZE"))
    with pytest.raises(psi.AttrNotAvailableError):
        psi.pressure()  # no pressure/ directory: a kernel without PSI
    with pytest.raises(psi.AttrNotAvailableError):
        psi.cgroup_limits()
    assert psi.effective_cpu_count() == len(os.sched_getaffinity(0))
