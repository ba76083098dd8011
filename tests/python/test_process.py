"""psi.process.Process against the running system."""

from __future__ import annotations

import datetime
import grp
import os
import pwd
import signal
import subprocess
import time
from pathlib import Path

import pytest

import psi
from _psi_helpers import PYTHON, Spawner, in_unprivileged_child, proc_state, ps_field, settle, wait_until
from psi.process import Process


def test_repl_session() -> None:
    # The session from the issue, as a user would type it.
    a = psi.arch.arch_type()
    assert isinstance(a, psi.arch.ArchLinux)
    u = os.uname()
    assert (a.sysname, a.nodename, a.release, a.version, a.machine) == tuple(u)

    p = psi.process.Process(os.getpid())
    with open(f"/proc/{os.getpid()}/cmdline", "rb") as f:
        argv = [os.fsdecode(x) for x in f.read().split(b"\0")[:-1]]
    assert p.command == " ".join(argv)
    assert p.command_path == os.path.realpath(f"/proc/{os.getpid()}/exe")
    assert p.user == pwd.getpwuid(os.geteuid()).pw_name
    assert isinstance(p.start_datetime, datetime.datetime)
    assert p.start_datetime.tzinfo is None
    assert abs(p.start_datetime - datetime.datetime.now()) < datetime.timedelta(days=2)
    assert p.parent is not None
    assert p.parent.pid == os.getppid()
    assert p.parent.command == " ".join(
        os.fsdecode(x) for x in Path(f"/proc/{os.getppid()}/cmdline").read_bytes().split(b"\0")[:-1]
    )
    assert p.resident_size == p.rss > 0
    assert p.virtual_size == p.vsz > p.rss
    assert p.parent_pid == os.getppid()
    assert p.threads == p.nthreads
    # A thread joined just before (an earlier table's reader) may stay in
    # task/ a moment longer (the kernel clears its tid before it unlists
    # it), so the count is bracketed by two listings, not one.
    before = len(os.listdir(f"/proc/{os.getpid()}/task"))
    p.refresh()
    after = len(os.listdir(f"/proc/{os.getpid()}/task"))
    assert min(before, after) <= p.nthreads <= max(before, after)
    assert isinstance(p.flags, int)
    assert (p.current_uid, p.current_gid) == (os.geteuid(), os.getegid())
    assert p.current_user == pwd.getpwuid(os.geteuid()).pw_name
    assert p.current_group == grp.getgrgid(os.getegid()).gr_name
    assert (p.real_uid, p.real_gid) == (os.getuid(), os.getgid())
    assert p.real_user == pwd.getpwuid(os.getuid()).pw_name
    assert p.real_group == grp.getgrgid(os.getgid()).gr_name

    ps = psi.process.ProcessTable()
    assert ps.count == len(ps) > 1
    assert ps.pids == tuple(sorted(ps))
    last = ps.processes[-1]
    assert last.pid == max(ps.pids)
    assert isinstance(last.command, str)


def test_ids_match_os() -> None:
    p = Process(os.getpid())
    assert p.pid == os.getpid()
    assert p.ppid == os.getppid()
    assert p.pgrp == os.getpgrp()
    assert p.sid == os.getsid(0)
    assert (p.euid, p.ruid, p.egid, p.rgid) == (os.geteuid(), os.getuid(), os.getegid(), os.getgid())
    assert p.euser == pwd.getpwuid(os.geteuid()).pw_name
    assert p.ruser == pwd.getpwuid(os.getuid()).pw_name
    assert p.egroup == grp.getgrgid(os.getegid()).gr_name
    assert p.rgroup == grp.getgrgid(os.getgid()).gr_name


def test_child_args_env_cwd_exe(spawn: Spawner, tmp_path: Path) -> None:
    env = {"PSI_MARKER": "hello world", "EMPTY": "", "UNICODE": "caf\u00e9", "PATH": os.environ["PATH"]}
    argv = [PYTHON, "-c", "import time; time.sleep(60)", "arg with spaces", "", "x=y"]
    child = spawn(argv, env=env, cwd=tmp_path)
    # Popen returns once the exec passed its point of no return; the kernel
    # sets up argv for /proc/PID/cmdline a little later (load_elf_binary).
    settle(child.pid)
    p = Process(child.pid)
    assert p.args == tuple(argv)
    assert p.argc == len(argv)
    assert p.command == " ".join(argv)
    assert p.env == env
    assert p.cwd == os.path.realpath(tmp_path)
    assert p.exe == os.path.realpath(PYTHON)
    # comm is the file name given to execve (the symlink), cut to 15 bytes.
    assert p.name == Path(PYTHON).name[:15]
    assert p.ppid == os.getpid()


