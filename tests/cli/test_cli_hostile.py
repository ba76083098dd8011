"""psi-ps against hostile input and hostile output (issue 9, CLI half).

- A 100,000-deep ppid chain in a fixture proc root: --forest, -H and BSD f
  must finish, in bounded memory, with the tree ps's algorithm draws (ps
  show_tree() and forest_helper(), procps 4.0.2 ps/display.c and output.c).
- State bytes and names a crafted proc root can hold (ESC, NUL, DEL, 0xff,
  control characters in comm, wchan and link targets): no raw control byte
  may reach the terminal, and JSON and CSV stay valid.
- Output that cannot be written (/dev/full, closed stdout) is an error,
  reported as procps ps reports it; a reader that goes away is not.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from .psips_compare import REPO, clean_env

CHAIN_DEPTH = 100_000
# Columns for the chain listings: a line holds at most this many cells, so
# 100,000 rows stay a few MB (unlimited width would draw every level).
CHAIN_COLS = 120
# Linear, not small: psi-ps needs ~120 MB for the 100,000-process chain
# (about 1.2 KB per process: the 984-byte ProcessInfo row, whose
# process-depth attributes live apart and are not read here, plus its
# strings and the layout's tree). A quadratic walk is far above this: the
# recursive walk it replaced died of SIGSEGV at 60,000 levels and its
# per-row prefix copies took 827 MB at 40,000.
MAX_RSS_KB = 200 * 1024


def _stat_line(pid: int, comm: bytes, state: bytes, ppid: int) -> bytes:
    # proc_pid_stat(5): pid (comm) state ppid pgrp session tty_nr tpgid flags
    # ... 52 fields; the rest are plain small numbers.
    rest = [ppid, pid, pid, 0, -1, 4194560] + [0] * 8 + [20, 0, 1, 0, 100 + pid, 1 << 20, 100] + [0] * 28
    assert len(rest) == 52 - 3
    return b"%d (%s) %s " % (pid, comm, state) + b" ".join(b"%d" % v for v in rest) + b"\n"


def _proc_root(base: Path) -> Path:
    root = base / "proc"
    root.mkdir()
    (root / "stat").write_text("cpu 1 2 3 4\nbtime 1700000000\n")
    (root / "uptime").write_text("1000.00 2000.00\n")
    (root / "meminfo").write_text("MemTotal: 1024000 kB\n")
    (root / "sys" / "kernel").mkdir(parents=True)
    (root / "sys" / "kernel" / "pid_max").write_text("4194304\n")
    return root


@pytest.fixture(scope="module")
def chain_root() -> Iterator[Path]:
    """pid 1 (parent 0), then pid k+1 the only child of pid k, up to
    CHAIN_DEPTH + 1: one tree as deep as the table is long. Only stat files:
    all that -o pid,ppid,comm/args, -H and f read. In RAM (/dev/shm) when
    there is one: 100,001 directories cost 2-3 s of CPU to make and as much
    to remove, several times that on a disk."""
    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(prefix="psi-chain-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    try:
        root = _proc_root(base)
        for pid in range(1, CHAIN_DEPTH + 2):
            d = f"{root}/{pid}"
            os.mkdir(d)
            fd = os.open(d + "/stat", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, _stat_line(pid, b"c%d" % pid, b"S", pid - 1))
            finally:
                os.close(fd)
        yield root
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run_measured(argv: List[str], env: Dict[str, str], timeout: int = 300) -> Tuple[int, bytes, bytes, int]:
    """Runs argv from a fresh Python whose only child it is, so that child's
    peak RSS (RUSAGE_CHILDREN, KiB on Linux) is the command's alone. Output
    goes to files: 100,000 rows through a pipe to us would measure us too."""
    code = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[1], 'wb') as out, open(sys.argv[2], 'wb') as err:\n"
        "    rc = subprocess.call(sys.argv[3:], stdout=out, stderr=err)\n"
        "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    tmp = Path(env["PSI_PROCFS"]).parent
    out_path, err_path = tmp / "out", tmp / "err"
    r = subprocess.run([sys.executable, "-c", code, str(out_path), str(err_path), *argv], capture_output=True,
                       env=env, timeout=timeout, check=True)
    rc, maxrss = (int(x) for x in r.stdout.split())
    return rc, out_path.read_bytes(), err_path.read_bytes(), maxrss


def _expected_chain_line(pid: int, kind: str, pid_width: int) -> bytes:
    """The line ps's algorithm draws for pid `pid` of the chain, with only
    a pid column before the tree column, CHAIN_COLS wide."""
    if kind == "forest":  # --forest: the children of pid 1 stay at its level
        level = max(pid - 2, 0)
        unit = 4
    else:  # -H
        level = pid - 1
        unit = 2
    room = CHAIN_COLS - pid_width - 1  # the last column runs to the edge
    shown = min(level, room // unit)  # forest_helper() drops a level that does not fit whole
    if kind == "forest":
        # Every row is an only child: ' ' for each ancestor level, 'L'
        # (" \\_ ") for its own.
        art = "".join(" \\_ " if i == level - 1 else "    " for i in range(shown))
    else:
        art = "  " * shown
    name = f"c{pid}"[: room - len(art)]
    return f"{pid:>{pid_width}} {art}{name}".encode()


@pytest.mark.parametrize("kind, args", [("forest", ["-e", "--forest"]), ("H", ["-e", "-H"])])
def test_deep_chain_forest_is_linear(psi_ps: str, chain_root: Path, kind: str, args: List[str]) -> None:
    env = clean_env(PSI_PROCFS=str(chain_root), COLUMNS=str(CHAIN_COLS), LC_ALL="C")
    rc, out, err, maxrss = _run_measured([psi_ps, *args, "-o", "pid,comm"], env)
    assert rc == 0, (rc, err[-2000:])
    assert maxrss < MAX_RSS_KB, f"psi-ps used {maxrss} KiB for a {CHAIN_DEPTH}-deep chain"
    lines = out.split(b"\n")
    assert lines.pop() == b""
    assert lines[0] == b"    PID COMMAND"
    rows = lines[1:]
    # Every process exactly once, in the order of the walk (down the chain).
    assert [int(r.split()[0]) for r in rows] == list(range(1, CHAIN_DEPTH + 2))
    for pid in (1, 2, 3, 4, 5, 30, 31, 32, 33, 1000, CHAIN_DEPTH + 1):
        assert rows[pid - 1] == _expected_chain_line(pid, kind, 7), pid
    # And all of them (cheap: the expected line is a formula).
    bad = [pid for pid in range(1, CHAIN_DEPTH + 2) if rows[pid - 1] != _expected_chain_line(pid, kind, 7)]
    assert not bad, (bad[:5], rows[bad[0] - 1])


def test_deep_chain_bsd_f(psi_ps: str, chain_root: Path) -> None:
    """BSD axf (args column, tree art) over the chain: all rows, bounded."""
    env = clean_env(PSI_PROCFS=str(chain_root), COLUMNS=str(CHAIN_COLS), LC_ALL="C")
    rc, out, err, maxrss = _run_measured([psi_ps, "axf"], env)
    assert rc == 0, (rc, err[-2000:])
    assert maxrss < MAX_RSS_KB
    rows = out.splitlines()[1:]
    assert len(rows) == CHAIN_DEPTH + 1
    assert [int(r.split()[0]) for r in rows] == list(range(1, CHAIN_DEPTH + 2))
    # Rows are cut at the screen edge; the deepest ones are all art.
    assert all(len(r) <= CHAIN_COLS for r in rows)
    assert rows[2].endswith(b" \\_ [c3]")
    # The deepest rows are art up to the edge: whole levels, then what is
    # left of the name.
    assert rows[-1].split(b" 0:00 ", 1)[1].startswith(b"    " * 20)


def test_deep_chain_json_and_sort(psi_ps: str, chain_root: Path) -> None:
    """--json keeps the tree order; --sort inside the forest does too."""
    env = clean_env(PSI_PROCFS=str(chain_root), LC_ALL="C")
    rc, out, err, maxrss = _run_measured([psi_ps, "-e", "--forest", "--sort=-pid", "-o", "pid,ppid", "--json"], env)
    assert rc == 0, err[-2000:]
    assert maxrss < MAX_RSS_KB
    rows = json.loads(out)
    assert [r["pid"] for r in rows] == list(range(1, CHAIN_DEPTH + 2))


# --- Output that cannot be written -------------------------------------------


def _ps_write_error(redirect: str) -> Tuple[int, bytes]:
    """procps ps's own behaviour on the same redirection (the oracle)."""
    r = subprocess.run(["sh", "-c", f"exec ps -p 1 -o pid {redirect}"], capture_output=True, env=clean_env())
    return r.returncode, r.stderr


