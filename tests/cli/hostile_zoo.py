"""A zoo of hostile processes, alive for a whole pytest session.

Suites that compare whole listings with ps or /proc must hold on a machine
running any processes at all. Issue 9 item 13: both suites once failed (17
tests) because of one unrelated process with an unusual command line. The
zoo puts such processes on the machine for every run, so a comparison that
is not robust to them fails here rather than on someone else's machine:

- a setproctitle-style title: argv area overwritten, padded with NULs;
- a title padded with spaces;
- a title that changes every 20 ms (it changes between ps and psi-ps);
- argv = {} (execve with an empty argv; the kernel may supply "");
- a name with ESC, a newline and invalid UTF-8 (psips_compare's WeirdProcess);
- a zombie; a stopped process; a 1 MiB command line;
- a chain of 30 processes, each the only child of the previous one.

Cost: one `cc` of zoo_helper.c (~0.2 s) and a dozen small processes (one
Python). Everything is reaped at the end of the session, also when tests
fail: the zombie and the others are our children, and the chain ends from
its leaf up (each link reaps its child), so nothing is left to init.

PSI_TEST_ZOO=0 turns it off. Loaded once per session under the module name
psi_hostile_zoo (see load()), whichever conftest asks first.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
CHAIN_DEPTH = 30
BIG_ARG = 120 * 1024  # under MAX_ARG_STRLEN (128 KiB) per argument
BIG_ARGS = 9  # about 1 MiB in all


class Zoo:
    def __init__(self) -> None:
        self.procs: Dict[str, subprocess.Popen[bytes]] = {}
        self.zombie: Optional[subprocess.Popen[bytes]] = None
        self.chain_root: Optional[subprocess.Popen[bytes]] = None
        self.dir = Path(tempfile.mkdtemp(prefix="psi-zoo-"))

    # --- starting ------------------------------------------------------------

    def _helper(self) -> str:
        exe = compile_c(HERE / "zoo_helper.c", self.dir / "zoo_helper")
        if exe is None:
            raise RuntimeError("the hostile zoo needs a C compiler (cc); PSI_TEST_ZOO=0 skips it")
        return exe

    def _start(self, name: str, argv: List[bytes], **kw: object) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, **kw)  # type: ignore[call-overload]
        self.procs[name] = proc
        return proc

    def start(self) -> "Zoo":
        compare = load("psi_zoo_psips_compare", HERE / "psips_compare.py")
        WEIRD_ARG, WEIRD_CODE, WEIRD_NAME = compare.WEIRD_ARG, compare.WEIRD_CODE, compare.WEIRD_NAME

        helper = self._helper()
        h = os.fsencode(helper)
        pad = [b"padding-argument-%d" % i for i in range(8)]
        self._start("title-nul", [h, b"title-nul", b"zoo: nul-padded title", *pad])
        self._start("title-space", [h, b"title-space", b"zoo: space-padded", *pad])
        self._start("flap", [h, b"flap", *pad])
        self._start("empty-argv", [h, b"empty-argv"])
        self._start("big-argv", [h, b"pause", *[b"%d" % i + b"x" * BIG_ARG for i in range(BIG_ARGS)]])
        self._start("stopped", [h, b"pause", b"stopped"])
        # The chain in its own process group: one signal reaches every link.
        self.chain_root = self._start("chain", [h, b"chain", b"%d" % CHAIN_DEPTH], start_new_session=True)
        self._start(
            "weird",
            [os.fsencode(sys.executable), b"-c", WEIRD_CODE.encode(), "中".encode(), WEIRD_NAME, WEIRD_ARG],
        )
        for name, proc in self.procs.items():
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line != b"ready\n":
                raise RuntimeError(f"zoo process {name} did not start: {line!r}, exit {proc.poll()}")
        os.kill(self.procs["stopped"].pid, signal.SIGSTOP)
        _wait_state(self.procs["stopped"].pid, b"T")
        # A zombie: a child of ours that exited and that we reap only at the end.
        self.zombie = subprocess.Popen(["true"], stdin=subprocess.DEVNULL)
        _wait_state(self.zombie.pid, b"Z")
        return self

    def pids(self) -> Dict[str, int]:
        out = {name: p.pid for name, p in self.procs.items()}
        if self.zombie:
            out["zombie"] = self.zombie.pid
        return out

    # --- stopping ------------------------------------------------------------

    def stop(self) -> None:
        if self.chain_root is not None and self.chain_root.poll() is None:
            try:
                os.killpg(self.chain_root.pid, signal.SIGTERM)  # the leaf dies, the links follow
            except ProcessLookupError:
                pass
            try:
                self.chain_root.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.chain_root.pid, signal.SIGKILL)
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs.values():
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self.zombie is not None:
            self.zombie.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def compile_c(src: Path, out: Path) -> Optional[str]:
    """`src` built with the machine's C compiler into `out`; None when
    there is no compiler (the caller skips)."""
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None
    subprocess.run([cc, "-O1", "-o", str(out), str(src)], check=True)
    return str(out)


class ReadyChildren:
    """Children that each print "ready" once set up; all killed and reaped
    by close()."""

    def __init__(self) -> None:
        self.procs: List[subprocess.Popen[bytes]] = []

    def start(self, argv: List[str]) -> int:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.procs.append(p)
        assert p.stdout is not None
        assert p.stdout.readline() == b"ready\n"
        return p.pid

    def close(self) -> None:
        for p in self.procs:
            p.kill()
            p.wait()
            if p.stdout:
                p.stdout.close()


def _wait_state(pid: int, state: bytes, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/stat", "rb") as f:
            if f.read().rsplit(b")", 1)[1].split()[0] == state:
                return
        time.sleep(0.005)
    raise RuntimeError(f"pid {pid} never reached state {state!r}")


def enabled() -> bool:
    return os.environ.get("PSI_TEST_ZOO", "1") != "0" and sys.platform.startswith("linux")


def load(name: str, path: Path) -> types.ModuleType:
    """The module at `path`, imported once per interpreter as `name`: both
    suites' conftests reach this file by path (tests/python is no package),
    and one module object means one zoo for a run of both."""
    import importlib.util

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


_zoo: Optional[Zoo] = None
_users = 0


def acquire() -> Optional[Zoo]:
    """Starts the zoo for the first caller of a session; later callers (the
    other suite's conftest) share it. release() stops it after the last."""
    global _zoo, _users
    if not enabled():
        return None
    if _zoo is None:
        zoo = Zoo()
        try:
            zoo.start()
        except BaseException:
            zoo.stop()
            raise
        _zoo = zoo
    _users += 1
    return _zoo


def release() -> None:
    global _zoo, _users
    _users -= 1
    if _users == 0 and _zoo is not None:
        _zoo.stop()
        _zoo = None
