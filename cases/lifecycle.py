"""
The case lifecycle (DOMAIN.md §4) as one transition table, checked by the
one lifecycle check (core.lifecycle.check_transition); services add the conditions each step needs
(a supervisor's approval, a served prior notice, an expired statement
period, ...).
"""

from .models import CaseStatus as S

# Withdrawal (撤销立案 / 不予立案) and suspension (中止) are possible from
# every state before the decision; a suspended case resumes where it was.
_BEFORE_DECISION = (S.FILED, S.INVESTIGATING, S.PRIOR_NOTICE, S.DEFENCE)

CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.FILED, S.WITHDRAWN}),
    S.FILED: frozenset({S.INVESTIGATING, S.SUSPENDED, S.WITHDRAWN, S.DECIDED}),
    # No penalty without a prior notice; "decided" straight from the
    # investigation is only "no penalty" or a transfer (services check it).
    S.INVESTIGATING: frozenset({S.PRIOR_NOTICE, S.DECIDED, S.SUSPENDED, S.WITHDRAWN}),
    S.PRIOR_NOTICE: frozenset({S.DEFENCE, S.DECIDED, S.SUSPENDED, S.WITHDRAWN}),
    S.DEFENCE: frozenset({S.DECIDED, S.PRIOR_NOTICE, S.SUSPENDED, S.WITHDRAWN}),
    # A transfer to public security ends the administrative case: decided →
    # closed, never served or performed as a penalty.
    S.DECIDED: frozenset({S.SERVED, S.CLOSED}),
    S.SERVED: frozenset({S.PERFORMED, S.CLOSED}),
    S.PERFORMED: frozenset({S.CLOSED}),
    S.SUSPENDED: frozenset(set(_BEFORE_DECISION) | {S.WITHDRAWN}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

OPEN_STATUSES = frozenset(CASE_TRANSITIONS) - {S.CLOSED, S.WITHDRAWN}
SUSPENDABLE = frozenset(_BEFORE_DECISION)


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in CASE_TRANSITIONS.get(from_status, frozenset())
