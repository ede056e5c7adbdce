"""Unified Social Credit Code (GB 32100-2015) check character."""

from __future__ import annotations

import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: value for value, char in enumerate(USCC_ALPHABET)}
# 3^i mod 31 for the 17 leading characters.
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_char(first17: str) -> str:
    """Return the check character for the first 17 characters of a USCC."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, _WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    """Return True if ``code`` has the USCC shape and a correct check char."""
    if not isinstance(code, str) or not _USCC_SHAPE.match(code):
        return False
    return uscc_check_char(code[:17]) == code[17]
