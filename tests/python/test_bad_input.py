"""Bad input gets a clear error (a Python exception naming the problem),
never a crash."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import psi
from _psi_helpers import Spawner
from psi.process import Process, ProcessTable


@pytest.mark.parametrize(
    "pid, error",
    [
        (-1, ValueError),
        (2**64, ValueError),
        (2**31, ValueError),
        (-(2**70), ValueError),
        ("1", TypeError),
        (1.0, TypeError),
        (None, TypeError),
        (True, TypeError),
        ([1], TypeError),
    ],
)
def test_process_bad_pid(pid: object, error: type) -> None:
    with pytest.raises(error, match="pid"):
        Process(pid)  # type: ignore[arg-type]


def test_process_without_pid() -> None:
    with pytest.raises(TypeError):
        Process()  # type: ignore[call-arg]


def test_process_that_does_not_exist(spawn: Spawner) -> None:
    child = spawn(["true"])
    child.wait()
    with pytest.raises(psi.NoSuchProcessError) as info:
        Process(child.pid)
    assert str(child.pid) in str(info.value)
    with pytest.raises(psi.NoSuchProcessError):
        Process(0)  # Linux has no /proc/0


def test_kill_bad_signal(sleeper: subprocess.Popen[bytes]) -> None:
    p = Process(sleeper.pid)
    for sig in (999, -1, 65, 2**40):
        with pytest.raises(ValueError):
            p.kill(sig)
    with pytest.raises(TypeError):
        p.kill("TERM")  # type: ignore[arg-type]
    assert p.exists() and sleeper.poll() is None


def test_table_mutators() -> None:
    table = ProcessTable()
    with pytest.raises(TypeError):
        table["x"] = 1  # type: ignore[index, assignment]
    with pytest.raises(TypeError):
        table.update()
    with pytest.raises(TypeError):
        table.pop(1)
    with pytest.raises(TypeError):
        ProcessTable(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        ProcessTable(attrs=[1])  # type: ignore[list-item]


def test_proc_root_that_does_not_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PSI_PROCFS", str(tmp_path / "nowhere"))
    with pytest.raises(OSError, match="nowhere"):
        ProcessTable()
    with pytest.raises(OSError):
        Process(os.getpid())


def test_proc_root_with_garbage(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, content in [("123", b"garbage"), ("124", b"\0\0\0\xff"), ("125", b"125 (x")]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "stat").write_bytes(content)
    (tmp_path / "126").write_text("a file, not a directory")
    monkeypatch.setenv("PSI_PROCFS", str(tmp_path))
    assert dict(ProcessTable()) == {}  # nothing readable, nothing fails
    with pytest.raises(OSError):
        Process(123)
    with pytest.raises((OSError, psi.NoSuchProcessError)):
        Process(126)


def test_process_never_initialised() -> None:
    p = Process.__new__(Process)
    with pytest.raises(TypeError):
        p.pid


class _SubProcess(Process):
    extra = "x"


def test_getter_layout_process_and_subclass() -> None:
    """The attribute getters take the C++ value straight out of pybind11's
    instance (bindings/process_attrs.cpp, pinned pybind11 versions): values
    read through them must be this process's, for the class and for a
    Python subclass (whose instances pybind11 lays out the same way)."""
    for cls in (Process, _SubProcess):
        p = cls(os.getpid())
        assert p.pid == os.getpid()
        assert p.ppid == os.getppid()
        assert p.euid == os.geteuid() and p.rgid == os.getgid()
        assert p.cwd == os.getcwd()
    assert _SubProcess(os.getpid()).extra == "x"


def test_getter_layout_uninitialised_subclass() -> None:
    p = _SubProcess.__new__(_SubProcess)
    with pytest.raises(TypeError, match="__init__"):
        p.ppid
