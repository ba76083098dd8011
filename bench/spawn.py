"""Raising the process count for the benchmark, and undoing it exactly.

The forking is done by psi_bench_spawner (bench/spawner.cpp); this side
checks the kernel's limits first, so a 10,000-process run fails with a reason
instead of half-way, and guarantees the spawner is told to clean up however
the run ends (normal exit, exception, Ctrl-C, SIGTERM). The spawner runs in
its own session so Ctrl-C reaches only this driver, which then asks for the
cleanup; if the driver is killed outright the spawner sees EOF on its stdin,
and if the spawner is killed its children get SIGKILL from the kernel
(PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import os
import resource
import subprocess
from typing import Optional

# Measured on Linux 6.x x86-64: a forked child that only pause()s costs
# ~130 KiB (page tables, kernel stack, task structs). Doubled for margin.
BYTES_PER_CHILD = 256 * 1024


class SpawnError(Exception):
    pass


def count_processes(proc_root: str = "/proc") -> int:
    """Thread-group leaders now in /proc (what a process table lists)."""
    return sum(1 for name in os.listdir(proc_root) if name.isdigit())


def _read_int(path: str) -> Optional[int]:
    try:
        with open(path, "rb") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _threads_now() -> Optional[int]:
    # /proc/loadavg's 4th field is "runnable/total scheduling entities".
    try:
        with open("/proc/loadavg", "rb") as f:
            return int(f.read().split()[3].split(b"/")[1])
    except (OSError, ValueError, IndexError):
        return None


def _mem_available() -> Optional[int]:
    try:
        with open("/proc/meminfo", "rb") as f:
            for line in f:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def check_limits(extra: int) -> list[str]:
    """Reasons `extra` more processes cannot be created; [] when they can."""
    problems: list[str] = []
    pid_max = _read_int("/proc/sys/kernel/pid_max")
    now = count_processes()
    threads = _threads_now() or now
    if pid_max is not None and threads + extra > pid_max * 0.9:
        problems.append(f"kernel.pid_max is {pid_max}; {threads} tasks exist and {extra} more are needed "
                        f"(raise it: sysctl -w kernel.pid_max=4194304)")
    threads_max = _read_int("/proc/sys/kernel/threads-max")
    if threads_max is not None and threads + extra > threads_max * 0.9:
        problems.append(f"kernel.threads-max is {threads_max}; {threads} tasks exist and {extra} more are needed")
    soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    # RLIMIT_NPROC is not enforced for root (CAP_SYS_RESOURCE/CAP_SYS_ADMIN).
    if os.geteuid() != 0 and soft != resource.RLIM_INFINITY and soft < threads + extra:
        want = hard if hard == resource.RLIM_INFINITY else min(hard, threads + extra + 64)
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (want, hard))
        except (ValueError, OSError):
            pass
        soft, _ = resource.getrlimit(resource.RLIMIT_NPROC)
        if soft != resource.RLIM_INFINITY and soft < threads + extra:
            problems.append(f"RLIMIT_NPROC is {soft} (ulimit -u) and cannot be raised to {threads + extra}")
    available = _mem_available()
    if available is not None and extra * BYTES_PER_CHILD > available:
        problems.append(f"{extra} idle children need about {extra * BYTES_PER_CHILD >> 20} MiB; "
                        f"{available >> 20} MiB available")
    return problems


class Spawner:
    """Keeps idle children alive so /proc holds at least a target count."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.proc: Optional[subprocess.Popen[str]] = None
        self.children = 0

    def _command(self, line: str) -> str:
        if self.proc is None:
            self.proc = subprocess.Popen([self.binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True, start_new_session=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().strip()
        if not reply:
            raise SpawnError(f"spawner exited (status {self.proc.poll()})")
        return reply

    def ensure(self, target: int) -> int:
        """Spawns enough children for `target` processes; returns the count.

        Other users' processes may exit meanwhile, so it tops up a few times.
        """
        for _ in range(5):
            missing = target - count_processes()
            if missing <= 0:
                break
            problems = check_limits(missing)
            if problems:
                raise SpawnError("; ".join(problems))
            reply = self._command(f"spawn {missing}").split()
            if reply[0] == "error":
                errno = int(reply[1])
                raise SpawnError(f"fork failed after {reply[2]} children: {os.strerror(errno)}")
            self.children = int(reply[1])
        return count_processes()

    def close(self) -> int:
        """Kills and reaps every child; returns how many were reaped."""
        proc, self.proc = self.proc, None
        if proc is None:
            return 0
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.close()  # EOF: the spawner SIGKILLs and reaps its children
        except OSError:
            pass
        reply = ""
        try:
            reply = proc.stdout.readline().strip()
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()  # children then die of PR_SET_PDEATHSIG
            proc.wait()
        proc.stdout.close()
        parts = reply.split()
        reaped = int(parts[1]) if len(parts) == 2 and parts[0] == "done" else 0
        self.children = 0
        return reaped

    def __enter__(self) -> "Spawner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
