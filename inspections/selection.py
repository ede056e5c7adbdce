"""
The 双随机 draw: which enterprises are inspected, and by which officers.

Pure functions over plain values (no Django), so anyone can redo a draw
from a plan's record alone. The record holds everything the draw reads:
the frame as it was (each member's id, risk tier, risk score, the stratum
it was eligible for and the officers in conflict with it), the officer pool,
the working days, the strata sizes and the seed.

The method, "hmac-sha256-v1", uses no pseudo-random generator (Python's
`random` promises no stable sequence across versions). Every random choice
is an ordering by a keyed hash:

    rank(label, id) = HMAC-SHA256(key = the seed as decimal ASCII,
                                  message = "<label>:<id>" in ASCII), hex

- high risk: every enterprise of the high tier (mode "all") or the top K by
  risk score (mode "top_k"), by score descending, then id;
- random: the rest of the frame except the low tier, ordered by
  rank("enterprise", id), the first n;
- verification: the low tier, ordered by rank("enterprise", id), the first
  n; it checks that the risk model does not hide violations;
- officers: for each drawn enterprise in plan order, the officers of the
  pool without a conflict with it, the first k when ordered by
  (−(T − load) / remaining, load, rank("officer:<enterprise id>", officer id))
  where T = N·k / P is the fair share (N drawn enterprises, P officers),
  load the inspections already given to the officer in this draw and
  remaining the drawn enterprises from this one on that the officer may
  inspect: whoever is furthest behind the fair share with the fewest
  chances left goes first (exact fractions, no floating point);
- dates: the drawn enterprises in plan order spread evenly over the
  recorded working days (entry i gets day ⌊i·D/N⌋).

Strata (prior-art.md §4, after OSHA's site-specific targeting).
"""

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

HIGH, MEDIUM, LOW = "high", "medium", "low"
STRATUM_HIGH, STRATUM_RANDOM, STRATUM_VERIFICATION = "high_risk", "random", "verification"
METHOD = "hmac-sha256-v1"
LEGACY_METHOD = "legacy"
MODE_ALL, MODE_TOP_K = "all", "top_k"


class DrawError(ValueError):
    """
    The plan cannot be drawn as asked. `code` says why and `params` carries
    the ids and numbers, so the caller can explain it in people's words.
    """

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


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


def rank(seed: int, label: str, member_id: int) -> str:
    """The keyed hash that orders members: HMAC-SHA256(seed, "label:id")."""
    return hmac.new(str(seed).encode("ascii"), f"{label}:{member_id}".encode("ascii"),
                    hashlib.sha256).hexdigest()


def eligible_strata(frame: Sequence[Candidate], *, high_risk_mode: str, high_risk_k: int) -> dict:
    """
    Which stratum each member of the frame is eligible for: {id: stratum}.
    The high stratum in plan order comes first.
    """
    high = sorted((c for c in frame if c.risk_tier == HIGH), key=lambda c: (-c.risk_score, c.id))
    if high_risk_mode == MODE_TOP_K:
        high = high[:high_risk_k]
    chosen = {c.id for c in high}
    strata = {c.id: STRATUM_HIGH for c in high}
    for c in sorted(frame, key=lambda c: c.id):
        if c.id in chosen:
            continue
        strata[c.id] = STRATUM_VERIFICATION if c.risk_tier == LOW else STRATUM_RANDOM
    return strata


def stratum_sizes(frame: Sequence[Candidate], *, high_risk_mode: str, high_risk_k: int) -> dict:
    """How many members each stratum can draw from: {stratum: count}."""
    counts = dict.fromkeys((STRATUM_HIGH, STRATUM_RANDOM, STRATUM_VERIFICATION), 0)
    for stratum in eligible_strata(frame, high_risk_mode=high_risk_mode,
                                   high_risk_k=high_risk_k).values():
        counts[stratum] += 1
    return counts


