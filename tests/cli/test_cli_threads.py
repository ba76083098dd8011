"""psi-ps thread listings (-L, -T, H, fields lwp tid spid tgid nlwp
thcount) byte for byte with procps ps on a fixed pid list: the named-thread
program (tests/helpers/named_threads.c, threads psi-th0..2, here burning
no CPU), whose rows do not change between two runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator, List, Tuple

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
    # -- x-threads: -L/-T columns in the BSD formats, faults per thread --
    ["-L", "u"], ["-T", "j"], ["-L", "j"], ["-T", "l"],
    ["-L", "-o", "pid,lwp,min_flt,maj_flt,minflt,majflt,comm"],
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


# -- x-threads: -m, m, M: each process's row, then one row per thread, with
# procps's process-only columns '-' in thread rows and its thread-only
# columns '-' in the process row --
M_INVOCATIONS: List[List[str]] = [
    ["-m"], ["m"], ["M"], ["-mf"], ["-mj"], ["-mL"], ["-mT"], ["-mLf"], ["m", "-L"], ["m", "-T", "j"],
    ["m", "u"], ["m", "j"], ["-mM"], ["-m", "-O", "lwp"],
    ["-m", "-o", "pid,lwp,tid,spid,tgid,comm,stat,s,nlwp,thcount,time,tty,args,uid_hack,etimes=,start"],
    ["-m", "-o", "pid,lwp,min_flt,maj_flt,minflt,majflt,%cpu,%mem,rss,vsz"],
    # With --sort ps lists the process rows only (display.c fancy_spew).
    ["-m", "--sort=pid", "-o", "pid,lwp,comm,stat"],
]


def _stable(args: List[str]) -> Tuple[bytes, bytes]:
    """(ps's output, psi-ps's) for a run whose ps output was the same
    before and after psi-ps's (skips when the helper kept changing)."""
    for _ in range(3):
        before, _ = run(["ps", *args])
        ours, _ = run([_stable.psi_ps, *args])  # type: ignore[attr-defined]
        after, _ = run(["ps", *args])
        if before == after:
            return before, ours
    pytest.skip("the helper kept changing")


@pytest.mark.parametrize("args", M_INVOCATIONS, ids=lambda a: " ".join(a))
def test_threads_after_process_like_ps(psi_ps: str, named: NamedThreads, args: List[str]) -> None:
    sel = ["p", str(named.pid)] if args[0] in ("m", "M") else ["-p", str(named.pid)]
    _stable.psi_ps = psi_ps  # type: ignore[attr-defined]
    theirs, ours = _stable([*args, *sel])
    assert ours == theirs
    lines = ours.decode().splitlines()
    if "--sort=pid" in args:
        assert len(lines) == 2  # the process row only
        return
    # The process row, then one row per task, in /proc/PID/task's order.
    tasks = sorted(int(t) for t in os.listdir(f"/proc/{named.pid}/task"))
    assert len(lines) == 2 + len(tasks)


# Thread-only columns: procps 4.0.2 reads their data for neither kind of
# row under -m (display.c lists_and_needs blanks them in the process list
# before finalize_stacks asks each column what it needs), so its thread rows
# show 0 for psr, pri, ni... and `-m -o wchan` crashes it. psi-ps shows each
# thread's own values: the oracle is ps -L, which reads them.
def test_threads_after_process_thread_columns_like_ps_L(psi_ps: str, named: NamedThreads) -> None:
    cols = "lwp,psr,pri,ni,rtprio,cls,sched,opri,wchan:24"
    pid = str(named.pid)
    _stable.psi_ps = psi_ps  # type: ignore[attr-defined]
    theirs, _ = _stable(["-L", "-o", cols, "-p", pid])
    ours, _ = run([psi_ps, "-m", "-o", cols, "-p", pid])
    after, _ = run(["ps", "-L", "-o", cols, "-p", pid])
    if after != theirs:
        pytest.skip("the helper kept changing")
    want = theirs.decode().splitlines()
    got = ours.decode().splitlines()
    assert got[0] == want[0]
    assert got[1].split() == ["-"] * 9  # the process row: every column is thread-only
    assert got[2:] == want[1:]


