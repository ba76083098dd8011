"""psi-ps's BSD v, s, c, n, S, k, O and --headers against procps ps 4.0.x.

Byte-for-byte comparisons use a fixed pid list of processes that do not
change (kthreadd and the suite's sleepers, plus a sleeper whose dead child
burned CPU, for S); whole-machine listings go through the sandwich
comparison (assert_like_ps), which tolerates values that move.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator, List

import pytest

from .psips_compare import assert_like_ps, assert_like_ps_in_pty, clean_env, ps_and_ours, ready_child, run
from .test_cli_misc import _opened

pytestmark = pytest.mark.usefixtures("procps")

# A child that uses 1.2 s of CPU and is waited for, then the shell becomes a
# sleeper: its stat keeps the child's time and faults (cutime, cminflt).
_REAPER = (
    '"$0" -c "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.2: pass"; '
    "echo ready; exec sleep 900"
)


@pytest.fixture(scope="module")
def reaper() -> Iterator[int]:
    with ready_child(["sh", "-c", _REAPER, sys.executable]) as pid:
        yield pid


def _pids(many: List[int], n: int = 12) -> str:
    return ",".join(str(p) for p in [2, *many[:n]])


@pytest.mark.parametrize(
    "words",
    [["v"], ["s"], ["c"], ["n"], ["vn"], ["sc"], ["uc"], ["un"], ["jn"], ["ln"], ["vc"], ["cf"], ["ce"],
     ["c", "-o", "pid,args,cmd,command,comm"], ["vv"], ["n", "-o", "pid,user,ruser,group,rgroup,fuser,fgroup"],
     ["n", "-o", "euser,egroup,uname,uid_hack,wchan,pid"], ["n", "-o", "pid,wchan"],
     ["-o", "pid,m_trs,m_drs,sig_block,sig_catch,sig_ignore,sig_pend"], ["v", "-L"], ["s", "-T"], ["s", "m"],
     ["-O", "rss", "n"], ["-O", "user", "c"], ["--rows", "3", "v"], ["-v"], ["-n", "-o", "user,pid"], ["-vn"]],
)
def test_bsd_letters_byte_for_byte(psi_ps: str, many_processes: List[int], words: List[str]) -> None:
    """v (virtual memory), s (signals), c (command name), n (numeric ids,
    right-aligned WCHAN) alone, together and with other formats."""
    theirs, ours = ps_and_ours(psi_ps, [*words, "-p", _pids(many_processes)])
    assert len(theirs.splitlines()) >= 14
    assert ours == theirs


@pytest.mark.parametrize("words, key", [(["axv"], 0), (["axs"], 1), (["axc"], 0), (["axcf"], 0), (["auxn"], 1),
                                        (["sx"], 1), (["axnl"], 2), (["ax", "k", "-pid"], 0)])
def test_bsd_letters_whole_table(psi_ps: str, words: List[str], key: int) -> None:
    """The whole table, zombies and kernel threads included."""
    res = assert_like_ps(psi_ps, words, key_col=key)
    assert res.compared >= (1 if words == ["sx"] else 50)


@pytest.mark.parametrize("cols", [80, 132])
def test_signal_format_on_a_terminal(psi_ps: str, cols: int) -> None:
    """s on a terminal: 8 hex digits when the line has no room for 16."""
    assert_like_ps_in_pty(psi_ps, ["axs"], 1, cols)


@pytest.mark.parametrize(
    "words",
    [["S", "-o", "pid,bsdtime,time,minflt,min_flt,majflt,maj_flt"], ["Sv"],
     ["--cumulative", "-o", "pid,bsdtime,minflt"], ["S", "c", "n", "j"]],
)
def test_dead_children(psi_ps: str, many_processes: List[int], reaper: int, words: List[str]) -> None:
    """S / --cumulative: bsdtime and the fault counts add the waited-for
    children's (TIME does not, in ps 4.0.2 either). No %cpu or C here: the
    reaper's moves as it ages (test_dead_children_pcpu)."""
    sel = ["-p", f"{reaper},{_pids(many_processes, 5)}"]
    theirs, ours = ps_and_ours(psi_ps, [*words, *sel])
    assert ours == theirs
    plain_words = [w.replace("S", "") for w in words if w not in ("S", "--cumulative")]
    plain, _ = run(["ps", *plain_words, *sel])
    assert plain != theirs  # the reaper's child did count


def test_dead_children_pcpu(psi_ps: str, many_processes: List[int], reaper: int) -> None:
    """%cpu with S moves as the reaper ages: compared between two ps runs.
    Sorted by %cpu, psi-ps counts the children's time as it shows it (ps
    4.0.2's order for a %cpu sort follows neither value, so it is not
    compared)."""
    sel = ["-p", f"{reaper},{_pids(many_processes, 8)}"]
    assert_like_ps(psi_ps, ["S", "-o", "pid,pcpu,c,bsdtime", *sel], key_col=0)
    assert_like_ps(psi_ps, ["S", "u", *sel], key_col=1)
    assert_like_ps(psi_ps, ["S", "c", "n", "u", *sel], key_col=1)
    ours, _ = run([psi_ps, "S", "--sort", "-pcpu", "-o", "pid=", *sel])
    assert int(ours.split()[0]) == reaper


@pytest.mark.parametrize("words", [["k", "-pid"], ["k-pid"], ["kpid,-ppid"], ["k", "ppid,-pid", "u"],
                                   ["O", "rss"], ["O", "user,rss"], ["O", "rss", "o", "ppid"], ["Op"], ["O-p"],
                                   ["O-rp"], ["O", "rss", "--sort", "-pid"], ["n", "O", "user"]])
