"""Helpers of the psi-ps suite; mainly comparing psi-ps with procps ps, line
by line and byte for byte.

Processes change while the two commands run (CPU time ticks, RSS moves, a
kworker renames itself, processes come and go), so a plain diff of two runs
cannot be exact on a busy machine. We run ps, then psi-ps, then ps again (a
"sandwich") and key lines by pid:

- a line that ps printed identically both times belongs to a process that
  did not change across the window: psi-ps's line must be byte-identical;
- a line that ps printed differently is volatile: each field that ps printed
  the same both times must still match exactly, and a field that moved must
  equal one of ps's two values or lie between them (numbers and durations);
  a moving text field (kworker names) is accepted;
- pids present in only some runs (and the ps / psi-ps processes themselves)
  are left out; the header line must be identical.

A text field (a name, a command line, a state) that ps itself saw change
between its two readings is accepted whatever psi-ps read in between: a
process retitling itself (setproctitle) moves faster than three commands.

Processes with unusual command names or lines (plain_process() says which,
from /proc, not from either tool) are held to a narrower rule when their
line differs: every field outside the command columns must still match, the
command columns are not compared here. How ps renders NUL padding, an empty
argv, control characters or invalid UTF-8 is each tool's own escaping and
trimming, checked by dedicated tests (test_cli_escape.py,
test_cli_hostile.py); a whole-listing comparison must not fail because some
unrelated process on the machine has such a title (issue 9 item 13; the
hostile zoo of hostile_zoo.py keeps such processes alive for every run).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple


REPO = Path(__file__).resolve().parents[2]


def procps_version() -> str:
    try:
        out = subprocess.run(["ps", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
    m = re.search(r"procps-ng\s+([0-9][0-9.]*)", out)
    return m.group(1) if m else ""


def proc_pids() -> List[int]:
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


# The session's long-lived children must outlive the longest session (a
# full suite under ASan on a loaded machine took over 15 minutes: sleepers of
# 900 s became zombies under the comparisons), and die with it: a day, and
# PR_SET_PDEATHSIG set in the child before exec (not setpriv(1), whose own
# exec of sleep would come after Popen returns: a name changing under the
# first comparison), so that a session killed outright leaves none behind.
SLEEP_SECONDS = "86400"
SLEEPER_ARGV = ["sleep", SLEEP_SECONDS]
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: SIGKILL this child when the process that forked it ends."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


# The weird process: its name and an argument hold an escape sequence, a
# newline and bytes that are not UTF-8.
WEIRD_NAME = b"c\x1b[31m\n\xffz"
WEIRD_ARG = b"arg\x1b[31m\nmore\xfe\xff tail \xc2\x85 \xe4\xb8\xad"
WEIRD_CODE = (
    "import ctypes, sys, time\n"
    "libc = ctypes.CDLL(None)\n"
    "libc.prctl(15, sys.argv[2].encode('utf-8', 'surrogateescape'), 0, 0, 0)\n"
    "libc.prctl(1, 9, 0, 0, 0)\n"  # PR_SET_PDEATHSIG, SIGKILL: ends with the session
    "sys.stdout.write('ready\\n'); sys.stdout.flush()\n"
    "time.sleep(86400)\n"
)


class WeirdProcess:
    def __init__(self, proc: subprocess.Popen[bytes], argv: List[bytes]) -> None:
        self.proc = proc
        self.pid = proc.pid
        self.argv = argv


@contextlib.contextmanager
def ready_child(argv: Sequence[str], **popen: Any) -> Iterator[int]:
    """A child that prints "ready" once it is set up; yields its pid, then
    kills and reaps it."""
    popen.setdefault("stdin", subprocess.DEVNULL)
    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, **popen)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def run(argv: Sequence[str], env: Optional[Dict[str, str]] = None, rc: Sequence[int] = (0,)) -> Tuple[bytes, int]:
    """Runs a command (in clean_env() unless env is given); returns (stdout,
    pid of the command)."""
    env = env if env is not None else clean_env()
    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode in rc, f"{argv}: exit {proc.returncode}, stderr {err!r}"
    return out, proc.pid


def clean_env(**extra: str) -> Dict[str, str]:
    """The caller's environment without COLUMNS (which sets ps's width) and
    PSI_PROCFS (which would point psi-ps at another proc root)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PSI_PROCFS")}
    env.update(extra)
    return env


_DURATION = re.compile(r"^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$")


