"""psi.TimeSpec: normalisation, ordering, arithmetic, conversions."""

from __future__ import annotations

import copy
import datetime
import gc
import pickle
import time
from fractions import Fraction

import pytest

from psi import TimeSpec


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), (0, 0)),
        ((5,), (5, 0)),
        ((1, 1_500_000_000), (2, 500_000_000)),
        ((0, -1), (-1, 999_999_999)),
        ((-1, -250_000_000), (-2, 750_000_000)),
        ((2, -3_000_000_000), (-1, 0)),
        ((1.5,), (1, 500_000_000)),
        ((-0.25,), (-1, 750_000_000)),
        ((2, 9e8), (2, 900_000_000)),
        ((0, 2.5e9), (2, 500_000_000)),
    ],
)
def test_normalisation(args: tuple, expected: tuple) -> None:  # type: ignore[type-arg]
    t = TimeSpec(*args)
    assert (t.tv_sec, t.tv_nsec) == expected
    assert 0 <= t.tv_nsec < 1_000_000_000
    # The value is kept exactly: seconds + nanoseconds / 1e9 of the input.
    exact = sum((Fraction(x) * (10**9 if i == 0 else 1) for i, x in enumerate(args)), Fraction(0))
    assert Fraction(t.tv_sec * 10**9 + t.tv_nsec) == exact


