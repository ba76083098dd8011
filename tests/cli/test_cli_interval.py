"""psi-ps --interval: %cpu and C over an interval, not the lifetime.

The oracle is the child's utime + stime read from /proc/PID/stat right
before psi-ps starts and right after it ends: psi-ps's interval lies inside
that window, which bounds what it may report, whatever the load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List, Tuple

import pytest

from .psips_compare import clean_env

HZ = os.sysconf("SC_CLK_TCK")
TOL = 4 / HZ


def ticks(pid: int) -> float:
    text = Path(f"/proc/{pid}/stat").read_text()
    f = text[text.rindex(")") + 2:].split()
    return (int(f[11]) + int(f[12])) / HZ


def run_interval(psi_ps: str, pid: int, interval: float) -> Tuple[dict, float, float]:
    """(psi-ps's JSON row, oracle CPU seconds, window seconds)."""
    c0, w0 = ticks(pid), time.monotonic()
    out = subprocess.run([psi_ps, "--interval", str(interval), "--json", "-o", "pid,pcpu,c", "-p", str(pid)],
                         capture_output=True, text=True, env=clean_env(), check=True).stdout
    c1, w1 = ticks(pid), time.monotonic()
    rows = json.loads(out)
    assert len(rows) == 1 and rows[0]["pid"] == pid
    return rows[0], c1 - c0, w1 - w0


@pytest.fixture
def child(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    procs: List[subprocess.Popen[bytes]] = []

    def start(code: str) -> subprocess.Popen[bytes]:
        # The child says "ready" once it is doing what the test measures.
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        procs.append(p)
        assert p.stdout is not None and p.stdout.readline() == b"ready\n"
        return p

    yield start
    for p in procs:
        p.kill()
        p.wait()


def test_burner_within_oracle_bounds(psi_ps: str, child) -> None:  # type: ignore[no-untyped-def]
    p = child("print('ready', flush=True)\nwhile True: pass")
    row, oracle, window = run_interval(psi_ps, p.pid, 1)
    pct = row["pcpu"]
    # Upper: psi-ps's interval (at least 1 s) saw no more CPU than the window.
    assert pct / 100 * 1.0 <= oracle + TOL
    # Lower: outside psi-ps's interval (at most window - 1 s) a one-thread
    # burner used at most that much CPU.
    assert pct / 100 * window >= oracle - (window - 1.0) - TOL
    assert row["c"] == min(99, int(pct))


def test_sleeper_is_zero(psi_ps: str, child) -> None:  # type: ignore[no-untyped-def]
    # Burn first, then sleep: the lifetime %cpu is well above 0, the
    # interval's is 0.
    p = child("import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
              "print('ready', flush=True)\ntime.sleep(60)")
    row, oracle, _ = run_interval(psi_ps, p.pid, 0.3)
    assert oracle <= 2 / HZ
    assert row["pcpu"] <= 100 * (oracle + 2 / HZ) / 0.3
    lifetime = json.loads(subprocess.run([psi_ps, "--json", "-o", "pid,pcpu", "-p", str(p.pid)],
                                         capture_output=True, text=True, env=clean_env(), check=True).stdout)
    assert lifetime[0]["pcpu"] > row["pcpu"]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "", ".", "1e3", "3601", "0.0"])
def test_bad_interval_is_usage_error(psi_ps: str, bad: str) -> None:
    r = subprocess.run([psi_ps, "--interval", bad, "-e"], capture_output=True, text=True, env=clean_env())
    assert r.returncode == 2
    assert "invalid interval" in r.stderr


def test_interval_equals_form_and_text(psi_ps: str) -> None:
    r = subprocess.run([psi_ps, "--interval=0.1", "-o", "pid,%cpu,c,comm", "-p", str(os.getpid())],
                       capture_output=True, text=True, env=clean_env())
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["PID", "%CPU", "C", "COMMAND"]
    assert lines[1].split()[0] == str(os.getpid())


