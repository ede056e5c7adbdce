"""
The one check of every lifecycle (findings, inspections, notices, reports,
extensions): each app keeps its transition table beside its models and asks
here, so every refused move reads the same way.
"""

from collections.abc import Mapping

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .exceptions import IllegalTransition


def check_transition(table: Mapping, choices, from_status: str, to_status: str, *, subject) -> None:
    """
    Raise IllegalTransition unless `table` (status -> the statuses it may go
    to) allows from_status -> to_status. `choices` names the statuses as
    people read them; `subject` is what changes (a model's verbose name).
    """
    if to_status not in table.get(from_status, frozenset()):
        raise IllegalTransition(
            _("%(subject)s: cannot go from “%(from)s” to “%(to)s”.")
            % {"subject": capfirst(subject), "from": choices(from_status).label,
               "to": choices(to_status).label}
        )
