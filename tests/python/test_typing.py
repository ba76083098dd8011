"""The stubs match the runtime (mypy stubtest) and type-check real use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

pytest.importorskip("mypy", reason="mypy is not installed (tests/run_all.sh installs it)")


def test_stubtest(tmp_path: Path) -> None:
    # Run outside the source tree so `psi` is the installed package.
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "psi", "--allowlist", str(HERE / "stubtest-allowlist.txt")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_typed_usage_checks(tmp_path: Path) -> None:
    sample = tmp_path / "use_psi.py"
    sample.write_text(
        "import datetime, os\n"
        "import psi\n"
        "from psi.process import Process, ProcessTable\n"
        "t: ProcessTable = ProcessTable(attrs=['name'])\n"
        "p: Process = t[os.getpid()]\n"
        "name: str = p.name\n"
        "args: tuple[str, ...] = p.args\n"
        "start: psi.TimeSpec = p.start_time + (1, 0)\n"
        "when: datetime.datetime = start.datetime()\n"
        "parent: Process | None = p.parent\n"
        "la: tuple[float, float, float] = psi.loadavg()\n"
        "bits: int = psi.arch.arch_type().bits\n"
        "sizes: list[int] = [m.total for m in psi.mount.mounts()]\n"
        "try:\n"
        "    p.kill(0)\n"
        "except psi.NoSuchProcessError as e:\n"
        "    pid: int | None = e.pid\n"
    )
    bad = tmp_path / "misuse.py"
    bad.write_text("import psi\nx: str = psi.process.Process(1).rss\n")
    ok = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11", str(sample)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    wrong = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(bad)], capture_output=True, text=True, cwd=tmp_path
    )
    assert wrong.returncode == 1 and "incompatible types in assignment" in wrong.stdout.lower()
