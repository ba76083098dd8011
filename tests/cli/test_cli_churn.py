"""psi-ps while processes are created and reaped as fast as possible
(no single process can fail a listing). Processes vanish between
the directory listing and the reads, and between one file and the next; every
listing must still exit 0 with well-formed output and each pid once."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from typing import Iterator, List

import pytest

from .psips_compare import clean_env


@pytest.fixture
def churn() -> Iterator[None]:
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            subprocess.run(["true"])

    workers = [threading.Thread(target=spin) for _ in range(2)]
    for w in workers:
        w.start()
    try:
        yield
    finally:
        stop.set()
        for w in workers:
            w.join()


def _rounds(seconds: float) -> Iterator[int]:
    """At least 8 rounds and `seconds` (a sanitized build is slower)."""
    start, n = time.monotonic(), 0
    while n < 8 or time.monotonic() - start < seconds:
        yield n
        n += 1


@pytest.mark.parametrize(
    "args",
    [
        ["-ef"],
        ["aux"],
        ["-eF", "--forest"],
        ["-e", "-o", "pid,ppid,user,ruser,rss,stat,etime,args,exe,cwd", "--threads", "4"],
        ["-e", "-o", "pid,ppid,stat,args", "--sort", "-rss", "--threads", "1"],
    ],
)
def test_listings_under_churn(psi_ps: str, churn: None, args: List[str]) -> None:
    for _ in _rounds(1.0):
        r = subprocess.run([psi_ps, *args], capture_output=True, env=clean_env(), timeout=60)
        assert r.returncode == 0 and r.stderr == b"", r.stderr.decode(errors="replace")
        header, *rows = r.stdout.decode(errors="replace").splitlines()
        col = header.split().index("PID")
        pids = [int(row.split()[col]) for row in rows]
        assert len(pids) == len(set(pids)) and len(pids) > 10


def test_json_under_churn(psi_ps: str, churn: None) -> None:
    """The JSON stays one valid document with each pid once, and the churn
    is really seen: some listings catch our short-lived children."""
    caught = 0
    for _ in _rounds(2.0):
        r = subprocess.run([psi_ps, "-e", "-o", "pid,ppid,comm,args,rss", "--json"], capture_output=True,
                           env=clean_env(), timeout=60)
        assert r.returncode == 0 and r.stderr == b"", r.stderr.decode(errors="replace")
        rows = json.loads(r.stdout)
        pids = [row["pid"] for row in rows]
        assert len(pids) == len(set(pids)) and len(pids) > 10
        for row in rows:
            assert isinstance(row["pid"], int) and (row["rss"] is None or row["rss"] >= 0)
        caught += sum(1 for row in rows if row["ppid"] == os.getpid())
    assert caught > 0