def test_large_args_and_env(spawn: Spawner) -> None:
    """argv and environ far beyond the reader's first 16 KiB buffer (the
    buffer grows, and a short read is only taken as EOF when it is one):
    compared with the bytes /proc itself gives."""
    args = [f"arg{i:05d}-" + "x" * 90 for i in range(2000)]  # ~200 KB
    env = {f"VAR{i:04d}": "v" * 100 for i in range(1000)}  # ~110 KB
    argv = [PYTHON, "-c", "import time; time.sleep(60)", *args]
    child = spawn(argv, env=env)
    settle(child.pid)
    raw_args = Path(f"/proc/{child.pid}/cmdline").read_bytes()
    raw_env = Path(f"/proc/{child.pid}/environ").read_bytes()
    p = Process(child.pid)
    assert len(raw_args) > 150_000
    assert p.args == tuple(a.decode() for a in raw_args.split(b"\0")[:-1]) == tuple(argv)
    expected_env = dict(e.decode().split("=", 1) for e in raw_env.split(b"\0")[:-1])
    assert p.env == expected_env and len(p.env) >= 1000


def test_values_against_ps(sleeper: subprocess.Popen[bytes]) -> None:
    p = Process(sleeper.pid)
    assert p.rss == int(ps_field(p.pid, "rss")) * 1024
    assert p.vsz == int(ps_field(p.pid, "vsz")) * 1024
    assert p.nice == int(ps_field(p.pid, "ni"))
    assert p.pgrp == int(ps_field(p.pid, "pgid"))
    assert p.sid == int(ps_field(p.pid, "sid"))
    assert p.nthreads == int(ps_field(p.pid, "nlwp"))
    assert p.ppid == int(ps_field(p.pid, "ppid"))
    assert p.euser == ps_field(p.pid, "user")
    assert p.name == ps_field(p.pid, "comm")
    tty = ps_field(p.pid, "tty")
    assert p.terminal == (None if tty == "?" else "/dev/" + tty)
    rtprio = ps_field(p.pid, "rtprio")
    assert p.priority == (0 if rtprio == "-" else int(rtprio))
    assert psi.process.status_letter(p.status) == ps_field(p.pid, "stat")[0]


def test_terminal_of_a_process_on_a_pty(spawn: Spawner) -> None:
    import pty
    import shutil

    if shutil.which("setsid") is None:
        pytest.skip("setsid(1) is needed to give a child a controlling terminal")
    leader, follower = pty.openpty()
    try:
        # setsid -c: new session, then the pty on stdin becomes its
        # controlling terminal (TIOCSCTTY); the pid stays (no fork, as the
        # child of Popen is not a process group leader).
        child = spawn(["setsid", "-c", "sleep", "60"], stdin=follower, stdout=follower, stderr=follower)
        assert wait_until(lambda: ps_field(child.pid, "comm") == "sleep")
        tty = ps_field(child.pid, "tty")
        assert tty.startswith("pts/")
        assert Process(child.pid).terminal == "/dev/" + tty
        assert Process(os.getpid()).terminal == (
            None if ps_field(os.getpid(), "tty") == "?" else "/dev/" + ps_field(os.getpid(), "tty")
        )
    finally:
        os.close(leader)
        os.close(follower)


