"""Fixtures of the Python suite; the helpers are in _psi_helpers.py."""

from __future__ import annotations

import subprocess
from typing import Iterator

import pytest

from _psi_helpers import Spawner, hostile_zoo_module, settle


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



@pytest.fixture(scope="session", autouse=True)
def hostile_zoo() -> Iterator[object]:
    """Hostile processes alive for the whole session (see
    tests/cli/hostile_zoo.py): whole-table checks must hold with them."""
    zoo_module = hostile_zoo_module()
    zoo = zoo_module.acquire()
    try:
        yield zoo
    finally:
        if zoo is not None:
            zoo_module.release()
