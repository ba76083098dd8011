"""psi-ps against procps ps 4.0.x, byte for byte, on >= 1000 processes.

See psips_compare.py for how changing processes are handled (ps runs before
and after psi-ps; rows ps printed identically twice must match exactly).
"""

from __future__ import annotations

import os
from typing import List

import pytest

from .psips_compare import assert_like_ps, assert_like_ps_in_pty, clean_env, proc_pids, ps_and_ours, run

pytestmark = pytest.mark.usefixtures("procps", "many_processes")


def test_machine_has_1000_processes() -> None:
    assert len(proc_pids()) >= 1000


def test_many_fields_every_process(psi_ps: str) -> None:
    fields = "pid,ppid,pgid,sid,user,ruser,uid,nlwp,ni,rtprio,stat,tty,rss,vsz,comm"
    res = assert_like_ps(psi_ps, ["-e", "-o", fields], key_col=0)
    assert res.compared >= 1000


def test_full_format_every_process(psi_ps: str) -> None:
    res = assert_like_ps(psi_ps, ["-ef"], key_col=1)
    assert res.compared >= 1000


def test_args_every_process(psi_ps: str) -> None:
    assert_like_ps(psi_ps, ["-e", "-o", "pid,args"], key_col=0)


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_args_alone_same_pids(psi_ps: str, many_processes: List[int], locale: str) -> None:
    """-o args has no pid column to key on: list the same stable processes
    (our sleepers and pid 1) with -p and compare the whole output."""
    pids = [1, *many_processes[:200]]
    env = clean_env(LC_ALL=locale)
    ours, _ = run([psi_ps, "-o", "args", "-p", ",".join(map(str, pids))], env)
    theirs, _ = run(["ps", "-o", "args", "-p", ",".join(map(str, pids))], env)
    assert ours == theirs
    assert len(ours.splitlines()) == len(pids) + 1


@pytest.mark.parametrize(
    "args, key",
    [
        (["-f"], 1),
        (["-o", "pid,comm,stat,nlwp,ni,pri,rtprio,tty,time"], 0),
        (["-o", "pid:3,comm:4,pid,user:3,args:10,pid"], 0),
        (["-o", "comm,pid", "-o", "user,uid,group", "-o", "args"], 1),
        (["-o", "pid,s,state,tname,tt,ucmd,ucomm,fname,cmd,command,thcount,sess,pgrp,egid,euid,rgid,ruid,egroup"], 0),
        (["-o", "pid,f,flags,c,sz,opri,intpri,priority,rss,rsz,rssize,vsize,%mem,bsdtime,times,cputime"], 0),
    ],
)
def test_pid_lists(psi_ps: str, many_processes: List[int], args: List[str], key: int) -> None:
    """-p lists, given out of order and with repeats, as several -p."""
    a, b, c = many_processes[:3]
    sel = ["-p", f"{c},1,{a}", "-p", f"{b} {a}"]
    res = assert_like_ps(psi_ps, [*sel, *args], key_col=key)
    assert res.compared == 4


def test_no_headers(psi_ps: str) -> None:
    # Four columns, the last a name (which may hold blanks: not counted from the lines).
    assert_like_ps(psi_ps, ["-e", "--no-headers", "-o", "pid,ppid,user,comm"], key_col=0, headers=False, ncols=4)


@pytest.mark.parametrize(
    "fmt, key, headers",
    [
        (["-o", "pid=PROCESS,comm="], 0, True),
        (["-o", "user=VeryLongUserHeaderName,pid"], 1, True),
        (["-o", "pid=,comm=Y"], 0, True),
        (["-o", "pid=,comm="], 0, False),  # every header empty: no header line
        (["-o", "pid=", "-o", "ppid=P", "-o", "rss:9=R"], 0, True),
        (["-o", "args=ARGUMENTS,pid=X"], -1, True),
    ],
)
def test_header_overrides(psi_ps: str, many_processes: List[int], fmt: List[str], key: int, headers: bool) -> None:
    sel = ["-p", ",".join(str(p) for p in [1, *many_processes[:20]])]
    ncols = len(",".join(fmt[1::2]).split(","))
    res = assert_like_ps(psi_ps, [*sel, *fmt], key_col=key, headers=headers, ncols=ncols)
    assert res.compared == 21


def test_clock_fields(psi_ps: str) -> None:
    """etime/etimes/time/%cpu move between the runs: a moving field must lie
    between ps's two readings (the comparison's rule for volatile rows); the
    start times must match to the second (ps: btime + start ticks / HZ)."""
    assert_like_ps(psi_ps, ["-e", "-o", "pid,etime,etimes,time,start,stime,%cpu,c,lstart"], key_col=0, min_exact=0)


def test_forest(psi_ps: str) -> None:
    assert_like_ps(psi_ps, ["-e", "--forest", "-o", "pid,ppid,comm,args"], key_col=0, check_order=True)