@pytest.mark.parametrize("redirect, message", [(">/dev/full", "No space left on device"), (">&-", "Bad file descriptor")])
@pytest.mark.parametrize("args", [["-ef"], ["-e", "--json"], ["-e", "--csv"], ["--help"], ["L"], ["-p", "99999999"]])
def test_write_error_is_reported(psi_ps: str, redirect: str, message: str, args: List[str]) -> None:
    """ps: "ps: write error: <strerror>" on stderr and status 1; psi-ps the
    same with its own name, whatever it was printing (a listing, help, a
    header alone)."""
    r = subprocess.run(["sh", "-c", f'exec "$0" "$@" {redirect}', psi_ps, *args], capture_output=True, env=clean_env())
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == f"psi-ps: write error: {message}".encode()
    ps_rc, ps_err = _ps_write_error(redirect)
    if ps_err.startswith(b"ps: "):  # procps here: the same words, the same status
        assert ps_rc == 1 and ps_err == b"ps: write error: " + message.encode() + b"\n"


def _closed_pipe_run(argv: List[str], sigpipe: str, env: Optional[Dict[str, str]] = None) -> Tuple[int, bytes]:
    """Runs argv writing into a pipe whose reader has gone, with SIGPIPE at
    its default or ignored (as a Python parent or `trap '' PIPE` leaves it)."""
    r, w = os.pipe()
    os.close(r)

    def pre() -> None:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL if sigpipe == "default" else signal.SIG_IGN)

    try:
        p = subprocess.run(argv, stdout=w, stderr=subprocess.PIPE, env=env or clean_env(), preexec_fn=pre, timeout=120)
    finally:
        os.close(w)
    return p.returncode, p.stderr


