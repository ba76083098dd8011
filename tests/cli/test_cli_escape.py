"""Hostile process names and arguments: never raw on a terminal, exact in JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List

import pytest

from .psips_compare import WEIRD_ARG, WEIRD_NAME, WeirdProcess, clean_env, procps_version, run

FORMATS = [
    ["-o", "pid,comm,args"],
    ["-o", "args,comm,pid"],
    ["-o", "comm:4,args:9,stat"],
    ["-o", "user,pid,tty,stat,args"],
    ["--forest", "-o", "pid,comm,args"],
]


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_text_is_terminal_safe(psi_ps: str, weird_process: WeirdProcess, locale: str, fmt: List[str]) -> None:
    out, _ = run([psi_ps, "-p", str(weird_process.pid), *fmt], clean_env(LC_ALL=locale))
    assert b"\x1b" not in out
    assert all(b >= 0x20 or b == 0x0A for b in out), "a control byte reached the output"
    assert len(out.split(b"\n")) == 3  # header, one row, final newline: the \n became a space
    if locale == "C":
        assert all(b < 0x80 for b in out)
    else:
        out.decode("utf-8")  # only valid UTF-8
        if fmt[-1].endswith("args"):  # the whole command line is shown
            assert "中 c?[31m".encode() in out  # kept; the name's escape and newline are not
    if procps_version().startswith("4.0."):
        theirs, _ = run(["ps", "-p", str(weird_process.pid), *fmt], clean_env(LC_ALL=locale))
        assert out == theirs


def test_json_round_trips(psi_ps: str, weird_process: WeirdProcess) -> None:
    out, _ = run([psi_ps, "--json", "-p", str(weird_process.pid), "-o", "pid,comm,args,cmd"], clean_env())
    assert b"\x1b" not in out and b"\xff" not in out
    text = out.decode("utf-8")  # invalid bytes travel as \udcXX escapes
    assert "\\u001b" in text and "\\udcff" in text and "\\u0085" in text
    (obj,) = json.loads(text)
    assert obj["pid"] == weird_process.pid
    assert obj["comm"].encode("utf-8", "surrogateescape") == WEIRD_NAME
    args = [a.encode("utf-8", "surrogateescape") for a in obj["args"]]
    assert args == weird_process.argv
    assert args[-1] == WEIRD_ARG
    assert obj["cmd"] == obj["args"]


def test_csv_is_terminal_safe(psi_ps: str, weird_process: WeirdProcess) -> None:
    import csv
    import io

    out, _ = run([psi_ps, "--csv", "-p", str(weird_process.pid), "-o", "pid,comm,args"], clean_env(LC_ALL="C.UTF-8"))
    assert b"\x1b" not in out
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert rows[0] == ["pid", "comm", "args"]
    assert len(rows) == 2 and rows[1][0] == str(weird_process.pid)
    assert rows[1][1] == "c?[31m??z"  # the same escaping as the text output


def test_exe_and_cwd_with_odd_bytes(psi_ps: str, tmp_path: Path) -> None:
    """A working directory whose name holds an escape sequence and a newline."""
    import subprocess

    odd = tmp_path / "dir\x1b[31m\nx"
    odd.mkdir()
    proc = subprocess.Popen(["sleep", "60"], cwd=odd)
    try:
        out, _ = run([psi_ps, "-p", str(proc.pid), "-o", "pid,cwd"], clean_env(LC_ALL="C.UTF-8"))
        assert b"\x1b" not in out and len(out.split(b"\n")) == 3
        assert out.split(b"\n")[1].split(None, 1)[1] == os.fsencode(str(tmp_path)) + b"/dir?[31m?x"
        js, _ = run([psi_ps, "--json", "-p", str(proc.pid), "-o", "cwd,exe"], clean_env())
        (obj,) = json.loads(js)
        assert obj["cwd"] == str(odd)
        assert obj["exe"] == os.path.realpath("/proc/%d/exe" % proc.pid)
    finally:
        proc.kill()
        proc.wait()
