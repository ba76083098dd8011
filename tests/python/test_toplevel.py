"""The psi package itself: imports, version, loadavg, boottime, uptime, exceptions."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

import psi
from _psi_helpers import PYTHON, wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_import_psi_alone_is_enough() -> None:
    code = (
        "import psi, os\n"
        "assert psi.arch.arch_type().sysname\n"
        "assert psi.process.Process(os.getpid()).pid == os.getpid()\n"
        "assert len(psi.process.ProcessTable()) > 0\n"
        "assert isinstance(psi.mount.mounts(), list)\n"
        "print('ok')\n"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_version_is_single_sourced() -> None:
    cmake = (ROOT / "CMakeLists.txt").read_text()
    m = re.search(r"project\(\s*psi\s+VERSION\s+([0-9.]+)", cmake)
    assert m is not None
    assert psi.__version__ == m.group(1)
    assert importlib.metadata.version("psi-sysinfo") == m.group(1)


def test_loadavg_equals_os() -> None:
    # Both read the kernel's fixed-point averages through sysinfo(2), so the
    # values are equal. The kernel updates them every 5 s: retry across an
    # update that falls between the two reads.
    def close() -> bool:
        ours, theirs = psi.loadavg(), os.getloadavg()
        return tuple(ours) == tuple(theirs)

    assert wait_until(close, timeout=12)
    la = psi.loadavg()
    assert isinstance(la, tuple) and len(la) == 3
    assert all(isinstance(x, float) and x >= 0 for x in la)


def test_boottime_and_uptime() -> None:
    boot, up, now = psi.boottime(), psi.uptime(), time.time()
    assert isinstance(boot, psi.TimeSpec) and isinstance(up, psi.TimeSpec)
    # boot + uptime is now (two clock reads apart).
    assert abs((boot + up).timestamp() - now) < 0.5
    # /proc/stat btime is the boot instant truncated to whole seconds.
    btime = next(int(l.split()[1]) for l in Path("/proc/stat").read_text().splitlines() if l.startswith("btime"))
    assert btime - 1 <= boot.timestamp() <= btime + 1.0
    proc_uptime = float(Path("/proc/uptime").read_text().split()[0])
    assert abs(psi.uptime().float() - proc_uptime) < 0.5
    # Stable: the boot instant is computed once, not re-estimated per call.
    assert psi.boottime() == boot


def test_exception_hierarchy() -> None:
    for name in ("AttrNotAvailableError", "AttrInsufficientPrivsError", "AttrNotImplementedError"):
        assert issubclass(getattr(psi, name), AttributeError)
    assert issubclass(psi.NoSuchProcessError, psi.MissingResourceError)
    assert issubclass(psi.MissingResourceError, Exception)
    assert issubclass(psi.InsufficientPrivsError, Exception)
    assert not issubclass(psi.InsufficientPrivsError, AttributeError)
    assert psi.process.NoSuchProcessError is psi.NoSuchProcessError
    e = psi.NoSuchProcessError("gone")
    assert e.pid is None and e.attribute is None and str(e) == "gone"


def test_exceptions_pickle() -> None:
    import pickle

    with pytest.raises(psi.NoSuchProcessError) as info:
        psi.process.Process(0)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is psi.NoSuchProcessError and str(again) == str(info.value)
    assert again.pid == info.value.pid


def test_public_names() -> None:
    for name in psi.__all__:
        assert hasattr(psi, name), name
    for mod in (psi.process, psi.arch, psi.mount):
        for name in mod.__all__:
            assert hasattr(mod, name), (mod.__name__, name)


def test_python_dash_m_psi_runs_psi_ps() -> None:
    program = Path(psi.__file__).parent / "_bin" / "psi-ps"
    if not program.exists():
        pytest.skip("psi-ps is not built into this installation")
    out = subprocess.run(
        [PYTHON, "-m", "psi", "-p", str(os.getpid()), "-o", "pid="], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(os.getpid())]


def test_python_dash_m_psi_without_the_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import psi.__main__ as main

    missing = tmp_path / "psi-ps"
    original = main._program
    main._program = lambda: missing  # type: ignore[assignment]
    try:
        with pytest.raises(SystemExit) as info:
            main.main()
    finally:
        main._program = original  # type: ignore[assignment]
    assert info.value.code == 127
    assert str(missing) in capsys.readouterr().err
