"""
The report and extension lifecycles as transition tables, checked in one
place (`check_transition`), so no code path skips a step silently.
"""

from django.utils.translation import gettext as _

from core.exceptions import IllegalTransition

from .models import ExtensionStatus as E
from .models import ReportStatus as R

# A report version in "changes requested" stays so: the enterprise answers
# with the next version, which keeps the whole history readable.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    R.DRAFT: frozenset({R.SUBMITTED}),
    R.SUBMITTED: frozenset({R.ACCEPTED, R.CHANGES_REQUESTED}),
    R.CHANGES_REQUESTED: frozenset(),
    R.ACCEPTED: frozenset(),
}

EXTENSION_TRANSITIONS: dict[str, frozenset[str]] = {
    E.PENDING: frozenset({E.APPROVED, E.DENIED, E.WITHDRAWN}),
    E.APPROVED: frozenset(),
    E.DENIED: frozenset(),
    E.WITHDRAWN: frozenset(),
}


def check_transition(table: dict, labels, from_status: str, to_status: str) -> None:
    """Raise IllegalTransition unless the table allows from_status → to_status."""
    if to_status not in table.get(from_status, frozenset()):
        raise IllegalTransition(
            _("Cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels(from_status).label, "to": labels(to_status).label}
        )
