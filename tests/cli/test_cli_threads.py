"""psi-ps thread listings (-L, -T, H, fields lwp tid spid tgid nlwp
thcount) byte for byte with procps ps on a fixed pid list: the named-thread
program (tests/helpers/named_threads.c, threads psi-th0..2, here burning
no CPU), whose rows do not change between two runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator, List

import pytest

from .psips_compare import clean_env, run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "helpers"))
from named_threads import NamedThreads  # noqa: E402

pytestmark = pytest.mark.usefixtures("procps")


@pytest.fixture(scope="module")
def named() -> Iterator[NamedThreads]:
    # Threads that burn nothing: ps's C and TIME then stay put between runs.
    n = NamedThreads(step_ms=0).start()
    if n is None:
        pytest.skip("no C compiler")
    yield n
    n.stop()


# Invocations whose every column is stable for a sleeping process (no %CPU,
# no C of a busy process: pid 1's C is 0 and so is the helper's).
INVOCATIONS: List[List[str]] = [
    ["-L"], ["-T"], ["-Lf"], ["-LF"], ["-Ll"], ["-jL"], ["-Tf"], ["-lT"], ["-FT"], ["H"],
    ["-L", "-o", "pid,lwp,comm,stat"],
    ["-Lo", "pid,lwp,nlwp,psr,comm"],
    ["-L", "-o", "pid,lwp,tid,spid,tgid,nlwp,thcount,comm,time"],
    ["-o", "pid,lwp,tid,spid,tgid,nlwp,thcount"],
    ["-T", "-o", "pid,spid,comm,stat,ni,pri,rtprio,policy,wchan:20"],
]


@pytest.mark.parametrize("args", INVOCATIONS, ids=lambda a: " ".join(a))
def test_thread_listing_like_ps(psi_ps: str, named: NamedThreads, args: List[str]) -> None:
    pids = str(named.pid)
    sel = ["p", pids] if args[0] == "H" else ["-p", pids]
    # ps before and after psi-ps: a row that changed in between
    # (a thread started or ended) would make the comparison meaningless.
    for _ in range(3):
        before, _ = run(["ps", *args, *sel])
        ours, _ = run([psi_ps, *args, *sel])
        after, _ = run(["ps", *args, *sel])
        if before == after:
            break
    else:
        pytest.skip("the helper kept changing")
    assert ours == before
    # The named threads are there, by their own names, with their own ids.
    if args[0] in ("-L", "-Lo") and "comm" in " ".join(args):
        text = ours.decode()
        for tid, (name, _) in named.threads.items():
            assert any(line.split()[1] == str(tid) and name in line.split() for line in text.splitlines()[1:])


def test_every_thread_of_every_process(psi_ps: str, named: NamedThreads) -> None:
    """-eL lists the helper's four threads (and any process's threads by
    its pid): the (pid, lwp) pairs of the helper as /proc/PID/task lists."""
    out, _ = run([psi_ps, "-eLo", "pid=,lwp=,comm="])
    rows = [line.split() for line in out.decode().splitlines()]
    mine = sorted(int(r[1]) for r in rows if int(r[0]) == named.pid)
    tasks = sorted(int(p.name) for p in (Path("/proc") / str(named.pid) / "task").iterdir())
    assert mine == tasks
    assert named.threads.keys() <= set(mine)
    # A process's row is never confused with its threads: the helper's
    # thread ids never show up as pids.
    assert not {int(r[0]) for r in rows} & set(named.threads)


def test_thread_modes_refused_still(psi_ps: str) -> None:
    for args in (["-m"], ["m"]):
        res = subprocess.run([psi_ps, *args], capture_output=True, env=clean_env())
        assert res.returncode == 2
        assert b"psi-ps:" in res.stderr


# -- the security label: -M, Z, field label (ps prints "-" without an LSM) --
LABEL_INVOCATIONS: List[List[str]] = [["-M"], ["Z"], ["-Mf"], ["-ML"], ["-o", "label,pid,comm"]]


@pytest.mark.parametrize("args", LABEL_INVOCATIONS, ids=lambda a: " ".join(a))
def test_label_like_ps(psi_ps: str, named: NamedThreads, args: List[str]) -> None:
    sel = ["p", str(named.pid)] if args[0] == "Z" else ["-p", str(named.pid)]
    before, _ = run(["ps", *args, *sel])
    ours, _ = run([psi_ps, *args, *sel])
    assert ours == before


def test_label_is_attr_current(psi_ps: str, named: NamedThreads) -> None:
    """The label column is /proc/PID/attr/current (without its newline),
    or '-' when that cannot be read (EINVAL: no security module)."""
    try:
        with open(f"/proc/{named.pid}/attr/current", "rb") as f:
            want = f.read().rstrip(b"\n\0").decode() or "-"
    except OSError:
        want = "-"
    out, _ = run([psi_ps, "-o", "label=", "-p", str(named.pid)])
    assert out.decode().strip() == want


def _traced_paths(psi_ps: str, args: List[str], tmp_path: Path) -> str:
    """The strace of psi-ps's opens (skips without strace or ptrace)."""
    import shutil

    if not shutil.which("strace"):
        pytest.skip("strace not installed")
    trace = tmp_path / "trace"
    r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", str(trace), psi_ps, *args],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env())
    if r.returncode != 0 and b"ptrace" in r.stderr:
        pytest.skip("ptrace not permitted here")
    assert r.returncode == 0
    return trace.read_text(errors="replace")


def test_label_and_threads_read_only_when_asked(psi_ps: str, named: NamedThreads, tmp_path: Path) -> None:
    """The label column reads attr/current and -L the task directories;
    the default listings (-ef) read neither, so they cost nothing more."""
    plain = _traced_paths(psi_ps, ["-ef"], tmp_path)
    assert "attr/current" not in plain and "/task" not in plain
    label = _traced_paths(psi_ps, ["-e", "-o", "pid,label"], tmp_path)
    assert label.count("attr/current") > 10 and "/task" not in label
    threads = _traced_paths(psi_ps, ["-L", "-p", str(named.pid)], tmp_path)
    assert f"/proc/{named.pid}/task" in threads and "attr/current" not in threads
