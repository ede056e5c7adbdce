"""USCC check character (GB 32100-2015)."""

from __future__ import annotations

import pytest

from inspections.labels import uscc_is_valid


@pytest.mark.parametrize(
    "code", ["91440300708461136T", "91110102MAD55U9H0F", "91110102MACQD9K640"]
)
def test_it_accepts_real_codes(code: str) -> None:
    assert uscc_is_valid(code) is True


@pytest.mark.parametrize(
    "code",
    [
        "91440300708461136A",  # wrong check character
        "9144030070846113",  # too short
        "91440300708461136TT",  # too long
        "9I440300708461136T",  # I is not in the alphabet
        "91A40300708461136T",  # region must be digits
        "",
        None,
    ],
)
def test_it_rejects_malformed_codes(code: object) -> None:
    assert uscc_is_valid(code) is False  # type: ignore[arg-type]
