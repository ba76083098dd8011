"""Every exception psi raises about one process carries that pid (issue 9,
item 7): ``e.pid`` is the pid, ``e.attribute`` None for actions.

The pid comes from the test's own child (or the system's pid 1), never
from psi.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

import psi
from _psi_helpers import Spawner, wait_until
from psi.process import Process


def gone_child(spawn: Spawner) -> int:
    """The pid of a child that has exited and been reaped."""
    child = spawn(["true"])
    child.wait()
    return child.pid


def test_process_of_a_missing_pid(spawn: Spawner) -> None:
    pid = gone_child(spawn)
    with pytest.raises(psi.NoSuchProcessError) as info:
        Process(pid)
    assert info.value.pid == pid
    assert info.value.attribute is None
    assert f"pid {pid}" in str(info.value)


def test_refresh_kill_children_of_a_gone_process(spawn: Spawner) -> None:
    child = spawn(["sleep", "60"])
    p = Process(child.pid)
    child.kill()
    child.wait()
    for action in (p.refresh, lambda: p.kill(0), p.kill, p.children):
        with pytest.raises(psi.NoSuchProcessError) as info:
            action()
        assert info.value.pid == child.pid
        assert info.value.attribute is None


def test_kill_refused_carries_the_pid(spawn: Spawner) -> None:
    if os.geteuid() != 0:
        # An unprivileged user may not signal init.
        with pytest.raises(psi.InsufficientPrivsError) as info:
            Process(1).kill(0)
        assert info.value.pid == 1 and info.value.attribute is None
        return
    # As root, a child that gives up root tries to signal a process of ours;
    # the kernel refuses (EPERM). The Process is made while still root.
    target = spawn(["sleep", "60"])
    script = textwrap.dedent(
        f"""
        import os, sys
        import psi
        p = psi.process.Process({target.pid})
        os.setgid(65534)
        os.setuid(65534)
        try:
            p.kill(0)
        except psi.InsufficientPrivsError as e:
            print(type(e).__name__, e.pid, e.attribute)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["InsufficientPrivsError", str(target.pid), "None"]
    assert target.poll() is None  # and it did not get a signal


def test_lazy_read_of_a_gone_process_carries_the_pid(spawn: Spawner) -> None:
    child = spawn(["sleep", "60"])
    table = psi.process.ProcessTable(attrs=["name"])
    p = table[child.pid]
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert wait_until(lambda: not os.path.exists(f"/proc/{child.pid}"))
    with pytest.raises(psi.AttrNotAvailableError) as info:
        p.env
    assert info.value.pid == child.pid and info.value.attribute == "env"
