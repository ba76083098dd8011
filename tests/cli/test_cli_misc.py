"""Groups read per field (via strace), the caller's own terminal, python -m psi."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Counter as CounterT, List, Set

import pytest

from .psips_compare import clean_env, procps_version


def _opened(psi_ps: str, args: List[str], tmp_path: Path) -> "CounterT[str]":
    """Which per-process /proc files psi-ps touched, by kind."""
    if not shutil.which("strace"):
        pytest.skip("strace not installed")
    trace = tmp_path / "trace"
    r = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat,readlink,readlinkat", "-o", str(trace), psi_ps, *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(),
    )
    if r.returncode != 0 and b"ptrace" in r.stderr:
        pytest.skip("ptrace not permitted here")
    assert r.returncode == 0
    kinds: CounterT[str] = Counter()
    for m in re.finditer(r'"(?:/proc/)?\d+/([a-z_]+)"', trace.read_text(errors="replace")):
        kinds[m.group(1)] += 1
    return kinds


@pytest.mark.parametrize(
    "fields, reads, never",
    [
        ("pid,comm", {"stat"}, {"statm", "status", "cmdline", "environ", "exe", "cwd", "wchan"}),
        ("pid,ppid,user,rss,vsz,etime,comm", {"stat", "statm"}, {"status", "cmdline", "environ", "exe", "cwd"}),
        # stat's 'L' needs status (VmLck), which then also gives rss and the
        # ids: statm is read only for zombies (no VmRSS line).
        ("pid,ppid,user,rss,vsz,stat,etime,comm", {"stat", "status"}, {"cmdline", "environ", "exe", "cwd"}),
        ("pid,user,uid,group", set(), {"status", "statm", "cmdline", "environ"}),
        ("pid,ruser", {"status"}, {"statm", "cmdline", "environ"}),
        ("pid,args", {"cmdline"}, {"statm", "status", "environ", "exe"}),
        ("pid,exe", {"exe"}, {"statm", "status", "cmdline", "cwd"}),
        ("pid,cwd", {"cwd"}, {"statm", "status", "cmdline", "exe", "wchan"}),
        ("pid,wchan", {"wchan"}, {"statm", "status", "cmdline", "exe", "cwd"}),
    ],
)
def test_reads_only_the_groups_its_fields_need(
    psi_ps: str, tmp_path: Path, fields: str, reads: Set[str], never: Set[str]
) -> None:
    kinds = _opened(psi_ps, ["-e", "-o", fields], tmp_path)
    for kind in reads:
        assert kinds[kind] > 10, f"{fields}: expected reads of {kind}, saw {dict(kinds)}"
    for kind in never:
        assert kinds[kind] == 0, f"{fields}: read {kind} ({kinds[kind]} times)"


def _sh_in_pty(script: str) -> bytes:
    """Runs `sh -c script` with a pseudo-terminal as its controlling
    terminal and stdout; returns what it printed, with plain newlines."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("sh", ["sh", "-c", script])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).replace(b"\r\n", b"\n")


def test_own_terminal(psi_ps: str) -> None:
    """On a controlling terminal: the default selection is our euid on that
    terminal, TTY shows pts/N and stat's '+' marks the foreground group."""
    script = (
        f"sleep 30 & ps -o pid,stat,tty,comm; echo ====; {psi_ps} -o pid,stat,tty,comm; echo ====; "
        f"ps; echo ====; {psi_ps}; kill $!"
    )
    parts = _sh_in_pty(script).split(b"====\n")
    assert len(parts) == 4

    def drop(out: bytes) -> List[bytes]:  # each listing shows itself
        return [ln for ln in out.splitlines() if not ln.endswith((b" ps", b" psi-ps"))]

    ps_stat, ours_stat, ps_def, ours_def = (drop(p) for p in parts)
    assert any(b"pts/" in ln and b"Ss+" in ln for ln in ours_stat), ours_stat  # the shell
    assert len(ours_def) == 3  # header, sh, sleep
    if procps_version().startswith("4.0."):
        assert ours_stat == ps_stat
        assert ours_def == ps_def