def test_threads_after_process_blanks_as_ps(psi_ps: str, named: NamedThreads) -> None:
    """Every field, alone under -m: the rows where psi-ps prints '-' are
    the rows where ps does (procps's PO / TO / ET marks), except wchan, with
    which ps -m crashes, and cwd, nvcsw and nivcsw, which ps never fills."""
    fields = [line.split()[0] for line in run([psi_ps, "L"])[0].decode().splitlines()]
    assert len(fields) > 100
    pid = str(named.pid)
    checked = 0
    for field in fields:
        if field in ("wchan", "cwd", "nvcsw", "nivcsw"):
            continue
        spec = f"{field}=X"
        theirs, _ = run(["ps", "-m", "-o", spec, "-p", pid])
        ours, _ = run([psi_ps, "-m", "-o", spec, "-p", pid])
        dash_theirs = [line.strip() == "-" for line in theirs.decode(errors="replace").splitlines()[1:]]
        dash_ours = [line.strip() == "-" for line in ours.decode(errors="replace").splitlines()[1:]]
        if len(dash_theirs) != len(dash_ours):
            continue  # a thread started or ended in between
        assert dash_ours == dash_theirs, field
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("args", [["-m", "H"], ["m", "-m"], ["-mL", "-o", "pid"], ["-mT", "-o", "pid"]],
                         ids=lambda a: " ".join(a))
def test_threads_after_process_conflicts_refused(psi_ps: str, args: List[str]) -> None:
    """ps's thread-flag conflicts (ps/parser.c thread_option_check,
    sortformat.c): ps fails, psi-ps exits 2 with one line."""
    theirs = subprocess.run(["ps", *args], capture_output=True, env=clean_env())
    assert theirs.returncode != 0 and theirs.stderr
    ours = subprocess.run([psi_ps, *args], capture_output=True, env=clean_env())
    assert ours.returncode == 2 and ours.stdout == b""
    assert len(ours.stderr.splitlines()) == 1 and ours.stderr.startswith(b"psi-ps: ")


def test_threads_after_process_refusals(psi_ps: str) -> None:
    """Where ps does something else, psi-ps refuses: -m with a forest (ps
    fails its first parse and shows its old memory format), and BSD m in
    the second-chance parse (the same memory format)."""
    for args in (["-m", "--forest"], ["-m", "f"], ["-mx"]):
        res = subprocess.run([psi_ps, *args], capture_output=True, env=clean_env())
        assert res.returncode == 2, args
        assert res.stdout == b"" and res.stderr.startswith(b"psi-ps: ")


def test_threads_after_process_json(psi_ps: str, named: NamedThreads) -> None:
    """--json with -m: the '-' cells are null; the thread rows hold the
    threads' own ids and names."""
    import json

    out, _ = run([psi_ps, "-m", "-o", "pid,lwp,comm,nlwp", "--json", "-p", str(named.pid)])
    rows = json.loads(out)
    assert rows[0] == {"pid": named.pid, "lwp": None, "comm": "named_threads",
                       "nlwp": len(os.listdir(f"/proc/{named.pid}/task"))}
    lwps = [r["lwp"] for r in rows[1:]]
    # The leader, then creation order (the kernel's order of task/, which
    # is not ascending once the tid counter wraps).
    assert lwps == [int(t) for t in os.listdir(f"/proc/{named.pid}/task")]
    assert all(r["pid"] is None and r["comm"] is None and r["nlwp"] is None for r in rows[1:])


def _task_counter(pid: int, tid: int, key: str) -> int:
    with open(f"/proc/{pid}/task/{tid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise AssertionError(key)


def test_thread_context_switches(psi_ps: str, named: NamedThreads) -> None:
    """nvcsw / nivcsw per thread, against /proc/PID/task/TID/status read
    before and after (procps 4.0.2 accepts the names but prints '-')."""
    tids = sorted(int(t) for t in os.listdir(f"/proc/{named.pid}/task"))
    before = {t: (_task_counter(named.pid, t, "voluntary_ctxt_switches"),
                  _task_counter(named.pid, t, "nonvoluntary_ctxt_switches")) for t in tids}
    out, _ = run([psi_ps, "-L", "-o", "lwp=,nvcsw=,nivcsw=", "-p", str(named.pid)])
    after = {t: (_task_counter(named.pid, t, "voluntary_ctxt_switches"),
                 _task_counter(named.pid, t, "nonvoluntary_ctxt_switches")) for t in tids}
    got = {int(r[0]): (int(r[1]), int(r[2])) for r in (line.split() for line in out.decode().splitlines())}
    assert sorted(got) == tids
    for t in tids:
        assert before[t][0] <= got[t][0] <= after[t][0]
        assert before[t][1] <= got[t][1] <= after[t][1]
    header, _ = run([psi_ps, "-o", "nvcsw,nivcsw", "-p", str(named.pid)])
    theirs, _ = run(["ps", "-o", "nvcsw,nivcsw", "-p", str(named.pid)])
    assert header.splitlines()[0] == theirs.splitlines()[0]  # procps's headers and widths


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
    # -- x-threads: -m reads the selected process's task directory only.
    after = _traced_paths(psi_ps, ["-m", "-p", str(named.pid)], tmp_path)
    assert f"/proc/{named.pid}/task" in after
    assert not [line for line in after.splitlines() if "/task" in line and f"/proc/{named.pid}/" not in line]
