"""psi.arch: the singleton and its values, against os and sysconf."""

from __future__ import annotations

import os
import pickle
import re
import struct
import subprocess

import pytest

from _psi_helpers import PYTHON
from psi.arch import ArchAIX, ArchBase, ArchDarwin, ArchLinux, ArchMacOSX, ArchSunOS, arch_type


def test_values_against_os() -> None:
    a = arch_type()
    u = os.uname()
    assert (a.sysname, a.nodename, a.release, a.version, a.machine) == (
        u.sysname,
        u.nodename,
        u.release,
        u.version,
        u.machine,
    )
    m = re.match(r"[0-9]+(?:\.[0-9]+)*", u.release)
    assert m is not None
    assert a.release_info == tuple(int(x) for x in m.group(0).split("."))
    assert a.cpu_count == os.sysconf("SC_NPROCESSORS_ONLN")
    assert a.page_size == os.sysconf("SC_PAGE_SIZE")
    assert a.clock_ticks == os.sysconf("SC_CLK_TCK")
    assert a.total_memory == os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert a.bits == struct.calcsize("P") * 8
    assert a.physical_cpu_count is None or 1 <= a.physical_cpu_count <= a.cpu_count


def test_physical_cpu_count_against_psutil() -> None:
    psutil = pytest.importorskip("psutil")
    assert arch_type().physical_cpu_count == psutil.cpu_count(logical=False)


def test_singleton() -> None:
    a = arch_type()
    assert isinstance(a, ArchLinux) and isinstance(a, ArchBase)
    assert not isinstance(a, (ArchDarwin, ArchSunOS, ArchAIX))
    assert ArchBase() is a and ArchLinux() is a and arch_type() is a
    assert issubclass(ArchMacOSX, ArchDarwin)
    with pytest.raises(TypeError):
        ArchDarwin()
    with pytest.raises(TypeError):
        ArchAIX()
    assert pickle.loads(pickle.dumps(a)) is a


@pytest.mark.parametrize("first", ["psi.arch.ArchBase()", "psi.arch.arch_type()", "psi.arch.ArchLinux()"])
def test_singleton_whatever_the_call_order(first: str) -> None:
    # PSI returned different objects depending on which was called first.
    code = (
        f"import psi\nx = {first}\n"
        "assert x is psi.arch.ArchBase() is psi.arch.arch_type() is psi.arch.ArchLinux()\n"
        "assert type(x) is psi.arch.ArchLinux\nprint('ok')"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_read_only_and_repr() -> None:
    a = arch_type()
    with pytest.raises(AttributeError):
        a.sysname = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a.extra = 1  # type: ignore[attr-defined]
    u = os.uname()
    assert repr(a) == f"psi.arch.ArchLinux(sysname='Linux', release={u.release!r}, machine={u.machine!r})"
