#!/usr/bin/env python3
"""The processes using the most memory (resident set), biggest first.

    python examples/top_memory.py          # the top 10
    python examples/top_memory.py -n 25
"""

import argparse

import psi


def printable(text: str) -> str:
    """Control characters (a newline inside an argument) shown as '?', as ps does."""
    return "".join(c if c.isprintable() else "?" for c in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="how many processes (default 10)")
    args = parser.parse_args()

    # The default table already reads rss, the user name and the command.
    table = psi.process.ProcessTable()
    by_rss = sorted(table.values(), key=lambda p: p.rss, reverse=True)

    print(f"{'PID':>7} {'RSS_KIB':>10} {'USER':<10} COMMAND")
    for p in by_rss[: args.n]:
        # command is the argument list, or [name] for a kernel thread
        print(f"{p.pid:>7} {p.rss // 1024:>10} {p.euser:<10} {printable(p.command)[:80]}")


if __name__ == "__main__":
    main()
