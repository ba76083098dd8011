"""Helpers of the Python suite (fixtures are in conftest.py).

The oracles are the system itself: the os module, `ps -o FIELD= -p PID`
(procps), /proc read directly, and psutil where it measures the same thing.
Nothing here asks psi for the expected value.
"""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional


def ps_field(pid: int, field: str) -> str:
    """One procps field of one process, as `ps` prints it (stripped)."""
    out = subprocess.run(
        ["ps", "-o", f"{field}=", "-p", str(pid)], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Polls predicate until true; the timeout only bounds a failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def proc_state(pid: int) -> str:
    """The state letter from /proc/PID/stat (after the last ')')."""
    data = Path(f"/proc/{pid}/stat").read_bytes()
    return data[data.rindex(b")") + 2 :].split()[0].decode()


class Spawner:
    """Starts children and makes sure none outlives the test."""

    def __init__(self) -> None:
        self.procs: List[subprocess.Popen[bytes]] = []

    def __call__(
        self,
        argv: List[str],
        env: Optional[Dict[str, str]] = None,
        cwd: Optional[Path] = None,
        **kwargs: object,
    ) -> subprocess.Popen[bytes]:
        # Popen returns after the exec succeeded (it waits on an error pipe
        # closed by exec), so /proc already shows the new program.
        proc = subprocess.Popen(argv, env=env, cwd=cwd, **kwargs)  # type: ignore[call-overload]
        self.procs.append(proc)
        return proc

    def cleanup(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    proc.send_signal(signal.SIGCONT)
                    proc.kill()
                except ProcessLookupError:
                    pass
            proc.wait()


def settle(pid: int) -> None:
    """Waits until a fresh child is asleep and done loading (its resident
    size, read straight from /proc, stops changing), so values compared with
    ps cannot move between the two reads."""

    def statm() -> str:
        return Path(f"/proc/{pid}/statm").read_text()

    def settled() -> bool:
        if proc_state(pid) != "S":
            return False
        first = statm()
        time.sleep(0.05)
        return proc_state(pid) == "S" and statm() == first

    assert wait_until(settled)


PYTHON = sys.executable


def hostile_zoo_module() -> Any:
    """tests/cli/hostile_zoo.py (the hostile zoo and its child helpers),
    loaded once per interpreter under one name, so the CLI and Python
    suites share one zoo in a run of both."""
    import importlib.util
    import sys

    name = "psi_hostile_zoo"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "cli" / "hostile_zoo.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def in_unprivileged_child(body: str) -> int:
    """Runs `body` (Python that sets `code`) in a forked child that dropped
    to user nobody, with `psi` and `Process` in scope; its exit code."""
    import psi
    from psi.process import Process

    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 99
        try:
            nobody = pwd.getpwnam("nobody")
            if os.getuid() == 0:
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            scope: Dict[str, object] = {"psi": psi, "Process": Process}
            exec(body, scope)
            code = int(scope["code"])  # type: ignore[call-overload]
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
