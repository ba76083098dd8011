"""--json and --csv: parseable, and the values agree with the system."""

from __future__ import annotations

import csv
import grp
import io
import json
import os
import pwd
import subprocess
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

from .psips_compare import SLEEPER_ARGV, clean_env, run

ALL_REQUIRED = (
    "pid ppid pgid sid uid user ruser group nlwp ni pri rtprio stat s tty time etime etimes "
    "start lstart rss vsz %cpu %mem comm args cmd exe cwd"
).split()


def _stat_fields(pid: int) -> List[bytes]:
    data = Path(f"/proc/{pid}/stat").read_bytes()
    return data[data.rindex(b")") + 2 :].split()


def _json(psi_ps: str, *args: str) -> List[Dict[str, Any]]:
    out, _ = run([psi_ps, "--json", *args], clean_env())
    result: List[Dict[str, Any]] = json.loads(out)
    return result


def test_json_own_process_matches_os_module(psi_ps: str) -> None:
    me = os.getpid()
    before = len(os.listdir("/proc/self/task"))
    (obj,) = _json(psi_ps, "-p", str(me), "-o", ",".join(ALL_REQUIRED))
    after = len(os.listdir("/proc/self/task"))
    assert list(obj) == ALL_REQUIRED
    assert obj["pid"] == me and obj["ppid"] == os.getppid()
    assert obj["pgid"] == os.getpgid(0) and obj["sid"] == os.getsid(0)
    assert obj["uid"] == os.geteuid()
    assert obj["user"] == pwd.getpwuid(os.geteuid()).pw_name
    assert obj["ruser"] == pwd.getpwuid(os.getuid()).pw_name
    assert obj["group"] == grp.getgrgid(os.getegid()).gr_name
    assert obj["ni"] == os.getpriority(os.PRIO_PROCESS, 0)
    assert obj["rtprio"] is None  # SCHED_OTHER: ps prints '-'
    # Bracketed by two listings: a thread that has just ended may still be
    # listed for a moment (the kernel unlists it after waking its joiner).
    assert min(before, after) <= obj["nlwp"] <= max(before, after)
    assert obj["comm"] == Path("/proc/self/comm").read_text().rstrip("\n")
    cmdline = Path("/proc/self/cmdline").read_bytes().split(b"\0")[:-1]
    assert [a.encode("utf-8", "surrogateescape") for a in obj["args"]] == cmdline
    assert obj["exe"] == os.readlink("/proc/self/exe")
    assert obj["cwd"] == os.getcwd()
    assert isinstance(obj["stat"], str) and obj["stat"][0] in "RS"
    assert obj["s"] == obj["stat"][0]


def test_json_times_and_memory(psi_ps: str, many_processes: List[int]) -> None:
    """Raw numbers: start/lstart are epoch seconds, etime and time seconds,
    rss/vsz KiB (as ps's columns), %cpu/%mem percent."""
    me = os.getpid()
    before = time.time()
    (obj,) = _json(psi_ps, "-p", str(me), "-o", "start,lstart,etime,etimes,time,rss,vsz,%mem,%cpu")
    hz = os.sysconf("SC_CLK_TCK")
    boot = time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)
    start = boot + int(_stat_fields(me)[19]) / hz
    assert abs(obj["start"] - start) < 0.05
    assert obj["lstart"] == obj["start"]
    assert 0 <= obj["etime"] <= time.time() - start + 0.05
    assert obj["etime"] >= before - start - 0.05
    assert obj["etimes"] == int(obj["etime"])
    f = _stat_fields(me)
    cpu = (int(f[11]) + int(f[12])) / hz
    assert cpu - 0.5 <= obj["time"] <= cpu
    assert 0 <= obj["%mem"] < 100 and 0 <= obj["%cpu"]
    # Memory of a sleeper, exactly: this interpreter's own RSS moves by
    # megabytes between psi-ps's read and ours (its allocator, the GC;
    # 10 MB under ASan in a CI run). Read before and after; a sleeper's
    # pages move only under reclaim, so the two reads agree but rarely not.
    quiet = many_processes[0]
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def memory() -> tuple[int, int]:
        statm = Path(f"/proc/{quiet}/statm").read_text().split()
        return int(statm[1]) * page_kib, int(_stat_fields(quiet)[20]) // 1024

    for _ in range(10):
        before_mem = memory()
        (mem,) = _json(psi_ps, "-p", str(quiet), "-o", "rss,vsz,%mem")
        if memory() == before_mem:
            break
    else:
        pytest.fail(f"the memory of sleeper {quiet} kept moving")
    assert (mem["rss"], mem["vsz"]) == before_mem
    assert 0 <= mem["%mem"] < 100


