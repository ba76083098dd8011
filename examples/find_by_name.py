#!/usr/bin/env python3
"""Find processes by name, like pgrep: a regular expression matched against
the process name (at most 15 characters, as `ps -o comm` shows it), or with
-f against the whole command line.

    python examples/find_by_name.py sshd
    python examples/find_by_name.py -f 'python.*server.py'
"""

import argparse
import os
import re
import sys

import psi


def printable(text: str) -> str:
    """Control characters (a newline inside an argument) shown as '?', as ps does."""
    return "".join(c if c.isprintable() else "?" for c in text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", help="regular expression (re.search)")
    parser.add_argument("-f", "--full", action="store_true", help="match the whole command line")
    args = parser.parse_args()
    pattern = re.compile(args.pattern)

    found = 0
    for p in psi.process.ProcessTable().values():
        if p.pid == os.getpid():
            continue  # not this script (pgrep leaves itself out too)
        # A zombie has no command line any more: its command is its name.
        text = p.command if args.full else p.name
        if pattern.search(text):
            print(p.pid, printable(p.command))
            found += 1
    return 0 if found else 1  # pgrep's exit status


if __name__ == "__main__":
    sys.exit(main())
