"""The comparison rules of psips_compare must still catch psi-ps bugs with
the hostile zoo running (issue 9 item 13): synthetic ps / psi-ps outputs
about live processes, one rule per test."""

from __future__ import annotations

import subprocess
from typing import Any, Iterator

import pytest

from .psips_compare import compare, plain_process

HEADER = b"  PID  PPID STAT CMD\n"


def _line(pid: int, ppid: int, stat: bytes, cmd: bytes) -> bytes:
    return b"%5d %5d %-4s %s\n" % (pid, ppid, stat, cmd)


@pytest.fixture
def zoo(hostile_zoo: Any) -> Any:
    if hostile_zoo is None:
        pytest.skip("the hostile zoo is off (PSI_TEST_ZOO=0)")
    return hostile_zoo


@pytest.fixture
def plain() -> Iterator[int]:
    proc = subprocess.Popen(["sleep", "900"], stdin=subprocess.DEVNULL)
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def _run(pid: int, ps: bytes, ours: bytes, ps2: bytes) -> Any:
    return compare(HEADER + ps, HEADER + ours, HEADER + ps2, key_col=0)


def test_plain_process_must_match_exactly(plain: int) -> None:
    assert plain_process(plain)
    ps = _line(plain, 1, b"S", b"sleep 900")
    res = _run(plain, ps, _line(plain, 1, b"S", b"sleep 900 "), ps)
    assert res.problems and not res.excused


def test_odd_title_excuses_its_command_column_only(zoo: Any) -> None:
    # The weird process: a name and arguments with newlines, escapes and
    # invalid UTF-8, which each tool may show in its own way.
    pid = zoo.pids()["weird"]
    assert not plain_process(pid)
    ps = _line(pid, 1, b"S", b"python3 -c ?")
    other = _line(pid, 1, b"S", b"python3 -c ??")
    res = _run(pid, ps, other, ps)
    assert not res.problems and res.excused == [pid]
    # Any other field of the same process must still match.
    res = _run(pid, ps, _line(pid, 900, b"S", b"python3 -c ??"), ps)
    assert res.problems
    res = _run(pid, ps, _line(pid, 1, b"R", b"python3 -c ?"), ps)
    assert res.problems


def test_padded_titles_and_empty_argv_are_compared_exactly(zoo: Any) -> None:
    # psi-ps applies ps's rules to setproctitle padding and to an empty
    # argv ("?"), so these processes are compared byte for byte.
    pids = zoo.pids()
    for name, shown in (("title-nul", b"zoo: nul-padded title"), ("empty-argv", b"?")):
        pid = pids[name]
        assert plain_process(pid), name
        ps = _line(pid, 1, b"S", shown)
        res = _run(pid, ps, _line(pid, 1, b"S", shown + b" " * 40), ps)
        assert res.problems and not res.excused, name
        res = _run(pid, ps, _line(pid, 1, b"S", b""), ps)
        assert res.problems and not res.excused, name


def test_text_that_moved_under_ps_is_accepted_numbers_are_not(zoo: Any) -> None:
    pid = zoo.pids()["flap"]
    a, b = _line(pid, 1, b"S", b"zoo: flap 10"), _line(pid, 1, b"S", b"zoo: flap 30")
    assert not _run(pid, a, _line(pid, 1, b"S", b"zoo: flap 20"), b).problems
    # ps read the same text twice: a third value is a difference, even for
    # a process that retitles itself (it may not be the reason).
    assert _run(pid, a, _line(pid, 1, b"S", b"zoo: flap 20"), a).problems or not plain_process(pid)
    # A number outside ps's two readings (widened by the slack) is not accepted.
    assert _run(pid, a, _line(pid, 900, b"S", b"zoo: flap 20"), b).problems


def test_run_state_may_move_only_for_a_process_that_wakes(zoo: Any, plain: int) -> None:
    # The retitling process wakes every 20 ms: R between two S readings is
    # a reading at another moment. A sleeper that does not wake must show
    # ps's letter, and the flags after the letter must match either way.
    flap = zoo.pids()["flap"]
    ps = _line(flap, 1, b"S", b"zoo: flap 1")
    assert not _run(flap, ps, _line(flap, 1, b"R", b"zoo: flap 1"), ps).problems
    assert _run(flap, ps, _line(flap, 1, b"R+", b"zoo: flap 1"), ps).problems
    assert _run(flap, ps, _line(flap, 1, b"T", b"zoo: flap 1"), ps).problems
    ps = _line(plain, 1, b"S", b"sleep 900")
    assert _run(plain, ps, _line(plain, 1, b"R", b"sleep 900"), ps).problems
