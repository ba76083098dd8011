"""psi-ps's cgroup, cgname, lxc and namespace columns (issue 12) byte for
byte against procps ps 4.0 (the oracle table procps_depth_fields.py gives
their headers, widths and formats), the cgroup cell against
/proc/PID/cgroup, and each column reading only its own group's files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Iterator, List

import pytest

from .procps_depth_fields import FIELDS, cgname_cell, cgroup_cell
from .psips_compare import assert_like_ps, clean_env, run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux columns")

NS_COLS = ["ipcns", "mntns", "netns", "pidns", "userns", "utsns", "cgroupns", "timens"]
CG_COLS = ["cgroup", "cgname", "lxc"]


@pytest.fixture
def children() -> Iterator[List[int]]:
    """A plain sleeper and, as root, one in a new UTS namespace."""
    procs = [subprocess.Popen(["sleep", "900"])]
    if os.geteuid() == 0 and shutil.which("unshare"):
        # The line is printed from inside the new namespace, before the
        # exec of sleep: the fixture returns once both are done (no spin).
        ns_child = subprocess.Popen(["unshare", "-u", "sh", "-c", "echo ok; exec sleep 900"],
                                    stdout=subprocess.PIPE)
        assert ns_child.stdout is not None and ns_child.stdout.readline() == b"ok\n"
        procs.append(ns_child)
    yield [p.pid for p in procs]
    for p in procs:
        p.kill()
        p.wait()


def _listing(cmd: str, fields: str, pids: List[int]) -> bytes:
    out, _ = run([cmd, "-o", fields, "-p", ",".join(map(str, pids))], clean_env())
    return out


def _stable_pids(children: List[int]) -> List[int]:
    # The children (unshare's shell execs sleep right after its readiness
    # line; wait for that for a bounded time, not a bounded count), pid 1,
    # this process and a kernel thread: all stay put while the two run.
    for pid in children:
        deadline = time.monotonic() + 30.0
        while not os.readlink(f"/proc/{pid}/exe").endswith("/sleep"):
            assert time.monotonic() < deadline, f"{pid} never exec'd sleep"
            time.sleep(0.005)
    return [1, 2, os.getpid(), *children]


@pytest.mark.parametrize("fields", [
    "pid," + ",".join(CG_COLS + NS_COLS),
    ",".join(NS_COLS) + ",pid,cgroup",   # cgroup last: printed whole
    "cgname,pid,lxc",                    # lxc last
    "pid,cgname",
])
def test_like_ps_for_known_processes(psi_ps: str, procps: str, children: List[int], fields: str) -> None:
    pids = _stable_pids(children)
    assert _listing(psi_ps, fields, pids) == _listing("ps", fields, pids)


def test_like_ps_for_every_process(psi_ps: str, procps: str) -> None:
    assert_like_ps(psi_ps, ["-e", "-o", "pid," + ",".join(CG_COLS + NS_COLS)], key_col=0)


def test_headers_and_widths_from_the_oracle_table(psi_ps: str) -> None:
    for name in CG_COLS + NS_COLS:
        f = FIELDS[name]
        out, _ = run([psi_ps, "-o", f"{name},pid", "-p", str(os.getpid())], clean_env())
        header = out.splitlines()[0].decode()
        cell = header[: max(f.width, len(f.header))]
        assert cell.strip() == f.header, name
        if f.align == "right":
            assert cell == f.header.rjust(f.width), name
        else:
            assert cell == f.header.ljust(f.width), name


def test_cgroup_cell_from_the_file(psi_ps: str, children: List[int]) -> None:
    for pid in _stable_pids(children):
        text = Path(f"/proc/{pid}/cgroup").read_text()
        out, _ = run([psi_ps, "h", "-o", "cgroup", "-p", str(pid)], clean_env())
        assert out.decode().rstrip("\n") == cgroup_cell(text), pid
        out, _ = run([psi_ps, "h", "-o", "cgname", "-p", str(pid)], clean_env())
        assert out.decode().rstrip("\n") == cgname_cell(text), pid


def test_uts_column_shows_the_new_namespace(psi_ps: str, children: List[int]) -> None:
    if len(children) < 2:
        pytest.skip("needs root and unshare(1)")
    pids = _stable_pids(children)
    out, _ = run([psi_ps, "h", "-o", "pid,utsns", "-p", f"{pids[-2]},{pids[-1]}"], clean_env())
    rows = dict(line.split() for line in out.decode().splitlines())
    for pid in pids[-2:]:
        assert int(rows[str(pid)]) == os.stat(f"/proc/{pid}/ns/uts").st_ino
    assert rows[str(pids[-2])] != rows[str(pids[-1])]


def _opened(psi_ps: str, args: List[str], tmp_path: Path) -> "Counter[str]":
    if not shutil.which("strace"):
        pytest.skip("strace not installed")
    trace = tmp_path / "trace"
    r = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat,readlink,readlinkat,stat,newfstatat",
         "-o", str(trace), psi_ps, *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(),
    )
    if r.returncode != 0 and b"ptrace" in r.stderr:
        pytest.skip("ptrace not permitted here")
    assert r.returncode == 0
    kinds: Counter[str] = Counter()
    for m in re.finditer(r'"(?:/proc/)?\d+/([a-z_]+)', trace.read_text(errors="replace")):
        kinds[m.group(1)] += 1
    return kinds


@pytest.mark.parametrize("fields, reads, never", [
    ("pid,cgroup", {"cgroup"}, {"ns", "status", "statm", "cmdline", "exe"}),
    ("pid,cgname,lxc", {"cgroup"}, {"ns", "status", "statm", "cmdline"}),
    ("pid,utsns,netns", {"ns"}, {"cgroup", "status", "statm", "cmdline"}),
])
def test_reads_only_its_group(psi_ps: str, tmp_path: Path, fields: str, reads: set, never: set) -> None:  # type: ignore[type-arg]
    kinds = _opened(psi_ps, ["-e", "-o", fields], tmp_path)
    for kind in reads:
        assert kinds[kind] > 10, f"{fields}: expected reads of {kind}, saw {dict(kinds)}"
    for kind in never:
        assert kinds[kind] == 0, f"{fields}: read {kind} ({kinds[kind]} times)"