def test_bsd_default_selection_on_a_terminal(psi_ps: str) -> None:
    """BSD words without a or x keep BSD's two restrictions, "only yourself"
    and "must have a terminal" (ps u, h, r); a lifts the first. Run on a
    pseudo-terminal so that there are such processes: the shell and a
    sleep. Each listing's own line (state R+) is left out."""
    words = ["u", "a", "h", "r", "j"]
    script = (
        # Wait for the sleep's exec to finish, so that both listings see it settled.
        'sleep 30 & while [ "$(cat /proc/$!/comm)" != sleep ]; do :; done; sleep 0.2; '
        f"for w in {' '.join(words)}; do ps $w; echo ====; {psi_ps} $w; echo ====; done; kill $!"
    )
    parts = _sh_in_pty(script).split(b"====\n")
    assert len(parts) == 2 * len(words) + 1

    def drop(out: bytes) -> List[bytes]:
        # The shell may be caught running (Rs+) by one listing and not the other.
        lines = [ln.replace(b" Rs+ ", b" Ss+ ") for ln in out.splitlines()]
        # Only the shell and the sleep: the listing's own row (running, or
        # sleeping while its reader threads work) differs by nature.
        return [ln for ln in lines if b"PID" in ln or b"sh -c sleep" in ln or ln.endswith(b"sleep 30")]

    for i, word in enumerate(words):
        if word == "r":  # only what runs: the listing itself, perhaps the shell
            rows = parts[2 * i + 1].splitlines()[1:]
            assert rows and all(re.search(rb"\sRs?[lN<]*\+\s", ln) for ln in rows), rows
            continue
        theirs, ours = drop(parts[2 * i]), drop(parts[2 * i + 1])
        assert any(b"sleep 30" in ln for ln in ours), (word, ours)
        if word == "u":
            # The shell's %CPU and RSS move while it forks the listings (a
            # lot under the sanitizer run's preloaded runtime): the rest must match.
            def steady(lines: List[bytes]) -> List[List[bytes]]:
                return [[f for i, f in enumerate(ln.split(None, 10)) if i not in (2, 5)] for ln in lines]

            assert steady(ours) == steady(theirs), (word, ours, theirs)
            continue
        if procps_version().startswith("4.0."):
            assert ours == theirs, (word, ours, theirs)


def test_python_dash_m_psi(psi_ps: str) -> None:
    """`python -m psi` runs the same program (installed as psi/_bin/psi-ps)."""
    probe = subprocess.run(
        [sys.executable, "-c", "import psi, os; print(os.path.dirname(psi.__file__))"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.skip("the psi package is not installed in this interpreter")
    if not (Path(probe.stdout.strip()) / "_bin" / "psi-ps").exists():
        pytest.skip("psi/_bin/psi-ps not installed (not a pip install)")
    r = subprocess.run(
        [sys.executable, "-m", "psi", "-p", str(os.getpid()), "-o", "pid=,comm="], capture_output=True, env=clean_env()
    )
    assert r.returncode == 0
    assert r.stdout.split() == [str(os.getpid()).encode(), Path("/proc/self/comm").read_bytes().strip()]


def test_thread_id_is_not_a_process(psi_ps: str) -> None:
    """-p with the id of a non-leader thread lists nothing, as in ps."""
    code = "import threading, time\nthreading.Thread(target=time.sleep, args=(60,)).start()\nprint('ready', flush=True)\ntime.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        tids = [int(t) for t in os.listdir(f"/proc/{proc.pid}/task") if int(t) != proc.pid]
        assert tids
        r = subprocess.run([psi_ps, "-p", str(tids[0]), "-o", "pid="], capture_output=True, env=clean_env())
        assert r.returncode == 1 and r.stdout == b""
        r = subprocess.run([psi_ps, "-p", f"{tids[0]},{proc.pid}", "-o", "pid=,nlwp="], capture_output=True, env=clean_env())
        assert r.returncode == 0 and r.stdout.split() == [str(proc.pid).encode(), b"2"]
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.usefixtures("many_processes")
def test_parallel_read_lists_the_same_processes(psi_ps: str) -> None:
    """--threads 2 splits the table between threads; it must list exactly
    the processes a one-thread read lists (those alive in both runs), in
    the same order, with the same stable fields."""
    fields = ["-e", "-o", "pid=,ppid=,uid=,tty=,comm="]

    def listing(threads: str) -> List[bytes]:
        r = subprocess.run([psi_ps, "--threads", threads, *fields], capture_output=True, env=clean_env())
        assert r.returncode == 0
        return r.stdout.splitlines()

    one, two = listing("1"), listing("2")
    assert len(one) >= 1000
    pids_one = [int(line.split()[0]) for line in one]
    assert pids_one == sorted(pids_one)
    both = set(one) & set(two)
    # Only processes started or ended between the runs may differ.
    assert len(both) >= 0.98 * min(len(one), len(two))
    assert [int(line.split()[0]) for line in two] == sorted(int(line.split()[0]) for line in two)


@pytest.mark.usefixtures("many_processes")
def test_parallel_read_shows_itself_running_like_ps(psi_ps: str) -> None:
    """Linux gives a process the state of its main thread. A parallel
    listing's main thread waits for its readers, so unless it reads its own
    row itself (before it starts them) it lists itself sleeping with
    several threads, where ps shows itself "R" with none: `ps r` then found
    nothing. Repeated, since which thread reads which row is timing."""
    for _ in range(15):
        r = subprocess.run(
            [psi_ps, "--threads", "4", "-e", "-o", "pid=,stat=,nlwp=,comm="], capture_output=True, env=clean_env()
        )
        assert r.returncode == 0, r.stderr
        rows = r.stdout.splitlines()
        assert len(rows) >= 1000
        own = [ln.split() for ln in rows if ln.endswith(b" psi-ps")]
        own = [f for f in own if int(f[0]) == max(int(g[0]) for g in own)]  # the newest: this run
        assert own and own[0][1:3] == [b"R", b"1"], own
