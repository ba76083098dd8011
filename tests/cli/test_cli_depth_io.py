"""psi-ps's I/O, USS/PSS and OOM columns (issue 12) byte for byte with
procps ps (headers, widths and formats from procps_depth_fields.py), and
the files each column reads (only its group's: strace)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, List

import pytest

from .procps_depth_fields import FIELDS
from .psips_compare import ready_child, run
from .test_cli_misc import _opened

IO_COLS = ["rops", "wops", "rbytes", "wbytes", "rchars", "wchars", "wcbytes"]
ALL_COLS = IO_COLS + ["uss", "pss", "oom", "oomadj"]
# PSS divides each shared page by the number of processes mapping it, and
# ps and psi-ps map different shared libraries while they read: the child's
# PSS is not the same number under the two (it is compared with the file
# below, with a margin); every other column is exact.
EXACT_COLS = [c for c in ALL_COLS if c != "pss"]

# A quiet child: it did some I/O, then blocks on stdin, so its counters and
# private pages stay put while ps and psi-ps read them.
CHILD = r"""
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"y" * 100000)
open("/proc/self/oom_score_adj", "w").write("123")
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    out = tmp_path_factory.mktemp("io") / "data"
    with ready_child([sys.executable, "-c", CHILD, str(out)], stdin=subprocess.PIPE) as pid:
        yield pid


def _both(psi_ps: str, cols: List[str], pids: str) -> List[bytes]:
    """ps, psi-ps, ps: the middle one is compared when the two ps agree
    (PSS moves when any other process maps or drops a shared page). Even
    then a value can move and come back between the reads (an idle
    process's USS went 2952 -> 2948 -> 2952 KiB in a CI run), so a
    mismatch is retried: a formatting bug differs in every attempt."""
    args = ["-o", ",".join(cols), "-p", pids]
    agreed: List[bytes] = []
    for _ in range(20):
        a, _ = run(["ps", *args])
        ours, _ = run([psi_ps, *args])
        b, _ = run(["ps", *args])
        if a == b:
            agreed = [a, ours]
            if ours == a:
                break
        time.sleep(0.05)
    if not agreed:
        pytest.skip("the values kept moving under ps")
    return agreed


def test_headers_are_procps(procps: str, psi_ps: str, quiet: int) -> None:
    for col in ALL_COLS:
        ours, _ = run([psi_ps, "-o", col, "-p", str(quiet)])
        theirs, _ = run(["ps", "-o", col, "-p", str(quiet)])
        assert ours.split(b"\n")[0] == theirs.split(b"\n")[0], col
        assert ours.split(b"\n")[0].strip() == FIELDS[col].header.encode()


def test_columns_match_ps_byte_for_byte(procps: str, psi_ps: str, quiet: int) -> None:
    # The quiet child, pid 2 (a kernel thread: no io counters of its own
    # and no mm, which ps prints as 0) and pid 1.
    theirs, ours = _both(psi_ps, EXACT_COLS, f"1,2,{quiet}")
    assert ours == theirs
    row = [line for line in ours.split(b"\n") if line.strip()][-1].split()
    assert int(row[EXACT_COLS.index("wchars")]) >= 100000
    assert row[EXACT_COLS.index("oomadj")] == b"123"


def test_pss_is_the_rollup_in_kib(procps: str, psi_ps: str, quiet: int) -> None:
    def rollup_kib() -> int:
        text = Path(f"/proc/{quiet}/smaps_rollup").read_text()
        return next(int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:"))

    ours, _ = run([psi_ps, "-o", "pid,pss", "-p", str(quiet)])
    theirs, _ = run(["ps", "-o", "pid,pss", "-p", str(quiet)])
    head, line = ours.split(b"\n")[:2]
    assert head == theirs.split(b"\n")[0]
    assert len(line) == len(theirs.split(b"\n")[1])  # same justification and width
    assert abs(int(line.split()[1]) - rollup_kib()) <= max(512, rollup_kib() // 10)


def test_each_column_alone(procps: str, psi_ps: str, quiet: int) -> None:
    for col in EXACT_COLS:
        theirs, ours = _both(psi_ps, ["pid", col], str(quiet))
        assert ours == theirs, col


def test_values_are_the_files(psi_ps: str, quiet: int) -> None:
    io = {k: int(v) for k, v in (line.split(": ") for line in Path(f"/proc/{quiet}/io").read_text().splitlines())}
    out, _ = run([psi_ps, "-o", "rops=,wops=,rbytes=,wbytes=,rchars=,wchars=,wcbytes=", "-p", str(quiet)])
    keys = ["syscr", "syscw", "read_bytes", "write_bytes", "rchar", "wchar", "cancelled_write_bytes"]
    assert [int(x) for x in out.split()] == [io[k] for k in keys]


@pytest.mark.parametrize(
    "fields, reads, never",
    [
        ("pid,rops,wcbytes", {"io"}, {"smaps_rollup", "oom_score", "oom_score_adj", "limits", "fd", "status"}),
        ("pid,uss,pss", {"smaps_rollup"}, {"io", "oom_score", "limits", "fd", "status", "statm"}),
        ("pid,oom,oomadj", {"oom_score", "oom_score_adj"}, {"io", "smaps_rollup", "limits", "fd", "status"}),
    ],
)
def test_reads_only_its_group(psi_ps: str, tmp_path: Path, fields: str, reads: set, never: set) -> None:
    kinds = _opened(psi_ps, ["-e", "-o", fields], tmp_path)
    for kind in reads:
        assert kinds[kind] > 10, f"{fields}: expected reads of {kind}, saw {dict(kinds)}"
    for kind in never:
        assert kinds[kind] == 0, f"{fields}: read {kind} ({kinds[kind]} times)"


def test_default_listing_reads_no_depth_file(psi_ps: str, tmp_path: Path) -> None:
    kinds = _opened(psi_ps, ["-ef"], tmp_path)
    for kind in ("io", "smaps_rollup", "oom_score", "oom_score_adj", "limits", "fd"):
        assert kinds[kind] == 0, kind