def check_sizes(
    frame: Sequence[Candidate], *, high_risk_mode: str, high_risk_k: int, random_n: int,
    verification_n: int,
) -> None:
    """Refuse sizes larger than what the frame holds (DrawError "size")."""
    high_available = sum(1 for c in frame if c.risk_tier == HIGH)
    if high_risk_mode == MODE_TOP_K and high_risk_k > high_available:
        raise DrawError("size", stratum=STRATUM_HIGH, asked=high_risk_k, eligible=high_available)
    sizes = stratum_sizes(frame, high_risk_mode=high_risk_mode, high_risk_k=high_risk_k)
    if random_n > sizes[STRATUM_RANDOM]:
        raise DrawError("size", stratum=STRATUM_RANDOM, asked=random_n,
                        eligible=sizes[STRATUM_RANDOM])
    if verification_n > sizes[STRATUM_VERIFICATION]:
        raise DrawError("size", stratum=STRATUM_VERIFICATION, asked=verification_n,
                        eligible=sizes[STRATUM_VERIFICATION])
    if sizes[STRATUM_HIGH] + random_n + verification_n == 0:
        raise DrawError("empty")


def spread_dates(days: Sequence[datetime.date], count: int) -> list[datetime.date]:
    """Spread `count` inspections evenly over the given working days, in order."""
    if count and not days:
        raise DrawError("no_working_day")
    return [days[i * len(days) // count] for i in range(count)]


def assign_officers(
    *,
    seed: int,
    enterprise_ids: Sequence[int],
    officer_ids: Iterable[int],
    conflicts: set[tuple[int, int]],
    per_inspection: int,
) -> tuple[list[tuple[int, ...]], dict[int, int]]:
    """
    Draw `per_inspection` officers for each enterprise in turn: never one
    conflicted with it, whoever is furthest behind a fair share first (see
    the module docstring), ties broken by the keyed hash.
    """
    if per_inspection < 2:
        raise DrawError("per_inspection", needed=per_inspection)
    pool = sorted(set(officer_ids))
    load = dict.fromkeys(pool, 0)
    remaining = {o: sum(1 for e in enterprise_ids if (o, e) not in conflicts) for o in pool}
    slots = len(enterprise_ids) * per_inspection
    teams: list[tuple[int, ...]] = []
    for enterprise_id in enterprise_ids:
        eligible = [o for o in pool if (o, enterprise_id) not in conflicts]
        if len(eligible) < per_inspection:
            raise DrawError(
                "officers", enterprise_id=enterprise_id, eligible=eligible,
                conflicted=[o for o in pool if (o, enterprise_id) in conflicts],
                needed=per_inspection,
            )
        eligible.sort(key=lambda o: (
            -Fraction(slots - len(pool) * load[o], len(pool) * remaining[o]), load[o],
            rank(seed, f"officer:{enterprise_id}", o)))
        team = tuple(sorted(eligible[:per_inspection]))
        for officer in team:
            load[officer] += 1
        for officer in eligible:
            remaining[officer] -= 1
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
    check_sizes(frame, high_risk_mode=high_risk_mode, high_risk_k=high_risk_k,
                random_n=random_n, verification_n=verification_n)
    strata_of = eligible_strata(frame, high_risk_mode=high_risk_mode, high_risk_k=high_risk_k)
    members = {c.id: c for c in frame}
    chosen_high = [members[i] for i, s in strata_of.items() if s == STRATUM_HIGH]

    def by_rank(stratum: str) -> list[Candidate]:
        pool = [members[i] for i, s in strata_of.items() if s == stratum]
        return sorted(pool, key=lambda c: (rank(seed, "enterprise", c.id), c.id))

    chosen_random = by_rank(STRATUM_RANDOM)[:random_n]
    chosen_verification = by_rank(STRATUM_VERIFICATION)[:verification_n]
    picked = (
        [(c, STRATUM_HIGH) for c in chosen_high]
        + [(c, STRATUM_RANDOM) for c in chosen_random]
        + [(c, STRATUM_VERIFICATION) for c in chosen_verification]
    )
    dates = spread_dates(days, len(picked))
    teams, load = assign_officers(
        seed=seed, enterprise_ids=[c.id for c, _ in picked], officer_ids=officer_ids,
        conflicts=conflicts, per_inspection=per_inspection,
    )
    entries = [
        DrawnEntry(c.id, stratum, position, team, date)
        for position, ((c, stratum), team, date) in enumerate(
            zip(picked, teams, dates, strict=True), start=1
        )
    ]
    sizes = stratum_sizes(frame, high_risk_mode=high_risk_mode, high_risk_k=high_risk_k)
    high_tier = sum(1 for c in frame if c.risk_tier == HIGH)
    strata = {
        "frame": len(frame),
        STRATUM_HIGH: {"eligible": high_tier, "drawn": len(chosen_high)},
        STRATUM_RANDOM: {"eligible": sizes[STRATUM_RANDOM], "drawn": len(chosen_random)},
        STRATUM_VERIFICATION: {"eligible": sizes[STRATUM_VERIFICATION],
                               "drawn": len(chosen_verification)},
    }
    return Draw(entries=entries, strata=strata, officer_load=load)


# --- the record ------------------------------------------------------------------


def make_record(
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
) -> dict:
    """Everything a draw reads, as JSON-ready values (see module docstring)."""
    pool = sorted(set(officer_ids))
    strata_of = eligible_strata(frame, high_risk_mode=high_risk_mode, high_risk_k=high_risk_k)
    by_enterprise: dict[int, list[int]] = {}
    for officer, enterprise in conflicts:
        if officer in pool:
            by_enterprise.setdefault(enterprise, []).append(officer)
    return {
        "method": METHOD,
        "seed": seed,
        "params": {"high_risk_mode": high_risk_mode, "high_risk_k": high_risk_k,
                   "random_n": random_n, "verification_n": verification_n,
                   "per_inspection": per_inspection},
        "frame": [
            {"id": c.id, "tier": c.risk_tier, "score": c.risk_score, "stratum": strata_of[c.id],
             "conflicts": sorted(by_enterprise.get(c.id, []))}
            for c in sorted(frame, key=lambda c: c.id)
        ],
        "officers": pool,
        "days": [d.isoformat() for d in days],
    }


def draw_from_record(record: dict) -> Draw:
    """Redo a draw from its record alone."""
    if record.get("method") != METHOD:
        raise DrawError("method", method=record.get("method"))
    params = record["params"]
    frame = [Candidate(int(m["id"]), m["tier"], int(m["score"])) for m in record["frame"]]
    conflicts = {(int(o), int(m["id"])) for m in record["frame"] for o in m["conflicts"]}
    return draw_plan(
        frame=frame, seed=int(record["seed"]), high_risk_mode=params["high_risk_mode"],
        high_risk_k=int(params["high_risk_k"]), random_n=int(params["random_n"]),
        verification_n=int(params["verification_n"]),
        officer_ids=[int(o) for o in record["officers"]], conflicts=conflicts,
        per_inspection=int(params["per_inspection"]),
        days=[datetime.date.fromisoformat(d) for d in record["days"]],
    )


def entries_as_result(entries: Iterable[DrawnEntry]) -> list[list]:
    """A draw's outcome as JSON-ready rows: [enterprise, stratum, [officers], date]."""
    return [[e.enterprise_id, e.stratum, sorted(e.officer_ids), e.planned_date.isoformat()]
            for e in sorted(entries, key=lambda e: e.position)]


def compare(expected: list[list], actual: list[list]) -> list[str]:
    """
    The differences between two outcomes (rows as from `entries_as_result`),
    as short plain descriptions keyed by position; empty when they agree.
    """
    differences = []
    for position, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        if [want[0], want[1], sorted(want[2]), want[3]] != [got[0], got[1], sorted(got[2]), got[3]]:
            differences.append(f"{position}: {want} != {got}")
    if len(expected) != len(actual):
        differences.append(f"count: {len(expected)} != {len(actual)}")
    return differences