def test_churn_never_fails(psi_ps: str) -> None:
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            for p in [subprocess.Popen(["sleep", "5"]) for _ in range(4)]:
                p.kill()
                p.wait()

    t = threading.Thread(target=churn)
    t.start()
    try:
        for _ in range(3):
            r = subprocess.run([psi_ps, "--interval", "0.2", "-e", "-o", "pid,pcpu,c,comm", "--sort", "-pcpu"],
                               capture_output=True, text=True, env=clean_env())
            assert r.returncode == 0, r.stderr
    finally:
        stop.set()
        t.join()


def test_help_mentions_interval(psi_ps: str) -> None:
    out = subprocess.run([psi_ps, "--help"], capture_output=True, text=True, check=True).stdout
    assert "--interval SECONDS" in out


# -- x-resample: --watch SECONDS [--count N] --

def watch_listings(psi_ps: str, *args: str) -> List[str]:
    r = subprocess.run([psi_ps, *args], capture_output=True, text=True, env=clean_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("\n") and not r.stdout.endswith("\n\n")
    return r.stdout.split("\n\n")


def test_watch_count_listings_since_the_previous(psi_ps: str, child) -> None:  # type: ignore[no-untyped-def]
    # Burnt 0.3 s of CPU, then sleeps: the first listing shows the lifetime
    # share (well above 0, as ps), every later one the share since the
    # listing before, which the oracle bounds by the CPU the child used
    # while psi-ps ran (none, bar a tick).
    p = child("import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
              "print('ready', flush=True)\ntime.sleep(60)")
    c0 = ticks(p.pid)
    listings = watch_listings(psi_ps, "--watch", "0.2", "--count", "3", "--json", "-o", "pid,pcpu", "-p", str(p.pid))
    oracle = ticks(p.pid) - c0
    assert len(listings) == 3
    rows = [json.loads(text) for text in listings]
    assert all(len(r) == 1 and r[0]["pid"] == p.pid for r in rows)
    assert oracle <= 2 / HZ
    assert rows[0][0]["pcpu"] > 0
    for r in rows[1:]:
        # Each later interval lasts at least the 0.2 s psi-ps sleeps.
        assert r[0]["pcpu"] <= 100 * (oracle + 2 / HZ) / 0.2
        assert r[0]["pcpu"] < rows[0][0]["pcpu"]


def test_watch_text_repeats_the_header(psi_ps: str) -> None:
    listings = watch_listings(psi_ps, "--watch", "0.1", "--count", "2", "-o", "pid,%cpu,c,comm",
                              "-p", str(os.getpid()))
    assert len(listings) == 2
    for text in listings:
        lines = text.splitlines()
        assert lines[0].split() == ["PID", "%CPU", "C", "COMMAND"]
        assert [line.split()[0] for line in lines[1:]] == [str(os.getpid())]


def test_watch_with_interval_and_churn(psi_ps: str) -> None:
    # Every listing but the first compares with the one before: processes
    # come and go in between (the suite's own children, any others).
    listings = watch_listings(psi_ps, "--interval", "0.1", "--watch", "0.1", "--count", "3", "-e",
                              "-o", "pid,pcpu,c,comm", "--sort", "-pcpu")
    assert len(listings) == 3
    assert all(text.splitlines()[0].split() == ["PID", "%CPU", "C", "COMMAND"] for text in listings)


@pytest.mark.parametrize("args", [["--count", "2", "-e"], ["--watch", "0", "-e"], ["--watch", "1", "--count", "0"],
                                  ["--watch", "1", "--count", "x"]])
def test_bad_watch_is_usage_error(psi_ps: str, args: List[str]) -> None:
    r = subprocess.run([psi_ps, *args], capture_output=True, text=True, env=clean_env())
    assert r.returncode == 2


def test_help_mentions_watch(psi_ps: str) -> None:
    out = subprocess.run([psi_ps, "--help"], capture_output=True, text=True, check=True).stdout
    assert "--watch SECONDS" in out and "--count N" in out