def test_start_time(spawn: Spawner) -> None:
    before = time.time()
    child = spawn(["sleep", "60"])
    after = time.time()
    p = Process(child.pid)
    start = p.start_time
    assert isinstance(start, psi.TimeSpec)
    # Clock ticks are 10 ms; allow the boot-instant estimate some slack.
    assert before - 1.0 <= start.timestamp() <= after + 1.0
    hz = os.sysconf("SC_CLK_TCK")
    assert p.jiffies == int(Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    assert abs(start.timestamp() - (psi.boottime().timestamp() + p.jiffies / hz)) < 0.02
    for _ in range(5):
        p.refresh()
        assert p.start_time == start
    assert Process(child.pid).start_time == start
    assert p.start_datetime == start.datetime()


def test_cputime_grows(spawn: Spawner) -> None:
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\ntime.sleep(60)\n"
    child = spawn([PYTHON, "-c", busy])
    p = Process(child.pid)
    first = p.cputime
    assert p.cputime == p.utime + p.stime
    wait_until(lambda: proc_state(child.pid) == "S" and Process(child.pid).cputime.float() >= 0.3)
    p.refresh()
    assert p.cputime > first
    assert p.cputime >= (0, 300_000_000) - psi.TimeSpec(0, 20_000_000)
    assert p.cputime == p.utime + p.stime
    assert 0.0 < p.pcpu <= 100.0 * os.cpu_count()  # type: ignore[operator]


def test_kill_stop_and_term(spawn: Spawner) -> None:
    child = spawn(["sleep", "60"])
    p = Process(child.pid)
    p.kill(signal.SIGSTOP)
    assert wait_until(lambda: proc_state(child.pid) == "T")
    p.refresh()
    assert p.status == psi.process.PROC_STATUS_STOPPED
    assert psi.process.status_name(p.status) == "stopped"
    p.kill(signal.SIGCONT)
    assert wait_until(lambda: proc_state(child.pid) == "S")
    p.kill()  # SIGTERM by default
    assert child.wait() == -signal.SIGTERM
    assert not p.exists()
    with pytest.raises(psi.NoSuchProcessError):
        p.refresh()
    with pytest.raises(psi.NoSuchProcessError):
        p.kill(0)
    with pytest.raises(psi.process.NoSuchProcessError):
        Process(child.pid)


def test_zombie(spawn: Spawner, tmp_path: Path) -> None:
    child = spawn(["true"], cwd=tmp_path)
    assert wait_until(lambda: proc_state(child.pid) == "Z")
    p = Process(child.pid)
    assert p.status == psi.process.PROC_STATUS_ZOMBIE
    assert psi.process.status_letter(p.status) == "Z"
    assert p.exists()
    assert p.name == "true"
    assert p.ppid == os.getpid()
    for attr in ("args", "env", "exe", "cwd"):
        with pytest.raises(psi.AttrNotAvailableError) as info:
            getattr(p, attr)
        assert str(p.pid) in str(info.value) and attr in str(info.value)
        assert info.value.pid == p.pid and info.value.attribute == attr
        assert getattr(p, attr, None) is None
    assert p.command == "true"  # no args: the name, as ps shows [name]
    child.wait()
    assert not p.exists()
    with pytest.raises(psi.NoSuchProcessError):
        p.refresh()


def test_parent_and_children(spawn: Spawner) -> None:
    kids = [spawn(["sleep", "60"]) for _ in range(3)]
    me = Process(os.getpid())
    children = me.children()
    assert {k.pid for k in kids} <= {c.pid for c in children}
    assert all(c.ppid == os.getpid() for c in children)
    kid = Process(kids[0].pid)
    assert kid.parent == me
    assert kid.parent.parent is not None and kid.parent.parent.pid == os.getppid()
    init = Process(1)
    assert init.parent is None


def _stat_ppid(pid: int) -> int:
    """Field 4 of /proc/PID/stat (after comm's closing parenthesis)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        return int(f.read().rsplit(b")", 1)[1].split()[1])


# A tree three levels below the test: top forks b, b forks c; c prints
# "b c" once all three exist, then each sleeps.
_TREE = """
import os, sys, time
if os.fork() == 0:
    if os.fork() == 0:
        sys.stdout.write("%d %d\\n" % (os.getppid(), os.getpid()))
        sys.stdout.flush()
    time.sleep(600)
    os._exit(0)
time.sleep(600)
"""


def test_children_recursive_three_levels(spawn: Spawner) -> None:
    psutil = pytest.importorskip("psutil")
    top = spawn([PYTHON, "-c", _TREE], stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert top.stdout is not None
        b, c = (int(x) for x in top.stdout.readline().split())
        # The kernel's view: the chain is what the test built.
        assert (_stat_ppid(top.pid), _stat_ppid(b), _stat_ppid(c)) == (os.getpid(), top.pid, b)
        p = Process(top.pid)
        assert [k.pid for k in p.children()] == [b]
        assert [k.pid for k in p.children(recursive=False)] == [b]
        assert [k.pid for k in p.children(recursive=True)] == sorted([b, c])
        assert [k.pid for k in p.children(True)] == sorted([b, c])
        oracle = psutil.Process(top.pid)
        assert {k.pid for k in p.children(recursive=True)} == {k.pid for k in oracle.children(recursive=True)}
        assert {k.pid for k in p.children()} == {k.pid for k in oracle.children()}
        mine = {k.pid for k in Process(os.getpid()).children(recursive=True)}
        assert {top.pid, b, c} <= mine
        assert all(_stat_ppid(k) == os.getpid() or _stat_ppid(k) in mine for k in {top.pid, b, c})
        grandchild = Process(c)
        assert grandchild.parent is not None and grandchild.parent.pid == b
        assert grandchild.parent.parent == p
        assert grandchild.children(recursive=True) == []
    finally:
        os.killpg(top.pid, signal.SIGKILL)


def test_identity_and_repr(sleeper: subprocess.Popen[bytes]) -> None:
    a, b = Process(sleeper.pid), Process(sleeper.pid)
    assert a == b and not (a != b)
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    me = Process(os.getpid())
    assert a != me
    assert a != sleeper.pid  # not equal to a bare pid
    assert repr(a) == f"psi.process.Process(pid={sleeper.pid}, name='sleep')"
    assert type(a).__module__ == "psi.process"


def test_table_process_equals_standalone(sleeper: subprocess.Popen[bytes]) -> None:
    table = psi.process.ProcessTable()
    assert table[sleeper.pid] == Process(sleeper.pid)
    assert table[sleeper.pid].start_time == Process(sleeper.pid).start_time



def test_insufficient_privileges() -> None:
    body = """
code = 0
p = Process(1)
try:
    p.kill(0)
    code |= 1
except psi.InsufficientPrivsError as e:
    if e.pid is not None and e.pid != 1: code |= 2
for attr in ("env", "exe", "cwd"):
    try:
        getattr(p, attr)
        code |= 4
    except psi.AttrInsufficientPrivsError as e:
        if "pid 1" not in str(e) or attr not in str(e): code |= 8
"""
    assert in_unprivileged_child(body) == 0


def test_zones_are_solaris_only() -> None:
    """Zones are Solaris's: zoneid/zonename exist as attributes everywhere (PSI had them
    on Solaris) and say 'not implemented' on Linux, both on the Process and
    through a table that asks for them."""
    p = Process(os.getpid())
    for name in ("zoneid", "zonename"):
        assert name in psi.process.PROCESS_ATTRIBUTES
        with pytest.raises(psi.AttrNotImplementedError, match=name):
            getattr(p, name)
        assert getattr(p, name, "absent") == "absent"  # an AttributeError, as PSI raised
    table = psi.process.ProcessTable(attrs=["zoneid", "zonename"])
    assert getattr(table[os.getpid()], "zonename", None) is None


def test_processor_is_stat_field_39(spawn: Spawner) -> None:
    """processor = the CPU the process last ran on (ps psr, psutil cpu_num):
    stat field 39 of a sleeping child, which does not move while it sleeps."""
    child = spawn(["sleep", "60"])
    # Asleep first: a child still starting up runs and may migrate between
    # CPUs from one read to the next (seen once in five suite runs).
    settle(child.pid)
    p = Process(child.pid)
    fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
    assert p.processor == int(fields[36])  # fields[0] is field 3
    assert 0 <= p.processor < (os.cpu_count() or 1)
    assert p.processor == psutil_cpu_num(child.pid)


def psutil_cpu_num(pid: int) -> int:
    psutil = pytest.importorskip("psutil")
    return int(psutil.Process(pid).cpu_num())


def test_wchan_of_a_stopped_child(spawn: Spawner) -> None:
    """wchan = the kernel function the process waits in: /proc/PID/wchan,
    as ps's WCHAN shows it (ps drops leading '_'s and prints '-' for '').
    A stopped child stays in one function; a running process has ''."""
    child = spawn(["sleep", "60"])
    os.kill(child.pid, signal.SIGSTOP)
    assert wait_until(lambda: proc_state(child.pid) == "T")
    p = Process(child.pid)
    raw = Path(f"/proc/{child.pid}/wchan").read_text()
    assert raw and p.wchan == ("" if raw == "0" else raw)
    assert ps_field(child.pid, "wchan:60") == (p.wchan.lstrip("_") or "-")
    assert "wchan" in psi.process.PROCESS_ATTRIBUTES
    me = psi.process.ProcessTable(attrs=["wchan"])[os.getpid()]
    assert me.wchan == ""  # it runs while it reads itself
    os.kill(child.pid, signal.SIGCONT)