def test_forest_full(psi_ps: str) -> None:
    assert_like_ps(psi_ps, ["-ef", "--forest"], key_col=1, check_order=True)


def test_hierarchy_indent(psi_ps: str) -> None:
    assert_like_ps(psi_ps, ["-e", "-H", "-o", "pid,ppid,comm"], key_col=0, check_order=True)


def test_sort(psi_ps: str) -> None:
    assert_like_ps(psi_ps, ["-e", "--sort=-ppid,+pid", "-o", "pid,ppid,comm"], key_col=0, check_order=True)


@pytest.mark.parametrize("sel", [["-u", "root"], ["-u", "0"], ["-U", "root"], ["-C", "sleep,init"], ["-A"]])
def test_selections(psi_ps: str, sel: List[str]) -> None:
    assert_like_ps(psi_ps, [*sel, "-o", "pid,user,ruser,comm"], key_col=0)


@pytest.mark.parametrize("words, key", [(["aux"], 1), (["ax"], 0), (["axj"], 1), (["x"], 0), (["axf"], 0),
                                         (["-e", "-o", "pid,tpgid,comm"], 0), (["axo", "pid,ppid,stat,comm"], 0),
                                         (["axopid,comm"], 0), (["U", "root", "o", "pid,user,comm"], 0)])
def test_bsd_words(psi_ps: str, words: List[str], key: int) -> None:
    """ps aux and friends: BSD selection letters a and x, formats u and j,
    f for the forest, o/U with a value (ps(1) "BSD OPTIONS")."""
    res = assert_like_ps(psi_ps, words, key_col=key)
    assert res.compared >= (1 if "U" in words else 1000)


@pytest.mark.parametrize("words, key", [(["-ej"], 0), (["-efj"], 1), (["-eF"], 1), (["-ejH"], 0)])
def test_unix_format_letters(psi_ps: str, words: List[str], key: int) -> None:
    """-j (pgid, sid), -F (sz, rss, psr) and their combinations, composed as
    ps composes them."""
    res = assert_like_ps(psi_ps, words, key_col=key)
    assert res.compared >= 1000


@pytest.mark.parametrize("letters", ["-ly", "-lyf", "-jly", "-lF"])
def test_unix_long_variants(psi_ps: str, many_processes: List[int], letters: str) -> None:
    """-l with -y (rss in place of flags and addr), -j or -F, byte for byte,
    WCHAN included: kthreadd and sleepers stay in one kernel function."""
    sel = ["-p", ",".join(str(p) for p in [2, *many_processes[:20]])]
    theirs, ours = ps_and_ours(psi_ps, [letters, *sel])
    assert len(theirs.splitlines()) == 22
    assert ours == theirs


def test_bsd_long_format(psi_ps: str, many_processes: List[int]) -> None:
    """BSD l with a pid list, byte for byte (WCHAN included)."""
    sel = ["-p", ",".join(str(p) for p in [2, *many_processes[:20]])]
    theirs, ours = ps_and_ours(psi_ps, ["l", *sel])
    assert len(theirs.splitlines()) == 22
    assert b" hrtime " in theirs  # the sleepers' WCHAN, cut to its column
    assert ours == theirs


def test_children_of(psi_ps: str, many_processes: List[int]) -> None:
    ours, _ = run([psi_ps, "--ppid", str(os.getpid()), "-o", "pid,ppid,comm"], clean_env())
    pids = {int(line.split()[0]) for line in ours.splitlines()[1:]}
    assert set(many_processes) <= pids
    theirs, _ = run(["ps", "--ppid", str(os.getpid()), "-o", "pid,ppid,comm"], clean_env())

    def strip(out: bytes) -> List[bytes]:  # ps and psi-ps are our children too, each in its own run
        return [ln for ln in out.splitlines() if not ln.endswith((b" ps", b" psi-ps"))]

    assert strip(ours) == strip(theirs)


def test_default_selection(psi_ps: str) -> None:
    """No selection: our euid and our terminal (or, like here, none)."""
    assert_like_ps(psi_ps, [], key_col=0)


@pytest.mark.parametrize("args", [["-ef"], ["-ef", "--forest"], ["-e", "-o", "pid,args,comm"], ["-e", "-o", "args,pid"]])
@pytest.mark.parametrize("cols", [80, 37])
def test_terminal_width(psi_ps: str, args: List[str], cols: int) -> None:
    """On a terminal ps cuts the last column at the screen edge and a
    non-last command column at its width."""
    key = 1 if args[0] == "-ef" else (0 if args[2].startswith("pid") else -1)
    assert_like_ps_in_pty(psi_ps, args, key, cols)


@pytest.mark.parametrize("wide", ["-w", "-ww"])
def test_wide_on_terminal(psi_ps: str, wide: str) -> None:
    assert_like_ps_in_pty(psi_ps, ["-ef", wide], 1, 80)


