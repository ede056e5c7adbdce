"""
The 双随机 draw: which enterprises are inspected, and by which officers.

Pure functions over plain values so the draw is reproducible: the frame is
ordered by enterprise id, officers by user id, and every random choice comes
from one `random.Random(seed)` in a fixed order. The same frame, parameters
and seed give exactly the same plan.

Strata (prior-art.md §4, after OSHA's site-specific targeting):
- high risk: every enterprise of the high risk tier, or the top K by score;
- random: a simple random draw of n from the rest (low-risk excluded);
- verification: a small random draw from the low-risk tier, which checks
  that the risk model does not hide violations.
"""

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HIGH, MEDIUM, LOW = "high", "medium", "low"
STRATUM_HIGH, STRATUM_RANDOM, STRATUM_VERIFICATION = "high_risk", "random", "verification"


class DrawError(ValueError):
    """The plan cannot be drawn as asked (too few officers, no dates...)."""


@dataclass(frozen=True)
class Candidate:
    id: int
    risk_tier: str
    risk_score: int


@dataclass(frozen=True)
class DrawnEntry:
    enterprise_id: int
    stratum: str
    position: int
    officer_ids: tuple[int, ...]
    planned_date: datetime.date


@dataclass
class Draw:
    entries: list[DrawnEntry]
    strata: dict = field(default_factory=dict)
    officer_load: dict[int, int] = field(default_factory=dict)


def spread_dates(days: Sequence[datetime.date], count: int) -> list[datetime.date]:
    """Spread `count` inspections evenly over the given working days, in order."""
    if count and not days:
        raise DrawError("no working day between the first and last inspection dates")
    return [days[i * len(days) // count] for i in range(count)]


def assign_officers(
    *,
    rng: random.Random,
    enterprise_ids: Sequence[int],
    officer_ids: Iterable[int],
    conflicts: set[tuple[int, int]],
    per_inspection: int,
) -> tuple[list[tuple[int, ...]], dict[int, int]]:
    """
    Draw `per_inspection` officers for each enterprise in turn: never one
    conflicted with it, the least-loaded first, ties broken at random.
    """
    if per_inspection < 2:
        raise DrawError("an inspection needs at least two officers")
    pool = sorted(set(officer_ids))
    load = dict.fromkeys(pool, 0)
    teams: list[tuple[int, ...]] = []
    for enterprise_id in enterprise_ids:
        eligible = [o for o in pool if (o, enterprise_id) not in conflicts]
        if len(eligible) < per_inspection:
            raise DrawError(
                f"only {len(eligible)} officers without a conflict for enterprise {enterprise_id}"
            )
        rng.shuffle(eligible)
        # Stable sort: equal loads keep their random order.
        eligible.sort(key=lambda o: load[o])
        team = tuple(sorted(eligible[:per_inspection]))
        for officer in team:
            load[officer] += 1
        teams.append(team)
    return teams, load


def draw_plan(
    *,
    frame: Sequence[Candidate],
    seed: int,
    high_risk_mode: str,
    high_risk_k: int,
    random_n: int,
    verification_n: int,
    officer_ids: Iterable[int],
    conflicts: set[tuple[int, int]],
    per_inspection: int,
    days: Sequence[datetime.date],
) -> Draw:
    """Draw the three strata, the officers and the dates (see module docstring)."""
    rng = random.Random(seed)
    ordered = sorted(frame, key=lambda c: c.id)
    high = [c for c in ordered if c.risk_tier == HIGH]
    low = [c for c in ordered if c.risk_tier == LOW]
    if high_risk_mode == "top_k":
        chosen_high = sorted(high, key=lambda c: (-c.risk_score, c.id))[:high_risk_k]
    else:
        chosen_high = sorted(high, key=lambda c: (-c.risk_score, c.id))
    chosen_ids = {c.id for c in chosen_high}
    rest = [c for c in ordered if c.id not in chosen_ids and c.risk_tier != LOW]
    chosen_random = rng.sample(rest, min(random_n, len(rest)))
    chosen_verification = rng.sample(low, min(verification_n, len(low)))

    picked = (
        [(c, STRATUM_HIGH) for c in chosen_high]
        + [(c, STRATUM_RANDOM) for c in chosen_random]
        + [(c, STRATUM_VERIFICATION) for c in chosen_verification]
    )
    teams, load = assign_officers(
        rng=rng, enterprise_ids=[c.id for c, _ in picked], officer_ids=officer_ids,
        conflicts=conflicts, per_inspection=per_inspection,
    )
    dates = spread_dates(days, len(picked))
    entries = [
        DrawnEntry(c.id, stratum, position, team, date)
        for position, ((c, stratum), team, date) in enumerate(
            zip(picked, teams, dates, strict=True), start=1
        )
    ]
    strata = {
        "frame": len(ordered),
        STRATUM_HIGH: {"eligible": len(high), "drawn": len(chosen_high)},
        STRATUM_RANDOM: {"eligible": len(rest), "drawn": len(chosen_random)},
        STRATUM_VERIFICATION: {"eligible": len(low), "drawn": len(chosen_verification)},
    }
    return Draw(entries=entries, strata=strata, officer_load=load)
