"""
Statutory time limits of a case, counted from the record.

Each limit is a `TimeLimit` row (length, unit, provision). Working days come
from the official calendar (inspections.workdays); periods in days or
months end on the corresponding day, and a period whose last day is a
holiday ends on the next working day (民事诉讼法 Art. 85, applied by
行政诉讼法 Art. 101). The first day is never counted: every period runs from
the day after its start.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from inspections.workdays import add_working_days, calendar_snapshot

from .models import Case, CaseStatus, LimitCode, LimitUnit, Outcome, TimeLimit

S = CaseStatus


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    start: datetime.date
    due: datetime.date
    citation: str
    verified: bool
    # True when the count crossed a year the holiday calendar does not know.
    estimated: bool
    # running: the limit applies now; met: the step was taken in time or
    # late (see `late`); info: a window shown for information (remedies).
    state: str
    late: bool
    warn_days_before: int
    # Whose limit it is: the office's or the party's.
    party: bool

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due - (today or timezone.localdate())).days

    @property
    def expired(self) -> bool:
        return self.state == "running" and self.due < timezone.localdate()

    def warn_now(self, today: datetime.date) -> bool:
        return self.state == "running" and (self.due - today).days <= self.warn_days_before


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def count(limit: TimeLimit, start: datetime.date, *, extra_days: int = 0) -> tuple[datetime.date, bool]:
    """Return (last day of the period, estimated) of `limit` from `start`."""
    if limit.unit == LimitUnit.WORKING_DAYS:
        result = add_working_days(start, limit.length)
        due, estimated = result.date, result.estimated
        if extra_days:
            due += datetime.timedelta(days=extra_days)
        return due, estimated
    if limit.unit == LimitUnit.MONTHS:
        due = _add_months(start, limit.length)
    else:
        due = start + datetime.timedelta(days=limit.length)
    due += datetime.timedelta(days=extra_days)
    snapshot = calendar_snapshot()
    estimated = not snapshot.is_known(due)
    while not snapshot.is_working_day(due):
        due += datetime.timedelta(days=1)
        estimated = estimated or not snapshot.is_known(due)
    return due, estimated


def limits_by_code() -> dict[str, TimeLimit]:
    return {limit.code: limit for limit in TimeLimit.objects.all()}


def case_deadlines(case: Case, *, limits: dict[str, TimeLimit] | None = None,
                   today: datetime.date | None = None) -> list[Deadline]:
    """Every time limit that applies to `case` as recorded, in order."""
    limits = limits if limits is not None else limits_by_code()
    today = today or timezone.localdate()
    out: list[Deadline] = []

    def add(code: str, start: datetime.date | None, *, done_on: datetime.date | None,
            running: bool, party: bool = False, info: bool = False, extra_days: int = 0,
            length_override: TimeLimit | None = None) -> None:
        limit = length_override or limits.get(code)
        if limit is None or start is None:
            return
        due, estimated = count(limit, start, extra_days=extra_days)
        if info:
            state, late = "info", False
        elif done_on is not None:
            state, late = "met", done_on > due
        elif running:
            state, late = "running", False
        else:
            return
        out.append(Deadline(
            code=code, label=str(LimitCode(code).label), start=start, due=due,
            citation=limit.citation, verified=limit.verified, estimated=estimated, state=state,
            late=late, warn_days_before=limit.warn_days_before, party=party,
        ))

    status = case.status
    # 立案: within the period after the clue was found.
    add(LimitCode.FILING, case.clue_found_on, done_on=case.filed_on,
        running=status == S.PROPOSED)
    # Handling period from filing, plus an approved extension and the days
    # spent suspended (not counted).
    if case.filed_on is not None:
        handling = limits.get(LimitCode.HANDLING)
        extension = limits.get(LimitCode.HANDLING_EXTENSION)
        suspended = case.suspended_days
        if case.status == S.SUSPENDED and case.suspended_on:
            suspended += (today - case.suspended_on).days
        if handling is not None:
            total = TimeLimit(code=LimitCode.HANDLING, unit=handling.unit, citation=handling.citation,
                              verified=handling.verified, warn_days_before=handling.warn_days_before,
                              length=handling.length)
            extra = suspended
            if case.handling_extended and extension is not None:
                if extension.unit == handling.unit:
                    total.length += extension.length
                    total.citation = f"{handling.citation}；{extension.citation}"
                    total.verified = handling.verified and extension.verified
                else:
                    extra += extension.length
            decided = case.decided_on
            add(LimitCode.HANDLING, case.filed_on, done_on=decided,
                running=status in (S.FILED, S.INVESTIGATING, S.PRIOR_NOTICE, S.DEFENCE, S.SUSPENDED),
                extra_days=extra, length_override=total)
    # The decision on preserved evidence, within its period from each
    # preservation notice (行政处罚法 Art. 56); `case.evidence` may be
    # prefetched by callers that count many cases.
    by_notice: dict[datetime.date, list] = {}
    for entry in case.evidence.all():
        if entry.noticed_on is not None:
            by_notice.setdefault(entry.noticed_on, []).append(entry)
    for noticed_on, entries in sorted(by_notice.items()):
        decision_days = [e.decided_on for e in entries if e.decided_on is not None]
        add(LimitCode.PRESERVATION, noticed_on,
            done_on=max(decision_days) if len(decision_days) == len(entries) else None,
            running=status not in (S.CLOSED, S.WITHDRAWN))
    # The party's periods after service of the prior notice.
    if case.prior_notice_served_on is not None:
        in_defence = status in (S.PRIOR_NOTICE, S.DEFENCE)
        add(LimitCode.STATEMENT, case.prior_notice_served_on, done_on=None,
            running=in_defence, party=True, info=not in_defence)
        if case.hearing_right:
            add(LimitCode.HEARING_REQUEST, case.prior_notice_served_on, done_on=None,
                running=in_defence, party=True, info=not in_defence)
    # Service of the decision (not of a transfer: that ends the case).
    if case.decided_on is not None and case.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY):
        add(LimitCode.SERVICE, case.decided_on, done_on=case.served_on,
            running=status == S.DECIDED)
    # Remedy windows from service, for staff to see.
    if case.served_on is not None:
        add(LimitCode.RECONSIDERATION, case.served_on, done_on=None, running=False,
            party=True, info=True)
        add(LimitCode.LITIGATION, case.served_on, done_on=None, running=False,
            party=True, info=True)
    return out


def deadline(case: Case, code: str) -> Deadline | None:
    return next((d for d in case_deadlines(case) if d.code == code), None)
