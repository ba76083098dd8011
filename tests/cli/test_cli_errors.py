"""Bad input: a one-line message on stderr and the documented exit code
(2 usage error, 1 nothing matched), never a crash or a usage essay."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import List

import pytest

from .psips_compare import REPO, clean_env, procps_version


def _run(psi_ps: str, args: List[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([psi_ps, *args], capture_output=True, env=clean_env(), timeout=60)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["-o", "pid,nosuchfield"], b"unknown field 'nosuchfield'"),
        (["-Q"], b"unknown option '-Q'"),
        (["--bogus"], b"unknown option '--bogus'"),
        (["-p", "abc"], b"invalid process id 'abc'"),
        (["-p", "0"], b"out of range"),
        (["-p", "99999999999"], b"out of range"),
        (["-p", "1,,2"], b"improper"),
        (["--sort", "nosuchkey"], b"unknown sort key 'nosuchkey'"),
        (["--sort=-"], b"unknown sort key"),
        (["-o"], b"needs a value"),
        (["-o", "pid:0"], b"width"),
        (["-u", "no_such_user_psi_test"], b"unknown user"),
        (["auX"], b"unsupported option 'X' in 'auX'"),
        (["auv"], b"conflicting format options"),
        (["-f", "u"], b"conflicting format options"),
        (["--json=yes"], b"takes no value"),
        (["--forest", "--sort", "ppid"], b"conflicts"),
        (["--threads", "x"], b"invalid thread count 'x'"),
        (["--threads=65"], b"invalid thread count '65'"),
    ],
)
def test_usage_errors(psi_ps: str, args: List[str], needle: bytes) -> None:
    r = _run(psi_ps, args)
    assert r.returncode == 2
    assert r.stdout == b""
    assert r.stderr.count(b"\n") == 1 and r.stderr.startswith(b"psi-ps: ")
    assert needle in r.stderr


@pytest.mark.parametrize("args", [["-p", "99999999"], ["-C", "no_such_command_psi"], ["--ppid", "99999999"]])
def test_nothing_matched(psi_ps: str, args: List[str]) -> None:
    """ps prints the header and exits 1; psi-ps also says why on stderr."""
    r = _run(psi_ps, args)
    assert r.returncode == 1
    assert r.stdout.count(b"\n") == 1  # the header line only
    assert r.stderr == b"psi-ps: no process matched the selection\n"
    if procps_version().startswith("4.0."):
        theirs = subprocess.run(["ps", *args], capture_output=True, env=clean_env())
        assert theirs.returncode == 1 and r.stdout == theirs.stdout


def test_help_and_version(psi_ps: str) -> None:
    r = _run(psi_ps, ["--help"])
    assert r.returncode == 0 and b"--json" in r.stdout and b"--forest" in r.stdout and r.stderr == b""
    r = _run(psi_ps, ["--version"])
    version = re.search(rb"project\(psi VERSION ([0-9.]+)", (REPO / "CMakeLists.txt").read_bytes())
    assert version is not None
    assert r.returncode == 0 and r.stdout == b"psi-ps (psi) " + version.group(1) + b"\n"


def test_list_fields(psi_ps: str) -> None:
    r = _run(psi_ps, ["L"])
    assert r.returncode == 0
    rows = [ln.split() for ln in r.stdout.splitlines()]
    names = [row[0] for row in rows]
    assert names == sorted(names)
    assert [b"pid", b"PID"] in rows and [b"args", b"COMMAND"] in rows
    r = _run(psi_ps, ["--list-fields"])
    lines = {ln.split()[0]: ln for ln in r.stdout.splitlines()[1:]}
    assert b"memory" in lines[b"rss"] and b"args" in lines[b"args"] and b"creds" in lines[b"ruser"]


def test_unusable_proc_root(psi_ps: str, tmp_path: Path) -> None:
    env = clean_env(PSI_PROCFS=str(tmp_path / "missing"))
    r = subprocess.run([psi_ps, "-e"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 1 and r.stdout == b""
    assert r.stderr.startswith(b"psi-ps: cannot read processes from ") and r.stderr.count(b"\n") == 1
