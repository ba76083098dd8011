"""The things bench/run.py times, behind one interface.

Two kinds:
* WorkerContender: a long-lived process (C++ probe or bench/py_worker.py)
  that times one pass in-process per "run" command. Exec, dynamic loading and
  imports are paid once, outside the figures.
* CommandContender: a whole command (procps ps, psi-ps) timed from fork to
  exit with its output drained from a pipe, as a user at a terminal pays it.

A contender that cannot start is "skipped (reason)"; one that fails later is
"failed (reason)" and drops out; neither stops the others.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Sample:
    ns: int
    count: int

    @property
    def us_per_proc(self) -> float:
        return self.ns / 1e3 / max(self.count, 1)


@dataclass
class Contender:
    key: str
    label: str
    group: str = "info"  # which table section it belongs to
    skipped: Optional[str] = None
    failed: Optional[str] = None
    # samples[target] = list of Sample, one per round
    samples: dict[int, list[Sample]] = field(default_factory=dict)
    memory: dict[int, dict[str, float]] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.skipped is None and self.failed is None

    @property
    def status(self) -> Optional[str]:
        if self.skipped is not None:
            return f"skipped ({self.skipped})"
        if self.failed is not None:
            return f"failed ({self.failed})"
        return None

    def start(self) -> None:
        pass

    def run_once(self) -> Sample:
        raise NotImplementedError

    def measure_memory(self) -> Optional[dict[str, float]]:
        return None

    def stop(self) -> None:
        pass

    def record(self, target: int, warmup: bool = False) -> None:
        if not self.active:
            return
        try:
            sample = self.run_once()
        except BenchError as e:
            self.failed = str(e)
            self.stop()
            return
        if not warmup:
            self.samples.setdefault(target, []).append(sample)


class BenchError(Exception):
    pass


def _parse_kv(line: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in line.split() if "=" in part)


class WorkerContender(Contender):
    """Drives a probe speaking the bench/worker.hpp line protocol."""

    def __init__(self, key: str, label: str, argv: list[str], group: str = "info",
                 timeout: float = 300.0, env: Optional[dict[str, str]] = None,
                 memory_env: Optional[dict[str, str]] = None) -> None:
        super().__init__(key, label, group)
        self.argv = argv
        self.timeout = timeout
        self.env = env
        self.memory_env = memory_env
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.stderr_file: Optional[tempfile._TemporaryFileWrapper[bytes]] = None
        self._buf = b""

    def start(self) -> None:
        if not self.active:
            return
        self.stderr_file = tempfile.NamedTemporaryFile(prefix=f"psi-bench-{self.key}-", suffix=".err")
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self.stderr_file, env=self.env)
        except OSError as e:
            self.skipped = f"cannot start {self.argv[0]}: {e.strerror}"
            return
        try:
            first = self._read_line()
        except BenchError as e:
            self.skipped = str(e)
            self.stop()
            return
        if first.startswith("skip="):
            self.skipped = first[5:]
            self.stop()
        elif first != "ready":
            self.skipped = f"unexpected greeting {first!r}"
            self.stop()

    def _stderr_tail(self) -> str:
        if self.stderr_file is None:
            return ""
        try:
            with open(self.stderr_file.name, "rb") as f:
                lines = f.read().decode(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:200] if lines else ""

    def _read_line(self) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + self.timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buf:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise BenchError(f"no answer within {self.timeout:.0f} s")
                chunk = os.read(fd, 65536)
                if not chunk:
                    rc = self.proc.wait()
                    tail = self._stderr_tail()
                    raise BenchError(f"exited with status {rc}" + (f": {tail}" if tail else ""))
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line.decode(errors="replace").strip()

    def _ask(self, command: str) -> dict[str, str]:
        if self.proc is None or self.proc.stdin is None:
            raise BenchError("not running")
        try:
            self.proc.stdin.write(command.encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise BenchError(f"exited early: {self._stderr_tail()}") from None
        reply = _parse_kv(self._read_line())
        if "error" in reply:
            raise BenchError(reply["error"])
        return reply

    def run_once(self) -> Sample:
        reply = self._ask("run")
        try:
            sample = Sample(int(reply["ns"]), int(reply["count"]))
        except (KeyError, ValueError):
            raise BenchError(f"bad reply {reply!r}") from None
        if sample.count <= 0:
            raise BenchError("read no process")
        return sample

    def measure_memory(self) -> Optional[dict[str, float]]:
        """Asks for "mem"; with memory_env, asks a fresh worker started
        with that environment (so the timing worker keeps its allocator)."""
        if not self.active:
            return None
        if self.memory_env is not None:
            probe = WorkerContender(self.key, self.label, self.argv, self.group, self.timeout,
                                    {**(self.env or os.environ), **self.memory_env})
            probe.start()
            result = probe.measure_memory()
            probe.stop()
            return result
        try:
            reply = self._ask("mem")
        except BenchError:
            return None  # memory figures are optional; timings stand
        try:
            return {k: float(v) for k, v in reply.items()}
        except ValueError:
            return None

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.stdin is not None:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()  # our own child, by its handle
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self.stderr_file is not None:
            self.stderr_file.close()
            self.stderr_file = None


class CommandContender(Contender):
    """A whole command; count = its output lines minus the header."""

    def __init__(self, key: str, label: str, argv: list[str], group: str = "info",
                 timeout: float = 300.0, env: Optional[dict[str, str]] = None) -> None:
        super().__init__(key, label, group)
        self.argv = argv
        self.timeout = timeout
        self.env = env

    def run_once(self) -> Sample:
        t0 = time.perf_counter_ns()
        try:
            done = subprocess.run(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=self.timeout, env=self.env, check=False)
        except subprocess.TimeoutExpired:
            raise BenchError(f"no exit within {self.timeout:.0f} s") from None
        except OSError as e:
            raise BenchError(f"cannot run: {e.strerror}") from None
        elapsed = time.perf_counter_ns() - t0
        if done.returncode != 0:
            msg = done.stderr.decode(errors="replace").strip().splitlines()
            raise BenchError(f"exit status {done.returncode}" + (f": {msg[-1][:200]}" if msg else ""))
        rows = done.stdout.count(b"\n") - 1
        if rows <= 0:
            raise BenchError("printed no process")
        return Sample(elapsed, rows)