def test_json_agrees_with_ps_for_sleepers(psi_ps: str, many_processes: List[int]) -> None:
    pids = many_processes[:30]
    objs = _json(psi_ps, "-p", ",".join(map(str, pids)), "-o", "pid,ppid,user,rss,vsz,stat,tty,nlwp,comm,args")
    assert [o["pid"] for o in objs] == sorted(pids)
    fields = "pid=,ppid=,user=,rss=,vsz=,stat=,nlwp=,comm="
    out = subprocess.run(["ps", "-o", fields, "-p", ",".join(map(str, pids))], capture_output=True, text=True, check=True)
    ps_rows = {int(r.split()[0]): r.split() for r in out.stdout.splitlines()}
    for o in objs:
        row = ps_rows[o["pid"]]
        assert [str(o["ppid"]), o["user"], str(o["rss"]), str(o["vsz"]), o["stat"], str(o["nlwp"]), o["comm"]] == row[1:]
        assert o["tty"] is None and o["args"] == SLEEPER_ARGV


def test_json_kernel_thread_nulls(psi_ps: str) -> None:
    (obj,) = _json(psi_ps, "-p", "2", "-o", "pid,comm,args,exe,cwd,rss,tty,rtprio")
    assert obj["comm"] == "kthreadd"
    assert obj["args"] is None and obj["exe"] is None and obj["tty"] is None
    assert obj["rss"] == 0


def test_json_every_field(psi_ps: str) -> None:
    """Every field psi-ps lists renders in JSON for every process."""
    names = [ln.split()[0].decode() for ln in run([psi_ps, "L"])[0].splitlines()]
    assert set(ALL_REQUIRED) <= set(names)
    objs = _json(psi_ps, "-e", "-o", ",".join(names))
    assert len(objs) > 10
    assert all(list(o) == names for o in objs)


def test_json_empty_selection(psi_ps: str) -> None:
    out, _ = run([psi_ps, "--json", "-p", "99999999"], clean_env(), rc=(1,))
    assert json.loads(out) == []


def test_csv_parses(psi_ps: str, many_processes: List[int]) -> None:
    """RFC 4180: a comma and quotes inside a field are quoted; CRLF rows."""
    odd = subprocess.Popen(['odd,"name"', "900"], executable="sleep")
    try:
        out, _ = run([psi_ps, "--csv", "-e", "-o", "pid,user,comm,args,rss,etime,tty"], clean_env())
        assert out.endswith(b"\r\n")
        # A command line can be as long as ARG_MAX (the hostile zoo runs one
        # of 1 MiB); Python's csv module refuses fields over 128 KiB unless told.
        limit = csv.field_size_limit(1 << 26)
        try:
            rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
        finally:
            csv.field_size_limit(limit)
        assert rows[0] == ["pid", "user", "comm", "args", "rss", "etime", "tty"]
        body = {int(r[0]): r for r in rows[1:]}
        assert len(rows) > 1000 and all(len(r) == 7 for r in rows)
        assert body[odd.pid][3] == 'odd,"name" 900'
        assert body[odd.pid][2] == "sleep" and body[odd.pid][6] == ""  # no tty: empty cell
        assert body[many_processes[0]][3] == " ".join(SLEEPER_ARGV)
        assert float(body[odd.pid][5]) >= 0
    finally:
        odd.kill()
        odd.wait()


def test_csv_headers(psi_ps: str) -> None:
    out, _ = run([psi_ps, "--csv", "-p", "1", "-o", "pid=P,comm"], clean_env())
    assert out == b"P,comm\r\n1," + Path("/proc/1/comm").read_bytes().rstrip(b"\n") + b"\r\n"
    out, _ = run([psi_ps, "--csv", "--no-headers", "-p", "1", "-o", "pid"], clean_env())
    assert out == b"1\r\n"


@pytest.mark.parametrize("field", ALL_REQUIRED)
def test_text_field_for_pid1_and_kthreadd(psi_ps: str, field: str) -> None:
    out, _ = run([psi_ps, "-o", f"pid,{field}", "-p", "1,2"], clean_env())
    assert len(out.splitlines()) == 3


def test_zone_fields_are_dashes_off_solaris(psi_ps: str) -> None:
    """Solaris ps's zone/zoneid fields: known to psi-ps everywhere, '-' (JSON
    null) where the OS has no zones."""
    r = subprocess.run([psi_ps, "-p", "1", "-o", "pid,zone,zoneid"], capture_output=True, check=True, timeout=60)
    assert r.stdout.decode().splitlines() == ["  PID ZONE     ZONEID", "    1 -             -"]
    r = subprocess.run([psi_ps, "-p", "1", "-o", "pid,zone,zoneid", "--json"], capture_output=True, check=True,
                       timeout=60)
    assert json.loads(r.stdout) == [{"pid": 1, "zone": None, "zoneid": None}]