def test_long_format(psi_ps: str, many_processes: List[int]) -> None:
    """-l byte for byte, WCHAN included (kthreadd's "kthrea", the sleepers'
    "hrtime": functions they stay in)."""
    sel = ["-p", ",".join(str(p) for p in [2, *many_processes[:20]])]  # processes that do not change
    theirs, ours = ps_and_ours(psi_ps, ["-l", *sel])
    assert len(theirs.splitlines()) == 22
    assert ours == theirs


def test_wchan_column(psi_ps: str, many_processes: List[int]) -> None:
    """wchan as ps prints it: whole when it is the last column, cut to six
    cells before another, '-' for a process that runs (the listing itself)."""
    sel = ["-p", ",".join(str(p) for p in [2, *many_processes[:5]])]
    for fmt in ("pid,wchan", "wchan,pid", "pid,wchan:30,comm", "wchan=W"):
        ours, _ = run([psi_ps, "-o", fmt, *sel], clean_env())
        theirs, _ = run(["ps", "-o", fmt, *sel], clean_env())
        assert ours == theirs, fmt
    ours, _ = run([psi_ps, "-o", "pid,wchan,comm", "-p", "1,2"], clean_env())
    assert b"kthreadd" in ours
    mine, _ = run([psi_ps, "-e", "-o", "wchan,comm"], clean_env())
    assert any(ln.split() == [b"-", b"psi-ps"] for ln in mine.splitlines())


def test_long_user_names(psi_ps: str) -> None:
    """Names longer than their column are cut to width-1 plus '+' (whole
    when last), as ps does; a process run as a system user with such a name."""
    import grp
    import pwd
    import shutil
    import subprocess

    longs = [p for p in pwd.getpwall() if len(p.pw_name) > 8]
    if os.geteuid() != 0 or not shutil.which("setpriv") or not longs:
        pytest.skip("needs root, setpriv and a user name longer than 8 characters")
    user = longs[0]
    groups = [g for g in grp.getgrall() if len(g.gr_name) > 8] or [grp.getgrgid(user.pw_gid)]
    proc = subprocess.Popen(
        ["setpriv", f"--reuid={user.pw_uid}", f"--regid={groups[0].gr_gid}", "--clear-groups", "sleep", "60"]
    )
    try:
        import time

        deadline = time.monotonic() + 10
        with open(f"/proc/{proc.pid}/comm", "rb") as comm:  # wait for setpriv's exec
            while comm.read() != b"sleep\n" and time.monotonic() < deadline:
                time.sleep(0.01)
                comm.seek(0)
        for fmt in ["pid,user,ruser,group,rgroup,comm", "pid,euser:5,ruser:20,group=G,user", "comm,user"]:
            ours, _ = run([psi_ps, "-p", str(proc.pid), "-o", fmt])
            theirs, _ = run(["ps", "-p", str(proc.pid), "-o", fmt])
            assert ours == theirs
            assert b"+" in ours or fmt == "comm,user"
    finally:
        proc.kill()
        proc.wait()


def test_scheduling_policies_like_ps(psi_ps: str) -> None:
    # ni, rtprio, pri, stat and the priority fields depend on the policy:
    # ps prints '-' for nice under SCHED_FIFO/RR, '-' for rtprio under
    # SCHED_OTHER only, and stat's '<'/'N' from nice. One child per policy.
    import subprocess
    import time

    if os.geteuid() != 0:
        pytest.skip("SCHED_FIFO/RR need root")
    policies = [
        (os.SCHED_OTHER, 0, -5),
        (os.SCHED_BATCH, 0, 7),
        (os.SCHED_IDLE, 0, 0),
        (os.SCHED_FIFO, 10, 0),
        (os.SCHED_RR, 42, 0),
    ]
    procs = []
    try:
        for policy, prio, nice in policies:
            proc = subprocess.Popen(["sleep", "60"], stdin=subprocess.DEVNULL)
            procs.append(proc)
            os.setpriority(os.PRIO_PROCESS, proc.pid, nice)
            os.sched_setscheduler(proc.pid, policy, os.sched_param(prio))
        deadline = time.monotonic() + 10
        for proc in procs:  # settled in sleep's nanosleep: state S
            while time.monotonic() < deadline:
                with open(f"/proc/{proc.pid}/stat", "rb") as f:
                    if f.read().rsplit(b")", 1)[1].split()[0] == b"S":
                        break
                time.sleep(0.01)
        pids = ",".join(str(p.pid) for p in procs)
        for fmt in ["pid,ni,rtprio,pri,stat,comm", "pid,nice,priority,intpri,opri,s,comm", "pid,cls,policy,sched,class"]:
            theirs, _ = run(["ps", "-p", pids, "-o", fmt])
            ours, _ = run([psi_ps, "-p", pids, "-o", fmt])
            assert ours == theirs, fmt
        ours, _ = run([psi_ps, "-p", pids, "-o", "pid,ni,rtprio,pri,stat,comm"])
        assert b" 42 " in ours and b" 10 " in ours  # the RR and FIFO priorities
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
