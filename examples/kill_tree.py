#!/usr/bin/env python3
"""Kill a process and all its descendants.

    python examples/kill_tree.py PID            # SIGTERM
    python examples/kill_tree.py -s KILL PID

The tree is frozen first (SIGSTOP), so no process in it can start a child
the listing would miss; then every process is sent the signal and SIGCONT
(a stopped process acts on SIGTERM only once continued).
Process.kill() checks that the pid still names the process that was
listed, so a pid reused in the meantime never gets the signal.
"""

import argparse
import signal
import sys
from typing import Dict, List

import psi


def descendants(root: psi.process.Process) -> List[psi.process.Process]:
    """root's children, grandchildren, ... from one snapshot of the table."""
    children: Dict[int, List[psi.process.Process]] = {}
    for p in psi.process.ProcessTable().values():
        children.setdefault(p.ppid, []).append(p)
    found: List[psi.process.Process] = []
    todo = [root.pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def send(p: psi.process.Process, sig: int) -> bool:
    try:
        p.kill(sig)
        return True
    except psi.NoSuchProcessError:
        return False  # it exited by itself


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("-s", "--signal", default="TERM", help="signal name (default TERM)")
    args = parser.parse_args()
    sig = signal.Signals["SIG" + args.signal.upper().removeprefix("SIG")]

    try:
        root = psi.process.Process(args.pid)
    except psi.NoSuchProcessError:
        print(f"no process {args.pid}", file=sys.stderr)
        return 1

    # Freeze from the top down, until a listing finds nothing new.
    tree = [root]
    send(root, signal.SIGSTOP)
    while True:
        new = [p for p in descendants(root) if p not in tree]
        if not new:
            break
        for p in new:
            send(p, signal.SIGSTOP)
        tree += new

    for p in tree:
        if send(p, sig):
            print(p.pid, p.name)
        send(p, signal.SIGCONT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
