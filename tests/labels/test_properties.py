"""Property tests: mutated files of every format never break the checker."""

from __future__ import annotations

import functools
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.labels import VERDICTS

from . import builders
from .conftest import check_bytes

BUDGET_S = 0.5
FORMATS = sorted(builders.STANDARD_BUILDERS)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


@functools.cache
def sample(name: str) -> bytes:
    """Return a labelled sample of ``name``, built once per session."""
    return builders.STANDARD_BUILDERS[name](builders.label_json())


def assert_survives(data: bytes) -> None:
    """Check ``data``: no exception, a known verdict, within the budget."""
    started = time.monotonic()
    result = check_bytes(data, budget_s=BUDGET_S)
    assert result.verdict in VERDICTS
    assert time.monotonic() - started < BUDGET_S + 0.5
    if result.verdict == "inconclusive":
        assert result.reason
    result.to_json_dict()


@PROPERTY_SETTINGS
@given(name=st.sampled_from(FORMATS), cut=st.floats(0, 1))
def test_truncated_files_never_break_the_checker(name: str, cut: float) -> None:
    data = sample(name)
    assert_survives(data[: int(len(data) * cut)])


@PROPERTY_SETTINGS
@given(
    name=st.sampled_from(FORMATS),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=8),
)
def test_flipped_bytes_never_break_the_checker(
    name: str, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(sample(name))
    for where, mask in flips:
        position = min(int(where * len(data)), len(data) - 1)
        data[position] ^= mask
    assert_survives(bytes(data))


@PROPERTY_SETTINGS
@given(
    name=st.sampled_from(FORMATS),
    other=st.sampled_from(FORMATS),
    at=st.floats(0, 1),
    start=st.floats(0, 1),
    length=st.integers(0, 512),
    noise=st.binary(max_size=64),
)
def test_spliced_files_never_break_the_checker(
    name: str, other: str, at: float, start: float, length: int, noise: bytes
) -> None:
    data, donor = sample(name), sample(other)
    position = int(at * len(data))
    donor_start = int(start * len(donor))
    piece = donor[donor_start : donor_start + length] + noise
    assert_survives(data[:position] + piece + data[position:])


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_never_break_the_checker(data: bytes) -> None:
    assert_survives(data)


@PROPERTY_SETTINGS
@given(
    name=st.sampled_from(FORMATS),
    value=st.text(max_size=200),
)
def test_arbitrary_label_values_never_break_the_checker(name: str, value: str) -> None:
    if name in ("pdf",):
        value = value.encode("latin-1", "replace").decode("latin-1")
    try:
        data = builders.STANDARD_BUILDERS[name](value)
    except (ValueError, UnicodeError, OverflowError):
        return  # the builder cannot carry this value; nothing to check
    assert_survives(data)
