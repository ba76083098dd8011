"""Starts tests/helpers/named_threads.c (compiled with the machine's cc):
a process with three threads named psi-th0..2 that burned 0, 300 and 600 ms
of their own CPU. Shared by the Python and CLI thread tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional, Tuple

HERE = Path(__file__).resolve().parent


class NamedThreads:
    """pid, and tid -> (name, burned ms) of each named thread."""

    def __init__(self, step_ms: int = 300) -> None:
        self.step_ms = step_ms
        self.dir = Path(tempfile.mkdtemp(prefix="psi-threads-"))
        self.proc: Optional["subprocess.Popen[bytes]"] = None
        self.pid = 0
        self.threads: Dict[int, Tuple[str, int]] = {}

    def start(self) -> Optional["NamedThreads"]:
        cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if not cc:
            return None
        exe = self.dir / "named_threads"
        subprocess.run([cc, "-O1", "-pthread", "-o", str(exe), str(HERE / "named_threads.c")], check=True)
        self.proc = subprocess.Popen([str(exe), str(self.step_ms)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        self.pid = int(self.proc.stdout.readline())
        for _ in range(3):
            tid, name, ms = self.proc.stdout.readline().split()
            self.threads[int(tid)] = (name.decode(), int(ms))
        assert self.proc.stdout.readline() == b"ready\n"
        # Settle: each thread may still be leaving the barrier; wait (up to
        # 10 s, not a timing assertion) until all sleep in pause().
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(s == "S" for s in self.states().values()):
            time.sleep(0.01)
        return self

    def states(self) -> Dict[int, str]:
        """tid -> state letter from /proc/PID/task/TID/stat."""
        out: Dict[int, str] = {}
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{tid}/stat") as f:
                    out[int(tid)] = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                pass
        return out

    def stop(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
            assert self.proc.stdout is not None
            self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)
