#!/usr/bin/env python3
"""Processes still running a program file that has since been deleted or
replaced, typically services that need a restart after a package upgrade.

    python examples/deleted_binaries.py

Run it as root to see every user's processes: the kernel shows a
process's executable only to its owner (and root).
"""

import os
import sys
from typing import Optional

import psi


def exe_deleted(p: psi.process.Process) -> Optional[bool]:
    """True when p's executable file is gone; None when we cannot tell."""
    flag = getattr(p, "exe_deleted", None)  # in psi releases that have it
    if flag is not None:
        return bool(flag)
    # Older psi: Process.exe drops the kernel's " (deleted)" mark, so ask
    # the link itself (Linux).
    try:
        return os.readlink(f"/proc/{p.pid}/exe").endswith(" (deleted)")
    except OSError:
        return None  # a kernel thread, a zombie, or not ours to see


def printable(text: str) -> str:
    """Control characters shown as '?', as ps does (also undecodable bytes)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def main() -> int:
    found = 0
    print(f"{'PID':>7} {'USER':<10} EXE")
    for p in psi.process.ProcessTable(attrs=["exe"]).values():
        exe = getattr(p, "exe", None)
        # A program run from a memory file (memfd_create, e.g. by container
        # runtimes) always shows as deleted; there is no file to update.
        if exe is None or exe.startswith("/memfd:"):
            continue
        if exe_deleted(p):
            print(f"{p.pid:>7} {p.euser:<10} {printable(exe)}")
            found += 1
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
