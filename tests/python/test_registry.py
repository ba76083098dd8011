"""psi.process.Process against the attribute registry (include/psi/fields.hpp):
its attributes are exactly the registry's rows marked for Python plus the
alias table, and an alias reads what its target reads."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, Set, Tuple

import pytest

import psi
import psi.process
from psi.process import Process, ProcessTable

HEADER = Path(__file__).resolve().parents[2] / "include" / "psi" / "fields.hpp"


def _block(text: str, opening: str) -> str:
    start = text.index(opening) + len(opening)
    return text[start : text.index("\n};", start)]


def registry() -> Tuple[Dict[str, bool], Dict[str, str]]:
    """({row name: in Python}, {alias: target}) as the header spells them."""
    text = HEADER.read_text()
    rows: Dict[str, bool] = {}
    for chunk in _block(text, "inline constexpr AttrInfo table[] = {").split("{AttrId::")[1:]:
        m = re.match(r'(\w+), "(\w+)",', chunk)
        assert m, chunk
        assert m.group(1) == m.group(2), f"row {m.group(1)} is named {m.group(2)}"
        flags = re.findall(r",\s*(py|no_py),", chunk)
        assert len(flags) == 1, chunk
        rows[m.group(2)] = flags[0] == "py"
    aliases = dict(re.findall(r'\{"(\w+)", AttrId::(\w+)\}', _block(text, "attribute_aliases[] = {")))
    return rows, aliases


def test_the_header_parses() -> None:
    rows, aliases = registry()
    assert len(rows) > 40 and {"pid", "rss", "command", "cputime"} <= set(rows)
    assert aliases["user"] == "euser" and aliases["command_path"] == "exe"
    assert not rows["tpgid"] and rows["ppid"]


def test_process_attributes_are_registry_names_and_aliases() -> None:
    rows, aliases = registry()
    expected: Set[str] = {name for name, python in rows.items() if python} | set(aliases)
    names = psi.process.PROCESS_ATTRIBUTES
    assert len(names) == len(set(names)), "a name is listed twice"
    assert set(names) == expected
    # Each is a data descriptor of the class (a getset), not an instance field.
    for name in names:
        assert hasattr(Process.__dict__.get(name), "__get__"), name
    for alias, target in aliases.items():
        assert rows[target], f"alias {alias} of {target}, which Python does not have"


def test_aliases_read_their_targets() -> None:
    _, aliases = registry()
    p = Process(os.getpid())
    for alias, target in aliases.items():
        # One snapshot: both names read the same stored value.
        assert getattr(p, alias) == getattr(p, target), alias
        assert getattr(type(p), alias).__doc__ == f"alias of {target}"


def test_table_attrs_take_exactly_the_python_names() -> None:
    rows, aliases = registry()
    for name in list(psi.process.PROCESS_ATTRIBUTES):
        table = ProcessTable(attrs=[name])
        assert os.getpid() in table
    # Registry rows the C++ API has but psi.Process does not are unknown here.
    for name in (n for n, python in rows.items() if not python):
        with pytest.raises(ValueError, match="unknown Process attribute"):
            ProcessTable(attrs=[name])
