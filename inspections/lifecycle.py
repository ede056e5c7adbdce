"""
The finding lifecycle (DOMAIN.md §4) as one transition table. Every status
change goes through `inspections.services.findings.finding_transition`, which checks
this table, so no code path can skip a step silently.
"""

from .models import FindingStatus as S

FINDING_TRANSITIONS: dict[str, frozenset[str]] = {
    # The rectification clock starts when the notice is issued (the deadline
    # is recounted then), so an internal finding cannot be overdue.
    # "escalated" before the deadline: a serious finding (CNT, TMP, repeat)
    # goes to an administrative case at once (cases.services checks which).
    S.OPEN: frozenset({S.NOTIFIED, S.WITHDRAWN, S.ESCALATED}),
    S.NOTIFIED: frozenset({S.REPORT_SUBMITTED, S.OVERDUE, S.WITHDRAWN, S.ESCALATED}),
    S.REPORT_SUBMITTED: frozenset({S.ACCEPTED, S.CHANGES_REQUESTED, S.WITHDRAWN, S.ESCALATED}),
    S.CHANGES_REQUESTED: frozenset({S.REPORT_SUBMITTED, S.OVERDUE, S.WITHDRAWN, S.ESCALATED}),
    # A late report is still accepted for review; escalation continues meanwhile.
    S.OVERDUE: frozenset({S.ESCALATED, S.REPORT_SUBMITTED, S.WITHDRAWN}),
    S.ESCALATED: frozenset({S.REPORT_SUBMITTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Statuses of a finding that has reached the enterprise. Visibility itself is
# decided by `notified_at` (inspections.selectors.finding_list): a finding
# withdrawn before any notice stays internal.
ENTERPRISE_VISIBLE_STATUSES = frozenset(FINDING_TRANSITIONS) - {S.OPEN}


# The inspection lifecycle: planned → due → in progress → completed → closed.
# `inspections.services.inspections.inspection_transition` is the only writer of
# Inspection.status and checks this table.
def _inspection_table() -> dict[str, frozenset[str]]:
    from .models import Inspection

    st = Inspection.Status
    return {
        st.PLANNED: frozenset({st.DUE}),
        st.DUE: frozenset({st.IN_PROGRESS}),
        st.IN_PROGRESS: frozenset({st.COMPLETED}),
        # A completed inspection is reopened when evidence must be added.
        st.COMPLETED: frozenset({st.CLOSED, st.IN_PROGRESS}),
        st.CLOSED: frozenset(),
    }


INSPECTION_TRANSITIONS: dict[str, frozenset[str]] = _inspection_table()
