"""Process.open_files() (issue 12): the regular files a process has open,
against the values a child set (offsets, open flags as fcntl F_GETFL shows
them), against psutil's open_files() and against fixture proc trees with
known answers. The child is quiet (blocked on a pipe) while compared."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest

import psi
from psi.process import OpenFile, Process

from _psi_helpers import in_unprivileged_child, proc_state, wait_until

# The child opens each kind of descriptor, reports what it set, and waits
# for stdin to close. Offsets are set with lseek/write on raw descriptors
# (no Python buffering between the call and the kernel's offset).
CHILD = r"""
import fcntl, json, os, socket, sys
d = sys.argv[1]
def make(name, size=16):
    with open(os.path.join(d, name), "wb") as f:
        f.write(b"0123456789abcdef"[:size])
    return os.path.join(d, name)
fds = {}
r = os.open(make("r"), os.O_RDONLY); os.lseek(r, 5, os.SEEK_SET); fds[r] = ("r", "r")
w = os.open(os.path.join(d, "w"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600); os.write(w, b"x" * 10); fds[w] = ("w", "w")
a = os.open(make("a"), os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC); os.write(a, b"xyz"); fds[a] = ("a", "a")
rw = os.open(make("rw"), os.O_RDWR); os.lseek(rw, 9, os.SEEK_SET); fds[rw] = ("rw", "r+")
rwa = os.open(make("rwa"), os.O_RDWR | os.O_APPEND); fds[rwa] = ("rwa", "a+")
odd = os.open(make(os.fsdecode(b"odd\nname \xff")), os.O_RDONLY); fds[odd] = (os.fsdecode(b"odd\nname \xff"), "r")
gone = os.open(make("deleted", 4), os.O_RDWR); os.lseek(gone, 4, os.SEEK_SET); os.unlink(os.path.join(d, "deleted"))
fds[gone] = ("deleted", "r+")
others = list(os.pipe()) + [s.detach() for s in socket.socketpair()] + [os.open("/dev/null", os.O_RDONLY), os.open(d, os.O_RDONLY)]
report = {"files": {}, "others": others, "deleted": gone}
for fd, (name, mode) in fds.items():
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    if fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC:
        flags |= os.O_CLOEXEC
    report["files"][fd] = [os.path.join(d, name), os.lseek(fd, 0, os.SEEK_CUR), mode, flags]
sys.stdout.write(json.dumps(report) + "\n")
sys.stdout.flush()
sys.stdin.read()
"""


class Child:
    def __init__(self, tmp: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            # Not pytest's capture file, which may be a deleted regular file.
            stderr=subprocess.DEVNULL, text=True, errors="surrogateescape",
        )
        self.pid = self.proc.pid
        assert self.proc.stdout is not None
        self.report = json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


@pytest.fixture
def child(tmp_path: Path) -> Iterator[Child]:
    c = Child(tmp_path)
    yield c
    c.close()


def test_open_files_against_the_values_set(child: Child) -> None:
    got = {f.fd: f for f in Process(child.pid).open_files()}
    for fd_text, (path, pos, mode, flags) in child.report["files"].items():
        f = got[int(fd_text)]
        assert (f.path, f.fd, f.position, f.mode, f.flags) == (path, int(fd_text), pos, mode, flags)
        assert tuple(f) == (path, int(fd_text), pos, mode, flags)
    assert got[int(next(k for k, v in child.report["files"].items() if v[2] == "a"))].position == 19
    # Pipes, sockets, a character device and a directory are not regular files.
    for fd in child.report["others"]:
        assert fd not in got
    # Exactly the child's regular files: nothing else of a python -c is one.
    assert sorted(got) == sorted(int(k) for k in child.report["files"])
    assert list(got) == sorted(got)  # by descriptor


def test_open_files_against_psutil(child: Child) -> None:
    psutil = pytest.importorskip("psutil")
    ours = Process(child.pid).open_files()
    theirs = psutil.Process(child.pid).open_files()
    # psutil stats the link's text in its own namespace, so a deleted file
    # (whose path is gone) is missing from its list; psi stats the open
    # file itself. Everything else is the same five values.
    deleted = child.report["deleted"]
    assert [f.fd for f in ours if f.fd == deleted] == [deleted]
    assert sorted(tuple(f) for f in ours if f.fd != deleted) == sorted(tuple(f) for f in theirs)
    assert len(theirs) == len(child.report["files"]) - 1


def test_open_file_type() -> None:
    assert OpenFile._fields == ("path", "fd", "position", "mode", "flags")
    assert OpenFile.__module__ == "psi.process"
    assert psi._core.OpenFile is OpenFile
    entry = OpenFile("/x", 3, 0, "r", 0)
    assert pickle.loads(pickle.dumps(entry)) == entry


def test_own_open_files_and_a_thread_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "mine"
    path.write_bytes(b"hello world")
    with open(path, "rb", buffering=0) as f:
        f.seek(6)
        me = Process(os.getpid())
        entry = [o for o in me.open_files() if o.fd == f.fileno()]
        assert entry == [(str(path), f.fileno(), 6, "r", entry[0].flags)]
        assert entry[0].flags & os.O_CLOEXEC  # Python opens files non-inheritable (PEP 446)
        # A thread shares its process's descriptor table (CLONE_FILES).
        main = [t for t in me.thread_list() if t.tid == os.getpid()]
        assert [o for o in main[0].open_files() if o.fd == f.fileno()] == entry


def test_gone_process_raises_no_such_process() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    p = Process(proc.pid)
    assert isinstance(p.open_files(), list)
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait()
    with pytest.raises(psi.NoSuchProcessError) as info:
        p.open_files()
    assert info.value.pid == proc.pid


def test_zombie_has_no_open_files() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    # Not reaped: wait until the kernel shows it as a zombie.
    assert wait_until(lambda: proc_state(proc.pid) == "Z", timeout=60.0)
    try:
        assert Process(proc.pid).open_files() == []
    finally:
        proc.wait()


def test_another_users_process_is_insufficient_privs(child: Child) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root to drop to nobody")
    body = f"""
code = 0
p = Process({child.pid})
try:
    p.open_files()
    code = 1
except psi.InsufficientPrivsError as e:
    if e.pid != {child.pid} or "open_files" not in str(e): code = 2
"""
    assert in_unprivileged_child(body) == 0


# ---- fixture trees ------------------------------------------------------


def stat_line(pid: int, starttime: int) -> str:
    fields = ["0"] * 49
    fields[22 - 4] = str(starttime)
    return f"{pid} (prog) S " + " ".join(fields) + "\n"


@pytest.fixture
def proc_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[Tuple[Path, Dict[str, Path]]]:
    # Under /tmp itself, mode 0755: user nobody must reach it too (pytest's
    # tmp_path lies under a mode-0700 directory).
    with tempfile.TemporaryDirectory(prefix="psi-of-") as top:
        yield from make_tree(Path(top), monkeypatch)


def make_tree(top: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tuple[Path, Dict[str, Path]]]:
    top.chmod(0o755)
    root = top / "proc"
    files = top / "files"
    files.mkdir()
    paths = {name: files / name for name in ("a", "b")}
    for p in paths.values():
        p.write_bytes(b"data")
    d = root / "77"
    (d / "fd").mkdir(parents=True)
    (d / "fdinfo").mkdir()
    (d / "stat").write_text(stat_line(77, 1234))
    os.symlink(paths["a"], d / "fd" / "3")
    (d / "fdinfo" / "3").write_text(f"pos:\t2\nflags:\t0102001\nmnt_id:\t9\nino:\t{paths['a'].stat().st_ino}\n")
    os.symlink(paths["b"], d / "fd" / "4")  # closed before its fdinfo was read
    os.symlink("socket:[99]", d / "fd" / "5")
    (d / "fdinfo" / "5").write_text("pos:\t0\nflags:\t02\n")
    monkeypatch.setenv("PSI_PROCFS", str(root))
    yield d, paths


def test_fixture_entries(proc_root: Tuple[Path, Dict[str, Path]]) -> None:
    _, paths = proc_root
    assert Process(77).open_files() == [OpenFile(str(paths["a"]), 3, 2, "a", 0o102001)]


def test_fixture_unparsable_fdinfo_is_os_error(proc_root: Tuple[Path, Dict[str, Path]]) -> None:
    d, _ = proc_root
    (d / "fdinfo" / "3").write_text("pos:\tnot a number\nflags:\t02\n")
    with pytest.raises(OSError):
        Process(77).open_files()


def test_fixture_reused_pid_is_no_such_process(proc_root: Tuple[Path, Dict[str, Path]]) -> None:
    d, _ = proc_root
    p = Process(77)
    (d / "stat").write_text(stat_line(77, 9999))  # pid 77 is another process now
    with pytest.raises(psi.NoSuchProcessError):
        p.open_files()


def test_fixture_unreadable_fd_directory(proc_root: Tuple[Path, Dict[str, Path]]) -> None:
    d, _ = proc_root
    os.chmod(d / "fd", 0)
    if os.getuid() != 0:
        with pytest.raises(psi.InsufficientPrivsError):
            Process(77).open_files()
        return
    # Root reads mode-0000 directories: ask as nobody, through a traversable tree.
    for p in (d.parent, d):
        os.chmod(p, 0o755)
    body = """
code = 0
try:
    Process(77).open_files()
    code = 1
except psi.InsufficientPrivsError:
    pass
"""
    assert in_unprivileged_child(body) == 0
