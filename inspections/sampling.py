"""
How many content items to sample per service, and what the sample says.

Pure functions, no Django: GB/T 2828.1 (= ISO 2859-1) single sampling plans
for normal inspection, the zero-acceptance detection rule and the Wilson
score interval. `reference/sampling.md` explains the tables.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

# Table 1: upper bound of each lot-size band and its code letter at the
# general inspection levels I, II and III.
_LOT_BANDS: list[tuple[int | None, str, str, str]] = [
    (8, "A", "A", "B"),
    (15, "A", "B", "C"),
    (25, "B", "C", "D"),
    (50, "C", "D", "E"),
    (90, "C", "E", "F"),
    (150, "D", "F", "G"),
    (280, "E", "G", "H"),
    (500, "F", "H", "J"),
    (1200, "G", "J", "K"),
    (3200, "H", "K", "L"),
    (10000, "J", "L", "M"),
    (35000, "K", "M", "N"),
    (150000, "L", "N", "P"),
    (500000, "M", "P", "Q"),
    (None, "N", "Q", "R"),
]
LEVELS = ("I", "II", "III")

LETTERS = "ABCDEFGHJKLMNPQR"
SAMPLE_SIZES = dict(zip(
    LETTERS, (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000), strict=True
))

# The percent-nonconforming AQL columns of Table 2-A. (The columns above 10
# count nonconformities per hundred units, which a label inspection does not.)
AQLS: tuple[Decimal, ...] = tuple(Decimal(v) for v in (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40",
    "0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10",
))

UP, DOWN = "up", "down"
# Cells along the diagonal s = letter + column - 14 (sampling.md).
_DIAGONAL: dict[int, tuple[int, int] | str] = {
    0: (0, 1), 1: UP, 2: DOWN, 3: (1, 2), 4: (2, 3), 5: (3, 4), 6: (5, 6),
    7: (7, 8), 8: (10, 11), 9: (14, 15), 10: (21, 22),
}
# The irregular top-left corner of the published table: row A has no plan
# above it, so where the diagonal would point up the table points down
# (A at AQL 10 → the plan of letter C, n = 5, Ac 1 Re 2).
_IRREGULAR: dict[tuple[str, Decimal], str] = {
    ("A", Decimal("10")): DOWN,
}


class SamplingError(ValueError):
    """The inputs do not describe a sampling plan (bad lot, AQL or level)."""


def lot_size(*, monthly_volume: int, months: int) -> int:
    """
    The lot of one service (DOMAIN §5, "lot size (AIGC items in the period)"):
    every AI-generated content item the service produced in the period under
    inspection, that is its monthly AIGC volume times the campaign's length in
    whole months (`Campaign.months`, at least one). A selection plan and a
    re-verification of the same service in the same campaign size their
    samples from this same lot.
    """
    return max(0, monthly_volume) * max(1, months)


def code_letter(lot_size: int, level: str = "II") -> str:
    """Return the sample size code letter of Table 1 for a lot (size ≥ 2)."""
    if level not in LEVELS:
        raise SamplingError(f"unknown inspection level {level!r}")
    if lot_size < 2:
        raise SamplingError("a lot has at least two items")
    column = LEVELS.index(level) + 1
    for upper, *letters in _LOT_BANDS:
        if upper is None or lot_size <= upper:
            return letters[column - 1]
    raise AssertionError("unreachable")  # pragma: no cover


def _aql_column(aql: Decimal | float | str) -> int:
    value = Decimal(str(aql))
    for index, column in enumerate(AQLS):
        if column == value:
            return index
    raise SamplingError(f"AQL {aql} is not a column of Table 2-A (0.010 to 10)")


def table_2a_cell(letter: str, aql: Decimal | float | str) -> tuple[int, int] | str:
    """Return (Ac, Re), UP or DOWN for one cell of Table 2-A."""
    column = _aql_column(aql)
    irregular = _IRREGULAR.get((letter, AQLS[column]))
    if irregular:
        return irregular
    s = LETTERS.index(letter) + column - 14
    if s < 0:
        return DOWN
    return _DIAGONAL.get(s, UP)


@dataclass(frozen=True)
class Plan:
    """A single sampling plan as applied to one lot."""

    lot_size: int
    code_letter: str  # "" when no letter applies (lot below 2)
    plan_letter: str  # the letter whose plan was used after following arrows
    sample_size: int
    accept: int
    reject: int
    # True when n reached the lot size: every item is inspected.
    inspect_all: bool

    def decide(self, nonconforming: int) -> bool:
        """True to accept the lot, False to reject it."""
        return accept_or_reject(nonconforming, self.accept, self.reject)


def gb2828_plan(lot_size: int, aql: Decimal | float | str, level: str = "II") -> Plan:
    """
    Return the GB/T 2828.1 single sampling plan for normal inspection.

    Arrows are followed to the first plan below (↓) or above (↑) in the same
    AQL column, and that plan's sample size is used, not the original
    letter's. If n is at least the lot size, every item is inspected.
    """
    _aql_column(aql)
    if lot_size < 2:
        if lot_size < 0:
            raise SamplingError("a lot cannot be negative")
        return Plan(lot_size, "", "", lot_size, 0, 1, True)
    letter = code_letter(lot_size, level)
    index = LETTERS.index(letter)
    while True:
        cell = table_2a_cell(LETTERS[index], aql)
        if cell == DOWN:
            index += 1
        elif cell == UP:
            index -= 1
        else:
            break
        if not 0 <= index < len(LETTERS):  # pragma: no cover - table is closed
            raise SamplingError("the arrows of Table 2-A lead outside the table")
    assert not isinstance(cell, str)  # the loop leaves only on a plan (Ac, Re)
    accept, reject = cell
    plan_letter = LETTERS[index]
    n = SAMPLE_SIZES[plan_letter]
    inspect_all = n >= lot_size
    return Plan(lot_size, letter, plan_letter, min(n, lot_size), accept, reject, inspect_all)


def zero_acceptance_size(rate: float, confidence: float = 0.95) -> int:
    """
    Return n = ceil(ln(1 − C) / ln(1 − p)): the items needed to see at least
    one violation with confidence C when the true rate is at least p
    (binomial, i.e. an infinite lot).
    """
    rate, confidence = float(rate), float(confidence)
    if not 0 < rate < 1 or not 0 < confidence < 1:
        raise SamplingError("rate and confidence must lie strictly between 0 and 1")
    exact = math.log(1 - confidence) / math.log(1 - rate)
    # Guard against 2.0000000000000004 becoming 3.
    return math.ceil(exact - 1e-9)


def zero_acceptance_plan(lot_size: int, rate: float, confidence: float = 0.95) -> Plan:
    """The zero-acceptance plan (Ac 0, Re 1), capped at the lot size."""
    n = zero_acceptance_size(rate, confidence)
    inspect_all = n >= lot_size
    return Plan(max(lot_size, 0), "", "", min(n, max(lot_size, 0)), 0, 1, inspect_all)


def accept_or_reject(nonconforming: int, accept: int, reject: int) -> bool:
    """Accept when the nonconforming items are at most Ac; reject at Re or more."""
    if nonconforming <= accept:
        return True
    if nonconforming >= reject:
        return False
    raise SamplingError("Ac and Re leave a gap; single sampling has Re = Ac + 1")


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    rate: float


# The normal quantile of a two-sided 95 % interval: every Wilson interval uses it.
Z95 = 1.959963984540054


def wilson_interval(x: int, n: int, z: float = Z95) -> Interval:
    """Wilson score interval for x violations in n items (95 % by default)."""
    if n <= 0:
        raise SamplingError("an interval needs at least one item")
    if not 0 <= x <= n:
        raise SamplingError("violations must lie between 0 and n")
    z2 = z * z
    centre = (x + z2 / 2) / (n + z2)
    half = z * math.sqrt(x * (n - x) / n + z2 / 4) / (n + z2)
    return Interval(max(0.0, centre - half), min(1.0, centre + half), x / n)
