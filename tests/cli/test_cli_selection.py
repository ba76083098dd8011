"""psi-ps's everyday selection and format options against procps ps 4.0.x.

Selection (-a -d -x -N -s -t -g -G --group --sid --tty -q, BSD g) is
checked on the set of pids each tool lists: a process that both ps runs
(before and after psi-ps) list must be in psi-ps's listing, and psi-ps may
list nothing that neither ps run listed. A session with a controlling
terminal (a pseudo-terminal we open) gives -a, -d and -t something to
tell apart: its leader (a shell) and two non-leaders (sleeps).
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import time
from typing import Iterator, List, Sequence, Set

import pytest

from .psips_compare import assert_like_ps, clean_env, ps_and_ours, run

pytestmark = pytest.mark.usefixtures("procps")


class TerminalSession:
    """A shell that leads its own session on a pseudo-terminal, with two
    sleeping children on the same terminal."""

    def __init__(self) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # child: session leader, the pty is its controlling terminal
            os.execvp("sh", ["sh", "-c", "sleep 600 & sleep 600 & wait"])
        self.leader, self.fd = pid, fd
        self.tty = self._slave_name()
        deadline = time.monotonic() + 20
        while len(self.children()) < 2:
            assert time.monotonic() < deadline, "the terminal session did not start"
            time.sleep(0.02)

    def _slave_name(self) -> str:
        # The leader's stdin is the slave side: /proc/PID/fd/0 names it.
        deadline = time.monotonic() + 20
        while True:
            try:
                name = os.readlink(f"/proc/{self.leader}/fd/0")
                if name.startswith("/dev/pts/"):
                    return name
            except OSError:
                pass
            assert time.monotonic() < deadline, "no terminal for the session"
            time.sleep(0.02)

    def children(self) -> List[int]:
        try:
            with open(f"/proc/{self.leader}/task/{self.leader}/children") as f:
                return [int(x) for x in f.read().split()]
        except OSError:
            return []

    def close(self) -> None:
        for pid in [*self.children(), self.leader]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(self.leader, 0)
        os.close(self.fd)


@pytest.fixture(scope="module")
def session() -> Iterator[TerminalSession]:
    s = TerminalSession()
    try:
        yield s
    finally:
        s.close()


def pid_set(argv: Sequence[str]) -> Set[int]:
    out, _ = run([*argv, "-o", "pid="], clean_env(), rc=(0, 1))
    return {int(x) for x in out.split()}


def assert_same_selection(psi_ps: str, args: Sequence[str]) -> Set[int]:
    """The pid sets of ps, psi-ps, ps with the same selection. Retried: a
    process may change state (or exit) between two runs on a busy machine;
    a selection bug fails every attempt."""
    problems: List[str] = []
    for _ in range(3):
        before = pid_set(["ps", *args])
        ours = pid_set([psi_ps, *args])
        after = pid_set(["ps", *args])
        # Short-lived processes (the tools themselves, their shells) come
        # and go between the runs: only judge what ps saw both times.
        missing = (before & after) - ours
        # One psi-ps listed that neither ps run did: wrong, unless it has
        # exited since or a third ps run now agrees (it changed meanwhile).
        extra = {p for p in ours - (before | after) if os.path.exists(f"/proc/{p}")}
        if extra:
            extra -= pid_set(["ps", *args])
        problems = []
        if missing:
            problems.append(f"missing {sorted(missing)[:10]}")
        if extra:
            problems.append(f"extra {sorted(extra)[:10]}")
        if not problems:
            return ours
    raise AssertionError(f"psi-ps {' '.join(args)} selects differently from ps: " + "; ".join(problems))


@pytest.mark.parametrize(
    "args",
    [["-a"], ["-d"], ["-x"], ["-N"], ["-a", "-N"], ["-d", "-N"], ["-e", "-N"], ["-p", "1", "-N"], ["--deselect", "-p", "1"],
     ["-t", "-"], ["-t", "?"], ["-g", "root"], ["-G", "root"], ["--group", "0"], ["--Group", "root"], ["-s", "1"],
     ["g"], ["ag"], ["-q", "1,2"], ["--quick-pid", "1"], ["-q", "1", "-e"], ["-q", "1", "x"]],
)
def test_selection_like_ps(psi_ps: str, session: TerminalSession, args: List[str]) -> None:
    assert_same_selection(psi_ps, args)


def test_terminal_session_selections(psi_ps: str, session: TerminalSession) -> None:
    """-a: on a terminal, not a session leader; -d: not a leader; -t: on
    that terminal; -s / -g with a number: that session. Known answers."""
    kids = set(session.children())
    tty = session.tty
    sid = str(session.leader)
    assert kids <= assert_same_selection(psi_ps, ["-a"])
    assert session.leader not in assert_same_selection(psi_ps, ["-a"])
    d = assert_same_selection(psi_ps, ["-d"])
    assert kids <= d and session.leader not in d
    for sel in (["-t", tty], ["-t", tty[len("/dev/"):]], ["-t", tty[len("/dev/pts/"):]], ["--tty", tty]):
        assert assert_same_selection(psi_ps, sel) == kids | {session.leader}
    for sel in (["-s", sid], ["--sid", sid], ["-g", sid]):
        assert assert_same_selection(psi_ps, sel) == kids | {session.leader}
    assert not (kids & assert_same_selection(psi_ps, ["-t", tty, "-N"]))


@pytest.mark.parametrize(
    "words",
    [["-c"], ["-fc"], ["-lc"], ["-Fc"], ["-P"], ["-lP"], ["-jc"], ["-O", "comm"], ["-O", "ppid,nice", "-o", "pid"],
     ["a", "-f"], ["a", "-l"], ["a", "-j"], ["e"], ["e", "-o", "pid,comm,args"], ["e", "-f"], ["a", "-F"], ["ae", "-o", "pid,cmd"]],
)
def test_formats_like_ps(psi_ps: str, many_processes: List[int], session: TerminalSession, words: List[str]) -> None:
    """Column layouts of -c (CLS PRI), -P (PSR), -O, UNIX formats with BSD
    defaults (a BSD word: STAT and BSD TIME), and BSD e (the environment
    after the command), byte for byte on stable processes."""
    pids = [1, *many_processes[:10], session.leader, *session.children()]
    sel = ["-p", ",".join(map(str, pids))]
    # pid 1 may be busy (its TIME went 6:01 -> 6:02 between the two runs in
    # a CI run): ps_and_ours retries a mismatch.
    theirs, ours = ps_and_ours(psi_ps, [*words, *sel])
    assert len(theirs.splitlines()) >= len(pids) + 1
    assert ours == theirs


@pytest.mark.parametrize("words, key", [(["-aux"], 1), (["-x"], 0), (["-efc"], 1), (["-eO", "ppid"], 0)])
def test_whole_table_like_ps(psi_ps: str, many_processes: List[int], words: List[str], key: int) -> None:
    res = assert_like_ps(psi_ps, words, key_col=key)
    assert res.compared >= 1000


def test_environment_of_a_known_process(psi_ps: str, tmp_path: object) -> None:
    """BSD e against a process whose environment we set."""
    proc = subprocess.Popen(["sleep", "600"], env={"A": "1", "B": "x y", "C": "tab\there"})
    try:
        deadline = time.monotonic() + 20
        while not open(f"/proc/{proc.pid}/environ", "rb").read():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        ours, _ = run([psi_ps, "e", "-o", "args", "-p", str(proc.pid)], clean_env())
        theirs, _ = run(["ps", "e", "-o", "args", "-p", str(proc.pid)], clean_env())
        assert ours == theirs
        assert ours.splitlines()[1] == b"sleep 600 A=1 B=x y C=tab?here"
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    "args",
    [["-a", "x"], ["-d", "a"], ["-q", "1", "-N"], ["-q", "1", "-q", "2"], ["-q", "1", "-u", "root"], ["-o", "pid", "-O", "comm"],
     ["-t", "no-such-terminal"], ["-t", "/etc/passwd"], ["-g", "no-such-group-x"], ["-G", "no-such-group-x"],
     ["-s", "0"], ["-s", "x"]],
)
def test_refused_like_ps(psi_ps: str, args: List[str]) -> None:
    """What ps refuses psi-ps refuses: a usage error, exit status 2 with one
    line on stderr (ps prints its usage text and exits 1)."""
    theirs = subprocess.run(["ps", *args], capture_output=True, env=clean_env())
    assert theirs.returncode != 0 and theirs.stderr
    ours = subprocess.run([psi_ps, *args], capture_output=True, env=clean_env())
    assert ours.returncode == 2, ours
    assert ours.stdout == b""
    assert len(ours.stderr.splitlines()) == 1 and ours.stderr.startswith(b"psi-ps: ")


def _fixture_stat(pid: int, comm: str, state: str, sid: int) -> str:
    # proc_pid_stat(5): pid (comm) state ppid pgrp session tty_nr ... (52 fields)
    fields = {n: 0 for n in range(4, 53)}
    fields.update({4: 1, 5: pid, 6: sid, 20: 1, 22: 100})
    return f"{pid} ({comm}) {state} " + " ".join(str(fields[n]) for n in range(4, 53)) + "\n"


@pytest.fixture
def states_root(tmp_path: object) -> str:
    """A proc tree with one process in each of the states R, D, S, Z, I;
    the S one leads its session (sid == pid), the others belong to it."""
    from pathlib import Path

    root = Path(str(tmp_path)) / "proc"
    root.mkdir()
    (root / "stat").write_text("cpu 1 2 3\nbtime 1700000000\n")
    (root / "uptime").write_text("100.00 100.00\n")
    for pid, state in ((10, "R"), (11, "D"), (12, "S"), (13, "Z"), (14, "I")):
        d = root / str(pid)
        d.mkdir()
        (d / "stat").write_text(_fixture_stat(pid, f"p{state}", state, 12))
        (d / "statm").write_text("1 1 0 0 0 0 0\n")
        (d / "cmdline").write_bytes(b"")
    return str(root)


def _fixture_pids(psi_ps: str, root: str, args: Sequence[str]) -> List[int]:
    out, _ = run([psi_ps, *args, "-o", "pid="], clean_env(PSI_PROCFS=root), rc=(0, 1))
    return [int(x) for x in out.split()]


def test_running_means_r_or_d(psi_ps: str, states_root: str) -> None:
    """BSD r keeps the runnable processes: state R, and D (procps 4's
    select.c counts uninterruptible sleep as running)."""
    assert _fixture_pids(psi_ps, states_root, ["-e", "r"]) == [10, 11]
    assert _fixture_pids(psi_ps, states_root, ["-e", "r", "-N"]) == [12, 13, 14]


def test_leaders_and_negation_on_fixture(psi_ps: str, states_root: str) -> None:
    """-d leaves out the session leader (sid == pid); -N inverts; -s and -g
    select the session, -q reads only its pids."""
    assert _fixture_pids(psi_ps, states_root, ["-d"]) == [10, 11, 13, 14]
    assert _fixture_pids(psi_ps, states_root, ["-d", "-N"]) == [12]
    assert _fixture_pids(psi_ps, states_root, ["-s", "12"]) == [10, 11, 12, 13, 14]
    assert _fixture_pids(psi_ps, states_root, ["-g", "12", "-N"]) == []
    assert _fixture_pids(psi_ps, states_root, ["-q", "11,13"]) == [11, 13]
    assert _fixture_pids(psi_ps, states_root, ["-t", "-", "-p", "99"]) == [10, 11, 12, 13, 14]
