"""Fixtures of the Python suite; the helpers are in _psi_helpers.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from _psi_helpers import Spawner, settle


@pytest.fixture
def spawn() -> Iterator[Spawner]:
    s = Spawner()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture
def sleeper(spawn: Spawner) -> subprocess.Popen[bytes]:
    """A child sleeping for a minute, settled."""
    proc = spawn(["sleep", "60"])
    settle(proc.pid)
    return proc



def _zoo_module():  # type: ignore[no-untyped-def]
    """tests/cli/hostile_zoo.py, shared with the CLI suite (one zoo per run)."""
    import importlib.util

    name = "psi_hostile_zoo"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "cli" / "hostile_zoo.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


@pytest.fixture(scope="session", autouse=True)
def hostile_zoo() -> Iterator[object]:
    """Hostile processes alive for the whole session (see
    tests/cli/hostile_zoo.py): whole-table checks must hold with them."""
    zoo_module = _zoo_module()
    zoo = zoo_module.acquire()
    try:
        yield zoo
    finally:
        if zoo is not None:
            zoo_module.release()
