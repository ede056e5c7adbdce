"""The self-inspection report lifecycle: one transition table, checked in one place."""

from .models import ReportStatus as S

REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.CHANGES_REQUESTED}),
    # The enterprise revises the same report and submits it again.
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED}),
    S.ACCEPTED: frozenset(),
}
