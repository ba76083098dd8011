"""Fixtures of the Python suite; the helpers are in _psi_helpers.py."""

from __future__ import annotations

import subprocess
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