def test_sort_and_O(psi_ps: str, many_processes: List[int], words: List[str]) -> None:
    """k as --sort; O as a one-letter sort order when it reads as one (and no
    --sort or k is given), else as pid,ITEMS,state,tname,cputime,comm."""
    theirs, ours = ps_and_ours(psi_ps, [*words, "-p", _pids(many_processes)])
    assert ours == theirs


def _page_lines(out: bytes) -> List[int]:
    lines = out.splitlines()
    return [i for i, ln in enumerate(lines) if ln == lines[0]]


@pytest.mark.parametrize("lines", ["2", "3", "7", "24", "0x5", "junk"])
@pytest.mark.parametrize("words", [["-o", "pid,comm"], ["v"], ["-o", "pid="], ["--rows", "4", "-o", "pid"],
                                   ["--lines=6", "s"]])
def test_headers_pages(psi_ps: str, many_processes: List[int], lines: str, words: List[str]) -> None:
    """--headers: the header heads every page of LINES (or --rows) lines."""
    env = clean_env(LINES=lines)
    theirs, ours = ps_and_ours(psi_ps, ["--headers", *words, "-p", _pids(many_processes, 40)], env)
    assert ours == theirs
    if lines in ("3", "7") and words[0] != "--rows" and b"=" not in words[-1].encode():
        assert len(_page_lines(ours)) >= 5


def test_headers_default_rows(psi_ps: str, many_processes: List[int]) -> None:
    """Without LINES, the terminal's rows, or 24 when there is none."""
    theirs, ours = ps_and_ours(psi_ps, ["--headers", "-o", "pid,comm", "-p", _pids(many_processes, 60)])
    assert ours == theirs


def test_headers_whole_table(psi_ps: str) -> None:
    """A long live listing: the headers fall every LINES - 1 rows."""
    out, _ = run([psi_ps, "-e", "--headers", "-o", "pid,comm"], clean_env(LINES="10"))
    pages = _page_lines(out)
    assert pages == list(range(0, len(out.splitlines()), 10))
    assert len(pages) >= 5
    theirs, _ = run(["ps", "-e", "--headers", "-o", "pid,comm"], clean_env(LINES="10"))
    assert _page_lines(theirs) == list(range(0, len(theirs.splitlines()), 10))


def test_headers_no_match(psi_ps: str) -> None:
    theirs, _ = run(["ps", "--headers", "-p", "99999999"], clean_env(LINES="5"), rc=(1,))
    ours, _ = run([psi_ps, "--headers", "-p", "99999999"], clean_env(LINES="5"), rc=(1,))
    assert ours == theirs


@pytest.mark.parametrize(
    "args, needle",
    [
        (["k"], b"long sort specification must follow 'k'"),
        (["ax", "k", ""], b"long sort specification must follow 'k'"),
        (["O"], b"format or sort specification must follow O"),
        (["--sort", "pid", "k", "ppid"], b"multiple sort options"),
        (["k", "pid", "--sort", "ppid"], b"multiple sort options"),
        (["O", "p", "--sort", "ppid"], b"unknown field 'p'"),
        (["o", "pid", "O", "rss"], b"option O is neither first format nor sort order"),
        (["u", "O", "rss"], b"conflicting format options"),
        (["-f", "O", "rss"], b"conflicting format options"),
        (["OJ"], b"BSD O sort key 'J' (cstime) is not supported"),
        (["O", "rss", "O", "p"], b"BSD O with another O or -O is not supported"),
        (["uv"], b"conflicting format options"),
        (["s", "v"], b"conflicting format options"),
        (["v", "-f"], b"conflicting format options"),
        (["h", "--headers"], b"only one heading option may be specified"),
        (["hh"], b"only one heading option may be specified"),
        (["--no-headers", "--headers"], b"only one heading option may be specified"),
        (["--headers=1"], b"takes no value"),
        (["--rows", "0"], b"number of rows must follow --rows or --lines"),
        (["S", "--interval", "1"], b"S/--cumulative with --interval or --watch is not supported"),
    ],
)
def test_refused(psi_ps: str, args: List[str], needle: bytes) -> None:
    """What ps refuses (or psi-ps does not imitate): exit 2, one line."""
    r = subprocess.run([psi_ps, *args], capture_output=True, env=clean_env(), timeout=60)
    assert r.returncode == 2, r
    assert r.stdout == b""
    assert r.stderr.count(b"\n") == 1 and r.stderr.startswith(b"psi-ps: ")
    assert needle in r.stderr
    if needle.startswith((b"long sort", b"multiple", b"option O", b"conflicting", b"only one")):
        ps = subprocess.run(["ps", *args], capture_output=True, env=clean_env(), timeout=60)
        assert ps.returncode != 0 and needle in ps.stderr


@pytest.mark.parametrize(
    "args, reads, never",
    [
        (["axc", "-o", "pid,args"], set(), {"cmdline", "status", "statm", "environ"}),
        (["axS", "-o", "pid,bsdtime,majflt"], {"stat"}, {"cmdline", "status", "statm"}),
        (["axn", "-o", "pid,user,group"], set(), {"status", "statm", "cmdline"}),
        (["v", "-p", "1"], {"stat", "cmdline"}, {"environ", "exe", "cwd", "wchan"}),
        (["s", "-p", "1"], {"stat", "status", "cmdline"}, {"environ", "exe", "cwd", "wchan", "statm"}),
    ],
)
def test_reads_only_what_the_format_needs(psi_ps: str, tmp_path: Path, args: List[str], reads: set, never: set) -> None:
    kinds = _opened(psi_ps, args, tmp_path)
    assert reads <= set(kinds), kinds
    assert not (never & set(kinds)), kinds