@pytest.mark.parametrize("sigpipe", ["default", "ignored"])
def test_closed_pipe_is_quiet(psi_ps: str, sigpipe: str) -> None:
    """ps | head: ps ends quietly with status 0 when its reader has gone
    (its SIGPIPE handler exits 0; with SIGPIPE ignored, EPIPE is not a
    "write error" either). psi-ps does the same either way."""
    ps_rc, ps_err = _closed_pipe_run(["ps", "-ef"], sigpipe)
    rc, err = _closed_pipe_run([psi_ps, "-ef"], sigpipe)
    assert (rc, err) == (0, b"")
    assert (ps_rc, ps_err) == (0, b"")


def test_reader_leaves_mid_listing(psi_ps: str, chain_root: Path) -> None:
    """`psi-ps | head -1` over megabytes of output: the reader goes away
    after the first line; psi-ps stops quietly, status 0, promptly."""
    env = clean_env(PSI_PROCFS=str(chain_root), LC_ALL="C")
    for sigpipe in ("default", "ignored"):
        proc = subprocess.Popen(
            [psi_ps, "-e", "-o", "pid,ppid,comm"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_DFL if sigpipe == "default" else signal.SIG_IGN),
        )
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == b"    PID    PPID COMMAND\n"
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=120) == 0 and err == b"", (sigpipe, proc.returncode, err)


def _main_module_argv(psi_ps: str) -> List[str]:
    """python/psi/__main__.py of this tree, pointed at the psi-ps under test
    (no install needed; test_python_dash_m_write_errors covers an install)."""
    code = (
        "import importlib.util, sys\n"
        "from pathlib import Path\n"
        "spec = importlib.util.spec_from_file_location('psi_main', sys.argv[1])\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "program = Path(sys.argv[2])\n"
        "m._program = lambda: program\n"
        "sys.argv = ['psi', *sys.argv[3:]]\n"
        "m.main()\n"
    )
    return [sys.executable, "-c", code, str(REPO / "python" / "psi" / "__main__.py"), psi_ps]


def _installed_python_m_psi() -> Optional[List[str]]:
    probe = subprocess.run(
        [sys.executable, "-c", "import psi, os; print(os.path.dirname(psi.__file__))"], capture_output=True, text=True
    )
    if probe.returncode != 0 or not (Path(probe.stdout.strip()) / "_bin" / "psi-ps").exists():
        return None
    return [sys.executable, "-m", "psi"]


