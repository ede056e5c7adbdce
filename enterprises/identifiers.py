"""
Identifier rules: the USCC (统一社会信用代码, GB 32100-2015), AIGC provider
codes (TC260 PG-20252A) and algorithm filing numbers. Pure functions.

The provider-code rule is the label checker's own (inspections.labels,
plain Python), so the registry never accepts a code the checker cites.
"""

import re

from inspections.labels.provider_code import (
    PROVIDER_CODE_SHAPE,
    ProviderCodeProblem,
    embedded_uscc,
    provider_code_problems,
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
PROVIDER_CODE_PATTERN = PROVIDER_CODE_SHAPE
ALGORITHM_FILING_PATTERN = re.compile(r"^网信算备\d{21}号$")


def normalize_uscc(code: str) -> str:
    return (code or "").strip().upper()


def uscc_check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    """Return True when `code` (already normalized) is a well-formed USCC."""
    if not USCC_PATTERN.match(code or ""):
        return False
    return uscc_check_character(code[:17]) == code[17]


def uscc_region_code(code: str) -> str:
    """The GB/T 2260 administrative division code, characters 3 to 8."""
    return code[2:8]


def provider_code_embedded_uscc(code: str) -> str | None:
    """The USCC inside a 27-character provider code bound to a USCC (`0011…`)."""
    return embedded_uscc(code)


def provider_code_check(code: str, *, uscc: str | None) -> list[ProviderCodeProblem]:
    """The checker's IMP-08 rule applied to a registered code of the enterprise ``uscc``."""
    return provider_code_problems(code, expected_uscc=uscc)


def uscc_complete(first17: str) -> str:
    """Append the check character to 17 characters (used by demo data and tests)."""
    return first17 + uscc_check_character(first17)
