#!/usr/bin/env python3
"""Processes in containers: those whose pid namespace differs from this
script's, grouped by namespace, with the control group of the first one.

    python examples/container_processes.py

Linux only, and reading another process's namespace link needs root (or
the same owner). This psi release has no namespace or cgroup attributes,
so the recipe reads /proc/PID/ns/pid and /proc/PID/cgroup itself; a later
release adds them to Process.
"""

import os
import sys
from typing import Dict, List, Optional

import psi


def pid_namespace(pid: int) -> Optional[str]:
    """'pid:[4026532301]': the same text for processes in the same namespace."""
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None  # gone, or not ours to see


def cgroup(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            return f.readline().strip().split(":", 2)[-1]  # cgroup v2: "0::/path"
    except OSError:
        return "?"


def printable(text: str) -> str:
    """Control characters (a newline inside an argument) shown as '?', as ps does."""
    return "".join(c if c.isprintable() else "?" for c in text)


def main() -> int:
    mine = pid_namespace(os.getpid())
    groups: Dict[str, List[psi.process.Process]] = {}
    for p in psi.process.ProcessTable().values():
        ns = pid_namespace(p.pid)
        if ns is not None and ns != mine:
            groups.setdefault(ns, []).append(p)

    for ns, procs in sorted(groups.items()):
        print(f"{ns} {len(procs)} processes, cgroup {cgroup(procs[0].pid)}")
        for p in procs:
            print(f"  {p.pid:>7} {p.euser:<10} {printable(p.command)[:70]}")
    return 0 if groups else 1


if __name__ == "__main__":
    sys.exit(main())