def _number(s: bytes) -> Optional[float]:
    text = s.decode("ascii", "replace")
    try:
        return float(text)
    except ValueError:
        pass
    m = _DURATION.match(text)
    if m:
        d, h, mi, se = (int(g) if g else 0 for g in m.groups())
        return ((d * 24 + h) * 60 + mi) * 60 + se
    return None


def _between(ours: bytes, a: bytes, b: bytes) -> bool:
    x, y, z = _number(ours), _number(a), _number(b)
    if x is None or y is None or z is None:
        return False
    return min(y, z) <= x <= max(y, z)


@dataclass
class Outcome:
    compared: int = 0
    exact: int = 0
    volatile: int = 0
    problems: List[str] = field(default_factory=list)
    # pids of unusual processes whose command columns differed (not compared)
    excused: List[int] = field(default_factory=list)


# Headers of the columns that show a process's own name or command line
# (ARGUMENTS: test_header_overrides' own header for args).
TEXT_HEADERS = (b"COMMAND", b"CMD", b"ARGUMENTS")


def _printable_ascii(data: bytes) -> bool:
    return all(0x20 <= c < 0x7F for c in data)


def plain_process(pid: int) -> bool:
    """True when ps and psi-ps show this process's name and command line
    the same by definition, read from /proc (neither tool is asked): the
    name and the command line printable ASCII once ps's own rules are
    applied (trailing NULs dropped, the other NULs shown as blanks: a
    setproctitle title padded with NULs or blanks is plain, and an empty
    argv, shown as "?", too), or no command line at all (kernel threads,
    zombies: "[name]"). A process that is gone, or unreadable, is not
    plain."""
    try:
        with open(f"/proc/{pid}/comm", "rb") as f:
            comm = f.read()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read()
    except OSError:
        return False
    if not comm.endswith(b"\n") or not _printable_ascii(comm[:-1]):
        return False
    return _printable_ascii(cmdline.rstrip(b"\0").replace(b"\0", b" "))


def _split(line: bytes, ncols: int, right: bool = False) -> List[bytes]:
    """Fields of a line; only the last (or, from the right, the first)
    field may hold spaces (args, comm)."""
    return line.rsplit(None, ncols - 1) if right else line.split(None, ncols - 1)


