"""psi-ps's issue-12 stat and status columns byte for byte against procps
`ps` (tests/cli/procps_depth_fields.py has their formats), and the groups
each reads (strace).

The child holds still (blocked in a pipe read) with known signal
dispositions, a blocked and pending signal, a real-time signal caught (a
bit above 32, which the narrow columns show as '<'), and, as root, saved
ids and supplementary groups of its own. Its counters then do not move
between the two listings; pid 1 and this process's parent are compared on
the id and mask columns only (their faults may move).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator, List, Set

import pytest

from .procps_depth_fields import FIELDS
from .psips_compare import clean_env
from .test_cli_misc import _opened

CHILD = r"""
import os, signal, sys
if os.geteuid() == 0:
    os.setgroups([4, 24, 27, 65534])
    os.setresgid(0, 0, 2)
    os.setresuid(0, 0, 1)
signal.signal(signal.SIGUSR1, lambda *a: None)
signal.signal(40, lambda *a: None)
signal.signal(signal.SIGURG, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
os.kill(os.getpid(), signal.SIGUSR2)
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.read()
"""

STATUS_COLUMNS = (
    "maj_flt min_flt drs trs size svuid svgid fuid fgid fuser fgroup suid sgid supgid supgrp "
    "blocked pending ignored caught sig sigmask sigcatch sigignore"
).split()
SIGNALS = "blocked pending ignored caught sig sigmask sigcatch sigignore".split()
STABLE = [c for c in STATUS_COLUMNS if c not in ("maj_flt", "min_flt", "drs", "trs", "size", "pending", "sig")]


@pytest.fixture(scope="module")
def child() -> Iterator[int]:
    p = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline() == "ready\n"
    yield p.pid
    assert p.stdin is not None
    p.stdin.close()
    p.wait()


def both(psi_ps: str, args: List[str], **env: str) -> "tuple[str, str]":
    e = clean_env(**env)
    mine = subprocess.run([psi_ps, *args], capture_output=True, text=True, env=e, check=True).stdout
    theirs = subprocess.run(["ps", *args], capture_output=True, text=True, env=e, check=True).stdout
    return mine, theirs


def test_headers_are_procps(psi_ps: str, procps: str, child: int) -> None:
    for col in STATUS_COLUMNS:
        mine, theirs = both(psi_ps, ["-o", col, "-p", str(child)])
        assert mine.splitlines()[0] == theirs.splitlines()[0], col
        assert mine.splitlines()[0].strip() == FIELDS[col].header


@pytest.mark.parametrize("col", STATUS_COLUMNS)
def test_each_column_matches_ps(psi_ps: str, procps: str, child: int, col: str) -> None:
    # first, middle and last position: widths, justification, cuts.
    for fmt in (f"{col},pid", f"pid,{col},comm", f"pid,comm,{col}"):
        mine, theirs = both(psi_ps, ["-o", fmt, "-p", str(child)])
        assert mine == theirs, fmt


@pytest.mark.parametrize("columns", ["10", "20", "25", "26", "40", "60", "200"])
def test_signal_width_follows_the_line_room(psi_ps: str, procps: str, child: int, columns: str) -> None:
    # ps widens every signal column to 16 digits when the line has room
    # for 7 more cells per signal column; else 8 digits, '<' above 32.
    for fmt in ("pid,blocked,comm", "pid,comm,blocked", "pid,user,blocked", "blocked,pid",
                "pid,blocked,pending,caught,pid", "comm,sigmask,sigcatch,sigignore,sig"):
        mine, theirs = both(psi_ps, ["-o", fmt, "-p", str(child)], COLUMNS=columns)
        assert mine == theirs, (fmt, columns)


def test_stable_columns_of_several_processes(psi_ps: str, procps: str, child: int) -> None:
    pids = ",".join(str(p) for p in (1, os.getppid(), os.getpid(), child))
    for chunk in (STABLE[:8], STABLE[8:]):
        mine, theirs = both(psi_ps, ["-o", "pid," + ",".join(chunk), "-p", pids])
        assert mine == theirs, chunk


def test_values_are_the_childs(psi_ps: str, child: int) -> None:
    # Independent of procps: the values the child set, from /proc.
    out = subprocess.run([psi_ps, "-o", "caught=,ignored=,blocked=,pending=", "-p", str(child)],
                         capture_output=True, text=True, env=clean_env(), check=True).stdout.split()
    status = dict(line.split(":\t", 1) for line in Path(f"/proc/{child}/status").read_text().splitlines()
                  if ":\t" in line)
    assert [int(x, 16) for x in out] == [int(status[k], 16) for k in ("SigCgt", "SigIgn", "SigBlk", "ShdPnd")]
    if os.geteuid() == 0:
        ids = subprocess.run([psi_ps, "-o", "svuid=,svgid=,supgid=", "-p", str(child)],
                             capture_output=True, text=True, env=clean_env(), check=True).stdout.split()
        assert ids == ["1", "2", "4,24,27,65534"]


@pytest.mark.parametrize(
    "fields, reads, never",
    [
        ("pid,maj_flt,min_flt,drs,trs", {"stat"}, {"status", "statm", "cmdline"}),
        ("pid,svuid,fgid,supgid,blocked,caught,size", {"status"}, {"statm", "cmdline", "environ"}),
        ("pid,fuser,supgrp", {"status"}, {"statm", "cmdline"}),
    ],
)
def test_reads_only_its_groups(psi_ps: str, tmp_path: Path, fields: str, reads: Set[str], never: Set[str]) -> None:
    kinds = _opened(psi_ps, ["-e", "-o", fields], tmp_path)
    for kind in reads:
        assert kinds[kind] > 10, f"{fields}: expected reads of {kind}, saw {dict(kinds)}"
    for kind in never:
        assert kinds[kind] == 0, f"{fields}: read {kind} ({kinds[kind]} times)"
