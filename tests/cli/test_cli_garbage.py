"""psi-ps over a proc tree full of impossible numbers (PSI_PROCFS).

The kernel never writes these values, but a damaged or hostile /proc (a
container's fake procfs, a FUSE mount) can. Every field psi-ps knows is
printed for every process: the command must not crash, hang or trip the
sanitizers (the second run of this suite uses an ASan + UBSan psi-ps), and
the rows it prints must still be the processes that are there.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

from .psips_compare import clean_env

U64_MAX = 2**64 - 1
I64_MIN = -(2**63)


def _stat(pid: int, comm: str, state: str, value: int, overrides: Dict[int, int]) -> str:
    # proc_pid_stat(5) fields 4..52, all set to `value` unless overridden.
    fields = {n: overrides.get(n, value) for n in range(4, 53)}
    return f"{pid} ({comm}) {state} " + " ".join(str(fields[n]) for n in range(4, 53)) + "\n"


def _status(name: str, pid: int, number: int) -> str:
    return (
        f"Name:\t{name}\nState:\tR (running)\nTgid:\t{pid}\nPid:\t{pid}\nPPid:\t1\n"
        f"Uid:\t{number}\t{number}\t{number}\t{number}\nGid:\t{number}\t{number}\t{number}\t{number}\n"
        f"VmLck:\t{number} kB\nVmRSS:\t{number} kB\nThreads:\t{number}\n"
    )


@pytest.fixture
def garbage_root(tmp_path: Path) -> Path:
    root = tmp_path / "proc"
    root.mkdir()
    # The system files psi-ps may consult, each absurd in its own way.
    (root / "stat").write_text(f"cpu 1 2 3\nbtime {U64_MAX}\n")
    (root / "uptime").write_text("-5.00 nan\n")
    (root / "loadavg").write_text("x y z\n")
    (root / "meminfo").write_text("MemTotal: 0 kB\n")
    procs = {
        # Every number at the top of the unsigned range; ppid 1 so trees work.
        7: (_stat(7, "max", "R", U64_MAX, {4: 1}), _status("max", 7, U64_MAX), f"{U64_MAX} {U64_MAX} 0\n"),
        # Signed fields at their most negative; a start in the far future.
        8: (_stat(8, "min", "S", I64_MIN, {4: 1, 22: U64_MAX}), _status("min", 8, -1), "-1 -1 -1\n"),
        # Realistic except for a zero start and zero tick counts.
        9: (_stat(9, "zero", "Z", 0, {4: 1}), _status("zero", 9, 0), "0 0 0\n"),
        # Fields cut short after the state.
        10: ("10 (short) S 1\n", "Name:\tshort\n", "\n"),
    }
    for pid, (stat, status, statm) in procs.items():
        d = root / str(pid)
        d.mkdir()
        (d / "stat").write_text(stat)
        (d / "status").write_text(status)
        (d / "statm").write_text(statm)
        (d / "cmdline").write_bytes(b"\xff\xfe\x00" * 3)
        (d / "environ").write_bytes(b"=\x00==\x00A")
    # Not a process: binary junk where stat should be.
    (root / "11").mkdir()
    (root / "11" / "stat").write_bytes(bytes(range(256)))
    return root


def _fields(psi_ps: str) -> List[str]:
    r = subprocess.run([psi_ps, "L"], capture_output=True, check=True, env=clean_env(), timeout=60)
    names = [line.split()[0].decode() for line in r.stdout.splitlines() if line.strip()]
    assert len(names) > 50 and "pid" in names and "lstart" in names
    return names


@pytest.mark.parametrize("style", ["every-field", "-ef", "-el", "--forest", "--json", "--csv"])
def test_impossible_numbers_print_rows_not_crashes(psi_ps: str, garbage_root: Path, style: str) -> None:
    if style == "every-field":
        fields = [f for f in _fields(psi_ps) if f != "pid"]
        args = ["-e", "-o", "pid", *[a for f in fields for a in ("-o", f)]]
    elif style in ("--json", "--csv"):
        args = ["-e", "-o", "pid,etime,time,%cpu,%mem,lstart,rss,vsz,uid,user,ni,pri", style]
    elif style == "--forest":
        args = ["-e", "--forest", "--sort", "-start_time,rss"]
    else:
        args = [style]
    env = clean_env(PSI_PROCFS=str(garbage_root))
    r = subprocess.run([psi_ps, *args], capture_output=True, env=env, timeout=60)
    assert b"runtime error" not in r.stderr and b"Sanitizer" not in r.stderr, r.stderr.decode(errors="replace")
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    out = r.stdout.decode(errors="replace")
    if style == "--json":
        rows = {row["pid"]: row for row in json.loads(out)}
        pids = sorted(rows)
        # kB and pages saturate when converted to bytes instead of wrapping
        # to a small, plausible size: both columns show the largest count.
        assert rows[7]["rss"] == rows[7]["vsz"] == U64_MAX // 1024
    elif style == "--csv":
        pids = sorted(int(row["pid"]) for row in csv.DictReader(io.StringIO(out)))
    else:
        header, *rows = out.splitlines()
        col = header.split().index("PID")
        pids = sorted(int(row.split()[col]) for row in rows)
    # The four processes with a stat line; the junk directory is no process.
    assert pids == [7, 8, 9, 10], out
