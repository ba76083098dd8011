"""Hostile and real-world odd processes (issue 9), from Python.

The oracles are the system: procps ps, /proc read directly, os.readlink,
psutil and os.environ semantics. The helper program
(tests/helpers/hostile_proc.c) is compiled here with the C compiler.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

import psi
from _psi_helpers import hostile_zoo_module, ps_field

HELPER_SRC = Path(__file__).resolve().parents[1] / "helpers" / "hostile_proc.c"

ReadyChildren = hostile_zoo_module().ReadyChildren
compile_c = hostile_zoo_module().compile_c


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> str:
    built = compile_c(HELPER_SRC, tmp_path_factory.mktemp("hostile") / "hostile_proc")
    if built is None:
        pytest.skip("no C compiler for the hostile_proc helper")
    return built


@pytest.fixture
def hostile() -> Iterator[ReadyChildren]:
    c = ReadyChildren()
    try:
        yield c
    finally:
        c.close()


def ps_args(pid: int) -> str:
    out = subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True, check=True).stdout
    return out.decode("utf-8", "surrogateescape").rstrip("\n")


# AddressSanitizer reserves terabytes of shadow address space at start-up:
# under an address-space limit a sanitized program cannot start at all, so
# the RLIMIT_AS tests run in the plain build only.
not_under_asan = pytest.mark.skipif(
    os.environ.get("PSI_TEST_ASAN") == "1", reason="RLIMIT_AS and AddressSanitizer's shadow memory do not mix"
)


LIMITED = textwrap.dedent(
    """
    import resource, sys
    # 1.5 GB of address space, as `ulimit -v 1500000`.
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000 * 1024, 1_500_000 * 1024))
    import psi
    t = psi.process.ProcessTable()
    pid = int(sys.argv[1])
    assert pid in t and len(t) > 1, len(t)
    p = psi.process.Process(pid)
    print(len(p.args), len(t))
    """
)


@not_under_asan
def test_argument_area_of_256_mib_under_an_address_space_limit(helper: str, hostile: ReadyChildren) -> None:
    pid = hostile.start([helper, "big", "256"])
    assert os.path.getsize(f"/proc/{pid}/cmdline") == 0  # procfs sizes are 0; read it instead
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        head = f.read(1 << 20)
    assert head == b"\0" * (1 << 20)
    out = subprocess.run([sys.executable, "-c", LIMITED, str(pid)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    nargs, count = out.stdout.split()
    assert int(nargs) == 1  # all NULs: ('',), which ps shows as "?"
    assert int(count) > 1


@not_under_asan
def test_nul_dense_area_is_bounded(helper: str, hostile: ReadyChildren) -> None:
    pid = hostile.start([helper, "big", "4", "tail"])
    out = subprocess.run([sys.executable, "-c", LIMITED, str(pid)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    # 4 Mi NULs then "x": capped at 6 MiB / 9 strings, never one per byte.
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        pieces = f.read().rstrip(b"\0").count(b"\0") + 1
    assert int(out.stdout.split()[0]) == min(pieces, (6 << 20) // 9)


SHAPES = [
    b"nginx: worker process" + b"\0" * 40,
    b"a\0\0\0",
    b"\0\0",
    b"title     ",
    b"a\0\0b\0",
    b" \0\0",
]


@pytest.mark.parametrize("raw", SHAPES, ids=lambda b: b.hex())
def test_command_line_shapes_as_ps(helper: str, hostile: ReadyChildren, raw: bytes) -> None:
    pid = hostile.start([helper, "args", raw.hex()])
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert f.read() == raw
    p = psi.process.Process(pid)
    shown = " ".join(p.args).replace("\n", " ")
    assert (shown or "?") == ps_args(pid)
    # Trailing empty strings come only from blanks, never from NUL padding.
    if raw.endswith(b"\0") and raw.strip(b"\0"):
        assert p.args[-1] != ""


def test_setproctitle(spawn: object, tmp_path: Path) -> None:
    pytest.importorskip("setproctitle")
    code = textwrap.dedent(
        """
        import setproctitle, sys, time
        setproctitle.setproctitle("worker: idle")
        print("ready", flush=True)
        time.sleep(120)
        """
    )
    # Long arguments make an area the title leaves mostly as padding.
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "x" * 200, "y" * 200], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        p = psi.process.Process(proc.pid)
        assert " ".join(p.args) == ps_args(proc.pid)
        assert "" not in p.args[-1:]
        assert not p.command.endswith(" ")
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


def test_empty_argv(helper: str, hostile: ReadyChildren) -> None:
    pid = hostile.start([helper, "empty-argv"])
    p = psi.process.Process(pid)
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        raw = f.read()
    assert raw.strip(b"\0") == b""
    assert p.args == ("",) if raw else p.args == ()
    assert (" ".join(p.args) or "?") == ps_args(pid)


def test_environ_without_equals_as_getenv(helper: str, hostile: ReadyChildren) -> None:
    psutil = pytest.importorskip("psutil")
    raw = b"HOME\0HOME=/root\0X=1\0X=2\0"
    pid = hostile.start([helper, "env", raw.hex()])
    env = psi.process.Process(pid).env
    # getenv and os.environ: "HOME" is no definition, the first X wins.
    assert env == {"HOME": "/root", "X": "1"}
    theirs = psutil.Process(pid).environ()
    assert env.keys() == theirs.keys()
    assert env["HOME"] == theirs["HOME"]


def test_environ_as_os_environ_of_the_process(tmp_path: Path) -> None:
    """The child reports its own os.environ (CPython's reading of the same
    environ block, with a definition-less entry and a duplicate)."""
    script = tmp_path / "child.py"
    script.write_text(
        "import os, sys, json, time\n"
        "print(json.dumps(dict(os.environ)), flush=True)\n"
        "time.sleep(120)\n"
    )
    envp = [b"NOEQ", b"K=first", b"K=second", b"PATH=" + os.environb.get(b"PATH", b"/usr/bin")]
    launcher = (
        "import ctypes, os, sys\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "argv = (ctypes.c_char_p * 3)(sys.executable.encode(), sys.argv[1].encode(), None)\n"
        f"envp = (ctypes.c_char_p * {len(envp) + 1})(*{envp!r}, None)\n"
        "libc.execve(sys.executable.encode(), argv, envp)\n"
        "sys.exit(ctypes.get_errno())\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", launcher, str(script)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        import json

        theirs = json.loads(proc.stdout.readline())
        ours = psi.process.Process(proc.pid).env
        for key in ("NOEQ", "K"):
            assert (key in ours) == (key in theirs)
            if key in theirs:
                assert ours[key] == theirs[key]
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


def test_exe_deleted_and_exe_named_deleted(tmp_path: Path, hostile: ReadyChildren, helper: str) -> None:
    gone = tmp_path / "prog"
    named = tmp_path / "prog (deleted)"
    shutil.copy(helper, gone)
    shutil.copy(helper, named)
    a = hostile.start([str(gone), "pause"])
    b = hostile.start([str(named), "pause"])
    gone.unlink()
    assert os.readlink(f"/proc/{a}/exe") == f"{gone} (deleted)"
    assert os.readlink(f"/proc/{b}/exe") == str(named)
    pa, pb = psi.process.Process(a), psi.process.Process(b)
    assert (pa.exe, pa.exe_deleted) == (str(gone), True)
    assert (pb.exe, pb.exe_deleted) == (str(named), False)
    assert ps_field(a, "exe") == f"{gone} (deleted)"


def test_kill_after_pid_reuse_raises_and_spares_the_new_process(hostile: ReadyChildren, helper: str) -> None:
    """A Process whose pid now names another process: kill raises
    NoSuchProcessError. The reuse is made in a new pid namespace, where
    ns_last_pid makes the next fork take the pid just freed."""
    if os.geteuid() != 0:
        pytest.skip("needs root for a pid namespace")
    script = textwrap.dedent(
        """
        import ctypes, os, signal, sys, time
        libc = ctypes.CDLL(None, use_errno=True)
        # unshare(CLONE_NEWPID | CLONE_NEWNS): the next child is pid 1 of a
        # new pid namespace, with a mount namespace for its own /proc.
        if libc.unshare(0x20000000 | 0x00020000) != 0:
            sys.exit("unshare: Operation not permitted")
        pid = os.fork()
        if pid == 0:
            # pid 1 of the new namespace: mount its own /proc so psi reads it.
            os.system("mount --make-rprivate / && mount -t proc proc /proc")
            import psi
            first = os.fork()
            if first == 0:
                time.sleep(60); os._exit(0)
            victim = psi.process.Process(first)
            os.kill(first, signal.SIGKILL); os.waitpid(first, 0)
            with open("/proc/sys/kernel/ns_last_pid", "w") as f:
                f.write(str(first - 1))
            second = os.fork()
            if second == 0:
                time.sleep(60); os._exit(0)
            assert second == first, (first, second)
            try:
                victim.kill(signal.SIGKILL)
                print("killed")
            except psi.NoSuchProcessError:
                print("refused")
            alive = os.waitpid(second, os.WNOHANG) == (0, 0)
            print("alive" if alive else "dead")
            os.kill(second, signal.SIGKILL)
            os._exit(0)
        os.waitpid(pid, 0)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    if "Operation not permitted" in out.stderr or "mount" in out.stderr and out.returncode:
        pytest.skip("no pid namespace here: " + out.stderr[-200:])
    assert out.stdout.split() == ["refused", "alive"], out.stdout + out.stderr