@pytest.mark.parametrize("how", ["source", "installed"])
def test_python_dash_m_write_errors(psi_ps: str, how: str) -> None:
    """python -m psi execs psi-ps: the same messages and statuses. Python
    sets a closed stdout to None and ignores SIGPIPE, which exec passes on."""
    if how == "source":
        argv = _main_module_argv(psi_ps)
    else:
        found = _installed_python_m_psi()
        if found is None:
            pytest.skip("psi is not pip-installed in this interpreter")
        argv = found
    for redirect, message in ((">/dev/full", b"No space left on device"), (">&-", b"Bad file descriptor")):
        r = subprocess.run(["sh", "-c", f'exec "$0" "$@" -ef {redirect}', *argv], capture_output=True, env=clean_env())
        assert r.returncode == 1, (redirect, r.stderr)
        assert r.stderr == b"psi-ps: write error: " + message + b"\n"
    rc, err = _closed_pipe_run([*argv, "-ef"], "default")
    assert (rc, err) == (0, b"")
    ok = subprocess.run([*argv, "-p", "1", "-o", "pid="], capture_output=True, env=clean_env())
    assert ok.returncode == 0 and ok.stdout.split() == [b"1"]


# --- Process-supplied bytes never reach the terminal raw ---------------------

# State bytes a crafted proc root can hold, by pid.
HOSTILE_STATES = {21: b"\x1b", 22: b"\x00", 23: b"\x7f", 24: b"\xff", 25: b"\x07"}
HOSTILE_COMM = b"e\x1b]0;pwn\x07\x9b2J\r\x7fz"  # OSC title, C1 CSI, CR, DEL
HOSTILE_PATH = "/tmp/\x1b[31mred\n\x7f\x01dir"


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _proc_root(tmp_path_factory.mktemp("hostile"))

    def add(pid: int, comm: bytes, state: bytes, ppid: int, wchan: bytes = b"0") -> Path:
        d = root / str(pid)
        d.mkdir()
        (d / "stat").write_bytes(_stat_line(pid, comm, state, ppid))
        (d / "statm").write_text("100 50 20 1 0 30 0\n")
        (d / "status").write_bytes(
            b"Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
            b"Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmLck:\t0 kB\nVmRSS:\t200 kB\nThreads:\t1\n" % (comm, state, pid, pid, ppid)
        )
        (d / "cmdline").write_bytes(b"")
        (d / "wchan").write_bytes(wchan)
        os.symlink(HOSTILE_PATH, d / "exe")
        os.symlink(HOSTILE_PATH, d / "cwd")
        return d

    add(1, b"init", b"S", 0)
    for pid, state in HOSTILE_STATES.items():
        add(pid, b"st%d" % pid, state, 1)
    d = add(30, HOSTILE_COMM, b"R", 1, wchan=b"do_\x1b[2J\x07wait")
    (d / "cmdline").write_bytes(b"arg0\x1b[31m\x00\x01\x02\x7f\x00\xff\xfe\x00")
    return root


def _fields(psi_ps: str) -> List[str]:
    r = subprocess.run([psi_ps, "L"], capture_output=True, check=True, env=clean_env(), timeout=60)
    return [line.split()[0].decode() for line in r.stdout.splitlines() if line.strip()]


