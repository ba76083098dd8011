"""Names psi cannot know are a ValueError, names that are not str a
TypeError, whatever their characters (issue 9, item 10).

A str with a lone surrogate ('\\udcff', what os.fsdecode makes of a byte
that is not UTF-8) cannot be encoded to UTF-8; it must still be an unknown
name, not an encoding failure escaping as RuntimeError.
"""

from __future__ import annotations

from typing import Any

import pytest

from psi.process import PROCESS_ATTRIBUTES, ProcessTable


@pytest.mark.parametrize(
    "name",
    [
        "\udcff",  # surrogate-escaped byte 0xff
        "\ud800",  # a lone high surrogate
        "na\udcffme",
        "name\0",  # a known name plus NUL is not that name
        "",
        "NAME",
        "name ",
    ],
)
def test_unknown_attribute_names_are_value_errors(name: str) -> None:
    assert name not in PROCESS_ATTRIBUTES
    with pytest.raises(ValueError) as info:
        ProcessTable(attrs=["pid", name])
    # The message shows the name as Python would (repr), surrogates and all.
    assert repr(name) in str(info.value)


@pytest.mark.parametrize("attrs", [[b"name"], [1], [None], ["name", b"\xff"], "name", b"name", 5])
def test_names_that_are_not_str_are_type_errors(attrs: Any) -> None:
    with pytest.raises(TypeError):
        ProcessTable(attrs=attrs)


def test_str_subclass_and_iterables_accepted() -> None:
    class Name(str):
        pass

    # Any iterable of str, str subclasses included.
    for attrs in (["name"], ("name", "rss"), iter(["name"]), {"name": 1}, [Name("name")]):
        table = ProcessTable(attrs=attrs)
        assert table.count > 0