def is_kernel_thread(pid: int) -> bool:
    """PF_KTHREAD in /proc/PID/stat's flags (include/linux/sched.h)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return False
    fields = data[data.rindex(b")") + 2 :].split()
    return bool(int(fields[6]) & 0x00200000)


def _close_enough(x: bytes, y: bytes, z: bytes) -> bool:
    """A number (or duration) that moved: within ps's two readings, widened
    by 10 % + 2 because psi-ps ran at a third moment (a young process's C
    or %CPU swings widely, memory can go up and down)."""
    vx, vy, vz = _number(x), _number(y), _number(z)
    if vx is None or vy is None or vz is None:
        return False
    slack = 0.1 * max(abs(vy), abs(vz)) + 2
    return min(vy, vz) - slack <= vx <= max(vy, vz) + slack


_STATE = re.compile(rb"^[RSDTtZXxIWKP][<NLsl+]*$")


def _wakes(pid: int) -> bool:
    """The process is switching on and off a CPU right now: its context
    switch counts (proc(5) status) move within 100 ms."""

    def switches() -> int:
        try:
            with open(f"/proc/{pid}/status", "rb") as f:
                return sum(int(ln.split()[1]) for ln in f if ln.split(b":")[0].endswith(b"ctxt_switches"))
        except (OSError, ValueError, IndexError):
            return -1

    before = switches()
    time.sleep(0.1)
    return before >= 0 and switches() != before


def _run_state_moved(pid: int, x: bytes, y: bytes, z: bytes) -> bool:
    """A ps state code whose letter is R, S or D in all three readings, the
    flags after it the same as one of ps's, of a process that keeps waking
    up: R/S/D swap within microseconds for such a process (the zoo's
    retitling one wakes every 20 ms), so psi-ps, reading between the two ps
    runs, may see R where both ps runs saw S. A sleeping process (the
    many sleepers) does not wake, so a wrong letter for it still fails."""
    if not all(_STATE.match(v) for v in (x, y, z)):
        return False
    if not (x[:1] in b"RSD" and y[:1] in b"RSD" and z[:1] in b"RSD" and x[1:] in (y[1:], z[1:])):
        return False
    return _wakes(pid)


def _field_problems(pid: int, fo: List[bytes], fa: List[bytes], fb: List[bytes], first: int = 0) -> List[str]:
    out: List[str] = []
    kthread = None
    for i, (x, y, z) in enumerate(zip(fo, fa, fb), start=first):
        if x in (y, z) or _close_enough(x, y, z):
            continue
        if _run_state_moved(pid, x, y, z):
            continue
        if y != z and (_number(y) is None or _number(z) is None):
            continue  # text ps saw change (a retitling process, a state): any reading in between
        if kthread is None:
            kthread = is_kernel_thread(pid)
        if kthread and (b"kworker" in y or b"kworker" in z):
            continue  # workqueue workers rename themselves per work item
        out.append(f"pid {pid} field {i}: ours {x!r}, ps {y!r} then {z!r}")
    return out


def _line_problems(pid: int, a: bytes, o: bytes, b: bytes, ncols: int, right: bool) -> Optional[List[str]]:
    """Problems of a line that is not identical to both ps lines; None when
    it has the values of one of them (then it must be that line)."""
    fa, fo, fb = _split(a, ncols, right), _split(o, ncols, right), _split(b, ncols, right)
    if len(fo) != len(fa) or len(fo) != len(fb):
        return [f"pid {pid}: field count:\n  ours {o!r}\n  ps   {a!r}\n  ps'  {b!r}"]
    if fo == fa or fo == fb:
        # The same values as one ps run: the bytes must be the same too.
        if o != (a if fo == fa else b):
            return [f"pid {pid}: same values, other layout:\n  ours {o!r}\n  ps   {a!r}"]
        return None
    return _field_problems(pid, fo, fa, fb)


def _problems_outside(pid: int, a: bytes, o: bytes, b: bytes, ncols: int, text_cols: Sequence[int]) -> List[str]:
    """The fields before the first and after the last command column (each
    one word; the command columns in between may hold any number of words,
    or none: an empty command line)."""
    first, last = min(text_cols), max(text_cols)
    after = ncols - 1 - last
    parts = []
    for line in (o, a, b):
        words = line.split()
        if len(words) < first + after:
            return [f"pid {pid}: too few fields:\n  ours {o!r}\n  ps   {a!r}"]
        parts.append(words[:first] + (words[len(words) - after :] if after else []))
    fo, fa, fb = parts
    return _field_problems(pid, fo, fa, fb)


def compare(
    ps1: bytes,
    ours: bytes,
    ps2: bytes,
    key_col: int,
    ignore: Sequence[int] = (),
    headers: bool = True,
    check_order: bool = False,
    ncols: Optional[int] = None,
    text_cols: Optional[Sequence[int]] = None,
) -> Outcome:
    """ncols: the number of columns, when the header does not tell (empty
    headers). text_cols: the command columns (name, command line), by
    default those headed COMMAND or CMD, else the last one."""
    l1, lo, l2 = ps1.split(b"\n"), ours.split(b"\n"), ps2.split(b"\n")
    for lines in (l1, lo, l2):
        assert lines[-1] == b"", "output must end with a newline"
        lines.pop()
    res = Outcome()
    if headers:
        assert lo[0] == l1[0], f"header differs:\n ours {lo[0]!r}\n ps   {l1[0]!r}"
        ncols = ncols or len(l1[0].split())
        l1, lo, l2 = l1[1:], lo[1:], l2[1:]
    else:
        ncols = ncols or max((len(x.split()) for x in l1), default=1)

    right = key_col < 0  # key at the end: split from the right

    def keyed(lines: List[bytes]) -> Dict[int, bytes]:
        out: Dict[int, bytes] = {}
        for ln in lines:
            parts = _split(ln, ncols, right)
            out[int(parts[key_col])] = ln
        return out

    k1, ko, k2 = keyed(l1), keyed(lo), keyed(l2)
    common = [p for p in k1 if p in ko and p in k2 and p not in ignore]
    if text_cols is None:
        header = ps1.split(b"\n", 1)[0].split() if headers else []
        text_cols = [i for i, h in enumerate(header) if h in TEXT_HEADERS] or [ncols - 1]
    for pid in common:
        a, o, b = k1[pid], ko[pid], k2[pid]
        res.compared += 1
        if o == a and o == b:
            res.exact += 1
            continue
        found = _line_problems(pid, a, o, b, ncols, right)
        if found is None:
            continue  # the same values as one ps run
        res.volatile += 1
        if found and not plain_process(pid):
            # An unusual process: the command columns are each tool's
            # escaping and trimming (tested elsewhere); the rest must match.
            found = _problems_outside(pid, a, o, b, ncols, text_cols)
            if not found:
                res.excused.append(pid)
        res.problems.extend(found)
    if check_order:
        seq1 = [p for p in k1 if p in common]
        seqo = [p for p in ko if p in common]
        if seq1 == [p for p in k2 if p in common] and seqo != seq1:
            res.problems.append("row order differs from ps's")
    return res


def ps_and_ours(psi_ps: str, args: Sequence[str], env: Optional[Dict[str, str]] = None,
                attempts: int = 5) -> Tuple[bytes, bytes]:
    """ps's and psi-ps's output of the same command, for a byte-for-byte
    comparison of processes that should not change. They still can (a busy
    pid 1's TIME, a sleeper's page reclaimed and faulted back): a mismatch
    is retried, since a layout bug differs every time. Returns the first
    equal pair, else the last."""
    env = env if env is not None else clean_env()
    theirs = ours = b""
    for _ in range(attempts):
        ours, _ = run([psi_ps, *args], env)
        theirs, _ = run(["ps", *args], env)
        if ours == theirs:
            break
    return theirs, ours


def _problem_key(problem: str) -> str:
    """What a problem is about, without the values seen: "pid 15 field 2"."""
    return problem.split(":", 1)[0]


def sandwich(psi_ps: str, args: Sequence[str], env: Optional[Dict[str, str]] = None) -> Tuple[bytes, bytes, bytes, List[int]]:
    """ps, psi-ps, ps again with the same arguments; also the pids of the
    three commands (to leave their own lines out)."""
    env = env if env is not None else clean_env()
    ps1, p1 = run(["ps", *args], env)
    ours, p2 = run([psi_ps, *args], env)
    ps2, p3 = run(["ps", *args], env)
    return ps1, ours, ps2, [p1, p2, p3]


def assert_like_ps(
    psi_ps: str,
    args: Sequence[str],
    key_col: int,
    env: Optional[Dict[str, str]] = None,
    headers: bool = True,
    check_order: bool = False,
    attempts: int = 3,
    min_exact: float = 0.5,
    ncols: Optional[int] = None,
) -> Outcome:
    """Sandwich comparison, retried: on a machine that is busy, a volatile
    process can move outside ps's two readings (memory going up then down,
    a kernel thread between I and R, a busy pid 1's TIME); a real
    formatting bug fails every attempt. So only a problem (a pid and what
    differs in it) found in every attempt fails the test."""
    res = Outcome()
    recurring: Optional[set[str]] = None
    for _ in range(attempts):
        ps1, ours, ps2, own = sandwich(psi_ps, args, env)
        res = compare(ps1, ours, ps2, key_col, own, headers=headers, check_order=check_order, ncols=ncols)
        if not res.problems and res.exact >= min_exact * res.compared:
            break
        keys = {_problem_key(p) for p in res.problems}
        recurring = keys if recurring is None else recurring & keys
    else:
        res.problems = [p for p in res.problems if _problem_key(p) in (recurring or set())]
    assert not res.problems, f"psi-ps {' '.join(args)} differs from ps:\n" + "\n".join(res.problems[:20])
    # Most rows must really have been compared, and most of them exactly.
    assert res.compared > 0
    assert res.exact >= min_exact * res.compared, f"only {res.exact} of {res.compared} rows identical"
    return res


def run_in_pty(argv: Sequence[str], cols: int, env: Optional[Dict[str, str]] = None) -> Tuple[bytes, int]:
    """Runs a command with stdout on a pseudo-terminal `cols` wide (ps then
    cuts lines to the screen width); returns (output, pid)."""
    import fcntl
    import pty  # noqa: F401  (documents the dependency: POSIX ptys)
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST  # no "\n" -> "\r\n" translation
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(list(argv), stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO once the child closed the slave side
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks), proc.pid


def assert_like_ps_in_pty(psi_ps: str, args: Sequence[str], key_col: int, cols: int) -> Outcome:
    env = clean_env()
    res = Outcome()
    for _ in range(3):
        ps1, p1 = run_in_pty(["ps", *args], cols, env)
        ours, p2 = run_in_pty([psi_ps, *args], cols, env)
        ps2, p3 = run_in_pty(["ps", *args], cols, env)
        res = compare(ps1, ours, ps2, key_col, [p1, p2, p3])
        if not res.problems:
            break
    assert not res.problems, f"psi-ps {' '.join(args)} ({cols} columns) differs from ps:\n" + "\n".join(res.problems[:20])
    assert res.compared > 0
    return res