def _raw_controls(out: bytes, line_end: bytes = b"\n") -> List[Tuple[int, int]]:
    """Offsets and values of bytes a terminal would act on: C0 controls
    (other than the line end), DEL, and C1 controls (U+0080-U+009F, which
    are 0xC2 0x80-0x9F in UTF-8, or a raw 0x80-0x9F in an 8-bit locale)."""
    text = out.replace(line_end, b"\n")
    bad = [(i, c) for i, c in enumerate(text) if (c < 0x20 and c != 0x0A) or c == 0x7F]
    bad += [(i, text[i + 1]) for i in range(len(text) - 1) if text[i] == 0xC2 and 0x80 <= text[i + 1] <= 0x9F]
    return bad


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
@pytest.mark.parametrize(
    "args",
    [["-e", "-o", "pid,s,state,stat,comm"], ["-ef"], ["-el"], ["aux"], ["axjf"], ["-eH", "-o", "pid,stat,args"],
     ["-e", "-o", "pid,wchan:40,exe,cwd,ucmd,fname,ucomm,cmd"], ["every-field"]],
)
def test_no_raw_control_bytes(psi_ps: str, hostile_root: Path, locale: str, args: List[str]) -> None:
    if args == ["every-field"]:
        args = ["-e", *[a for f in _fields(psi_ps) for a in ("-o", f)]]
    env = clean_env(PSI_PROCFS=str(hostile_root), LC_ALL=locale)
    r = subprocess.run([psi_ps, *args], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert not _raw_controls(r.stdout), r.stdout
    assert not _raw_controls(r.stderr), r.stderr
    if locale == "C":  # 8-bit locale: nothing >= 0x80 either (ps prints '?')
        assert all(c < 0x80 for c in r.stdout), r.stdout
    if "pid" in args[-1].split(",") or args[0] != "-e":  # a listing with a PID column of single-token fields before it
        header, *rows = r.stdout.splitlines()
        col = header.split().index(b"PID")
        pids = sorted(int(line.split()[col]) for line in rows)
    else:
        pids = [1, *HOSTILE_STATES, 30]
    assert pids == [1, *HOSTILE_STATES, 30]


@pytest.mark.parametrize("locale, ctrl", [("C.UTF-8", b"?"), ("C", b".")])
def test_state_bytes_escaped_like_ps_text(psi_ps: str, hostile_root: Path, locale: str, ctrl: bytes) -> None:
    """ps prints the state byte raw (pr_s/pr_stat copy it; only strings go
    through escape_str). We escape it by ps's rule for strings: in a UTF-8
    locale every control or invalid byte is '?'; in an 8-bit locale a C0
    control or DEL is '.', a byte >= 0x80 '?'. A NUL, which would end ps's
    C string, is shown as '?' so the one-cell column keeps its cell."""
    env = clean_env(PSI_PROCFS=str(hostile_root), LC_ALL=locale)
    r = subprocess.run([psi_ps, "-e", "-o", "pid,s,state,stat,ppid"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0
    got = {int(ln.split()[0]): ln.split()[1:4] for ln in r.stdout.splitlines()[1:]}
    want = {21: ctrl, 22: b"?", 23: ctrl, 24: b"?", 25: ctrl}
    for pid, letter in want.items():
        # stat adds 's': each fixture process leads its own session.
        assert got[pid] == [letter, letter, letter + b"s"], (pid, got[pid])
    assert got[1] == [b"S", b"S", b"Ss"]
    # The columns stay aligned: the header and every row are equally long.
    assert len({len(ln) for ln in r.stdout.splitlines()}) == 1


def test_hostile_json_and_csv_are_valid(psi_ps: str, hostile_root: Path) -> None:
    env = clean_env(PSI_PROCFS=str(hostile_root), LC_ALL="C.UTF-8")
    fields = "pid,s,state,stat,comm,args,wchan,exe,cwd,tty,user"
    r = subprocess.run([psi_ps, "-e", "-o", fields, "--json"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0
    assert not _raw_controls(r.stdout)
    rows = {row["pid"]: row for row in json.loads(r.stdout)}
    # JSON carries the exact bytes (surrogateescape for the invalid ones).
    for pid, state in HOSTILE_STATES.items():
        assert rows[pid]["s"].encode("utf-8", "surrogateescape") == state
        assert rows[pid]["stat"].encode("utf-8", "surrogateescape") == state + b"s"
    assert rows[30]["comm"].encode("utf-8", "surrogateescape") == HOSTILE_COMM
    assert rows[30]["exe"] == HOSTILE_PATH and rows[30]["cwd"] == HOSTILE_PATH
    assert rows[30]["wchan"].encode("utf-8", "surrogateescape") == b"do_\x1b[2J\x07wait"

    r = subprocess.run([psi_ps, "-e", "-o", fields, "--csv"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0
    assert not _raw_controls(r.stdout, line_end=b"\r\n")
    table = list(csv.DictReader(io.StringIO(r.stdout.decode("utf-8"), newline="")))
    assert sorted(int(row["pid"]) for row in table) == [1, *HOSTILE_STATES, 30]
    by_pid = {int(row["pid"]): row for row in table}
    for pid in HOSTILE_STATES:  # one '?' per hostile byte; a NUL keeps the flags after it
        assert by_pid[pid]["s"] == "?" and by_pid[pid]["stat"] == "?s", by_pid[pid]
    assert all(cell.isprintable() for row in table for cell in row.values())
