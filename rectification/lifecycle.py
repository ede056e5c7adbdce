"""
The report and extension lifecycles as transition tables, checked in one
place (`check_transition`), so no code path skips a step silently.
"""



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
