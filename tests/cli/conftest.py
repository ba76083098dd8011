"""Fixtures of the psi-ps suite.

The oracle is the system: procps `ps` (4.0.x here), the os and pwd modules
and /proc read directly. Nothing here asks psi for an expected value.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Iterator, List

import pytest

from .hostile_zoo import load as _load_module
from .psips_compare import (REPO, WEIRD_ARG, WEIRD_CODE, WEIRD_NAME, WeirdProcess, proc_pids, procps_version,
                             SLEEPER_ARGV, die_with_parent)


def _find_psi_ps() -> str:
    """PSI_PS, else psi-ps on PATH, else a build directory of this tree."""
    env = os.environ.get("PSI_PS")
    if env:
        return env
    found = shutil.which("psi-ps")
    if found:
        return found
    for cand in [REPO / "build" / "test" / "src" / "cli" / "psi-ps", REPO / "build" / "src" / "cli" / "psi-ps"]:
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    pytest.fail("psi-ps not found: set PSI_PS, put it on PATH, or build into build/", pytrace=False)


@pytest.fixture(scope="session")
def psi_ps() -> str:
    return _find_psi_ps()


@pytest.fixture(scope="session")
def procps() -> str:
    """Skips byte-for-byte comparisons unless `ps` is procps-ng 4.0.x, the
    version whose layout psi-ps reproduces (4.0.4 widened VSZ, for one)."""
    version = procps_version()
    if not version.startswith("4.0."):
        pytest.skip(f"procps-ng 4.0.x needed as the oracle, found {version or 'none'}")
    return version


class SleeperPool:
    """Sleeping children started by this suite, and only those."""

    def __init__(self) -> None:
        self.children: List[subprocess.Popen[bytes]] = []

    def spawn(self, n: int) -> None:
        for _ in range(n):
            self.children.append(subprocess.Popen(SLEEPER_ARGV, stdin=subprocess.DEVNULL,
                                                  preexec_fn=die_with_parent))

    def top_up(self, total: int) -> None:
        while len(proc_pids()) < total:
            self.spawn(total - len(proc_pids()) + 10)

    def kill_all(self) -> None:
        for c in self.children:
            c.kill()
        for c in self.children:
            c.wait()


@pytest.fixture(scope="session")
def sleeper_pool() -> Iterator[SleeperPool]:
    pool = SleeperPool()
    try:
        pool.spawn(50)  # tests use these as processes that do not change
        yield pool
    finally:
        pool.kill_all()


@pytest.fixture
def many_processes(sleeper_pool: SleeperPool) -> List[int]:
    """At least 1000 processes on the machine, as bench/run.py measures: sleepers
    are added (before each test: other processes may have ended) until /proc
    lists 1000 pids (and some to spare: comparisons only count processes that
    lived through three commands). Returns the sleepers' pids; the first 50
    always exist."""
    sleeper_pool.top_up(1050)
    return [c.pid for c in sleeper_pool.children]


@pytest.fixture(scope="session")
def weird_process() -> Iterator[WeirdProcess]:
    """A Python child that renames itself with prctl(PR_SET_NAME) and was
    started with a hostile argument."""
    # The valid wide character comes first: after the first byte that cannot
    # start a UTF-8 character, ps (libproc2) escapes the rest byte by byte.
    argv = [os.fsencode(sys.executable), b"-c", WEIRD_CODE.encode(), "中".encode(), WEIRD_NAME, WEIRD_ARG]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        yield WeirdProcess(proc, argv)
    finally:
        proc.kill()
        proc.wait()


_zoo = _load_module("psi_hostile_zoo", REPO / "tests" / "cli" / "hostile_zoo.py")


@pytest.fixture(scope="session", autouse=True)
def hostile_zoo() -> Iterator[object]:
    """Hostile processes (odd titles, empty argv, a zombie, a stopped
    process, a 1 MiB command line, a deep chain...) alive for the whole
    session: every comparison with ps must hold with them around
    (hostile_zoo.py; PSI_TEST_ZOO=0 turns it off)."""
    zoo = _zoo.acquire()
    try:
        yield zoo
    finally:
        if zoo is not None:
            _zoo.release()