def test_keywords_and_bad_types() -> None:
    assert TimeSpec(tv_sec=3, tv_nsec=4) == (3, 4)
    with pytest.raises(TypeError):
        TimeSpec("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TimeSpec(1, None)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        TimeSpec(2**64)
    with pytest.raises(ValueError):
        TimeSpec(float("nan"))
    with pytest.raises(TypeError):
        TimeSpec(1, 2, 3)  # type: ignore[call-arg]


def test_immutable_and_final() -> None:
    t = TimeSpec(1, 2)
    with pytest.raises(AttributeError):
        t.tv_sec = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        t.other = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        type("Sub", (TimeSpec,), {})
    assert not gc.is_tracked(t)


def test_indexing_and_unpacking() -> None:
    t = TimeSpec(7, 8)
    assert (t[0], t[1], t[-1], t[-2]) == (7, 8, 8, 7)
    assert len(t) == 2
    s, ns = t
    assert (s, ns) == (7, 8) == tuple(t)
    with pytest.raises(IndexError):
        t[2]


def test_ordering_is_lexicographic() -> None:
    # PSI's <= and >= were wrong; these are the cases it got wrong.
    assert TimeSpec(2, 900_000_000) <= TimeSpec(3, 0)
    assert (2, 9e8) <= TimeSpec(3, 0)
    assert TimeSpec(2, 9e8) <= (3, 0)
    assert TimeSpec(3, 0) >= (2, 900_000_000)
    assert TimeSpec(3, 0) > (2, 999_999_999)
    assert TimeSpec(-1, 500_000_000) < 0 < TimeSpec(0, 1)
    values = [TimeSpec(1, 5), TimeSpec(-2, 0), TimeSpec(1, 4), TimeSpec(0, 999_999_999)]
    assert sorted(values) == sorted(values, key=lambda v: (v.tv_sec, v.tv_nsec))
    assert TimeSpec(1, 500_000_000) == 1.5 == TimeSpec(1.5)
    assert TimeSpec(2) == 2 and TimeSpec(2, 1) != 2
    assert TimeSpec(1) != "1" and not (TimeSpec(1) == (1, 0, 0))
    with pytest.raises(TypeError):
        TimeSpec(1) < "2"  # type: ignore[operator]


def test_arithmetic() -> None:
    a = TimeSpec(1, 600_000_000)
    assert a + TimeSpec(0, 600_000_000) == (2, 200_000_000)
    assert a + (1, 500_000_000) == (3, 100_000_000)
    assert (1, 500_000_000) + a == (3, 100_000_000)
    assert a + 2 == 2 + a == (3, 600_000_000)
    assert a + 0.5 == 0.5 + a == (2, 100_000_000)
    assert a - 2 == (-1, 600_000_000)
    assert 2 - a == (0, 400_000_000)
    assert (5, 0) - a == (3, 400_000_000)
    assert a - a == 0 and not (a - a)
    assert isinstance(a + 1, TimeSpec) and isinstance(1 + a, TimeSpec)
    assert float(a) == a.float() == a.timestamp() == 1.6
    with pytest.raises(TypeError):
        a + "1"  # type: ignore[operator]
    with pytest.raises(TypeError):
        a * 2  # type: ignore[operator]


def test_hash() -> None:
    assert hash(TimeSpec(3)) == hash(3)
    assert hash(TimeSpec(1, 500_000_000)) == hash(1.5)
    assert hash(TimeSpec(-1, 750_000_000)) == hash(-0.25)
    assert hash(TimeSpec(0, 1)) == hash(Fraction(1, 10**9))
    assert len({TimeSpec(1, 2), TimeSpec(1, 2), TimeSpec(0, 1_000_000_002)}) == 1
    assert {TimeSpec(3): "x"}[3] == "x"


def test_repr_str_pickle() -> None:
    t = TimeSpec(-1, 750_000_000)
    assert repr(t) == "psi.TimeSpec(tv_sec=-1, tv_nsec=750000000)"
    assert str(t) == "-0.250000000"
    assert str(TimeSpec(12, 5)) == "12.000000005"
    assert pickle.loads(pickle.dumps(t)) == t
    assert copy.copy(t) == t and copy.deepcopy(t) == t
    assert type(t).__module__ == "psi" and type(t).__name__ == "TimeSpec"


def test_datetime_conversions() -> None:
    t = TimeSpec(1_700_000_000, 123_456_789)
    assert t.gmtime() == t.timetuple() == time.gmtime(1_700_000_000)
    assert t.localtime() == time.localtime(1_700_000_000)
    assert t.utcdatetime() == datetime.datetime(2023, 11, 14, 22, 13, 20, 123456)
    assert t.utcdatetime().tzinfo is None
    local = datetime.datetime.fromtimestamp(1_700_000_000).replace(microsecond=123456)
    assert t.datetime() == local and t.datetime().tzinfo is None
    assert TimeSpec(90, 5_000).timedelta() == datetime.timedelta(seconds=90, microseconds=5)
    assert TimeSpec(-0.5).timedelta() == datetime.timedelta(seconds=-0.5)


@pytest.mark.parametrize("sec", [300_000_000_000, 2**62, -(2**62), 2**63 - 1, -(2**63)])
def test_datetime_conversions_out_of_range(sec: int) -> None:
    """Beyond what datetime holds, each conversion raises OverflowError, as
    datetime's own constructors do (utcdatetime() used to crash the
    interpreter when timedelta() failed first). Sums saturate, never wrap."""
    t = TimeSpec(sec, 999_999_999)
    for conversion in (t.datetime, t.utcdatetime):
        with pytest.raises(OverflowError):
            conversion()
    if abs(sec) >= 2**62:
        with pytest.raises(OverflowError):
            t.timedelta()
    big = TimeSpec(2**63 - 1, 0)
    assert big + TimeSpec(1, 0) == big
    assert TimeSpec(-(2**63), 0) - TimeSpec(1, 0) == TimeSpec(-(2**63), 0)


def test_extremes_print_and_compare_like_numbers() -> None:
    """str() of the most negative TimeSpec has one minus sign; comparing with
    a number beyond TimeSpec's range (or NaN) answers as int and float do
    instead of raising."""
    assert str(TimeSpec(-(2**63), 0)) == "-9223372036854775808.000000000"
    assert str(TimeSpec(2**63 - 1, 999_999_999)) == "9223372036854775807.999999999"
    t = TimeSpec(5, 0)
    for above in (1e300, 2**70, float("inf")):
        assert t < above and t <= above and t != above and not t == above and above > t
    for below in (-1e300, -(2**70), float("-inf")):
        assert t > below and t >= below and t != below and below < t
    nan = float("nan")
    assert not (t < nan or t <= nan or t == nan or t > nan or t >= nan) and t != nan
    with pytest.raises(OverflowError):
        t < (2**70, 0)  # a pair must be in range: it is a TimeSpec spelled out