def test_process_kill_does_not_leak_pidfds(spawn: object) -> None:
    procs = [subprocess.Popen(["sleep", "60"]) for _ in range(3)]
    try:
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(20):
            for c in procs:
                p = psi.process.Process(c.pid)
                p.kill(0)
                del p
            for p in psi.process.ProcessTable().values():
                if p.pid in {c.pid for c in procs}:
                    p.kill(0)
        assert len(os.listdir("/proc/self/fd")) == before
    finally:
        for c in procs:
            c.kill()
            c.wait()


def test_many_process_objects_leave_descriptors_to_the_program() -> None:
    """Each Process pins its process with a pidfd, but only up to a budget
    (an eighth of RLIMIT_NOFILE): keeping thousands of Process objects
    under a 256-descriptor limit must leave the program able to open files,
    and every one of them can still be killed (pinned at kill time)."""
    script = textwrap.dedent(
        """
        import os, resource, psi
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        psi.process.Process(os.getpid())  # opens the System's own /proc descriptor, once
        base = len(os.listdir("/proc/self/fd"))
        keep = [psi.process.Process(os.getpid()) for _ in range(2000)]
        held = len(os.listdir("/proc/self/fd")) - base
        files = [open("/dev/null") for _ in range(150)]
        keep[-1].kill(0)
        keep[0].kill(0)
        del keep
        print(held, len(files), len(os.listdir("/proc/self/fd")) - base - len(files))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    held, opened, left = (int(x) for x in out.stdout.split())
    assert 0 < held <= 256 // 8
    assert opened == 150 and left == 0


def test_fifo_in_a_proc_tree_does_not_hang(tmp_path: Path) -> None:
    """Every per-process file replaced by a FIFO nobody writes: a listing in
    a subprocess (a hang fails by timeout, not by blocking the suite)."""
    root = tmp_path / "proc"
    for pid in (2, 3):
        d = root / str(pid)
        d.mkdir(parents=True)
        (d / "stat").write_text(
            f"{pid} (p{pid}) S 1 {pid} {pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 10"
            + " 0" * 28
            + "\n"
        )
        for name in ("statm", "status", "cmdline", "environ", "wchan"):
            if pid == 2:
                os.mkfifo(d / name)
            else:
                (d / name).write_bytes(b"prog\0" if name == "cmdline" else b"")
    os.mkfifo(root / "2" / "stat.x")  # not read; only a bystander
    code = "import psi; t = psi.process.ProcessTable(); print(sorted(t)); print(t[3].args)"
    env = dict(os.environ, PSI_PROCFS=str(root))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["[2, 3]", "('prog',)"]
