"""
Who may act in a case: certified officers (执法证 valid on the day), at
least two on every team, record and evidence capture, and never an officer
who must stand down (回避) for the enterprise.

Recusal is kept in one table, inspections.OfficerConflict, which the random
draw already reads; a granted recusal application adds a row there, so the
draw, re-verification, review and case teams all apply it.
"""

import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError
from inspections.models import OfficerConflict


def conflicted_officer_ids(enterprise_id: int) -> set[int]:
    return set(OfficerConflict.objects.filter(enterprise_id=enterprise_id)
               .values_list("officer_id", flat=True))


def require_certified(user: User, day: datetime.date) -> None:
    """Raise unless `user` holds a law-enforcement certificate valid on `day`."""
    if not user.is_certified_on(day):
        raise ApplicationError(
            _("%(name)s holds no law-enforcement certificate valid on %(day)s.")
            % {"name": user.get_full_name() or user.username, "day": day.isoformat()}
        )


def require_officers(officers, *, enterprise_id: int, day: datetime.date) -> list:
    """
    Check a set of officers chosen to act for one enterprise: at least two
    distinct people, each certified on `day`, none to stand down. Return
    them without duplicates.
    """
    officers = list({o.pk: o for o in officers}.values())
    if len(officers) < 2:
        raise ApplicationError(_("At least two law-enforcement officers are required."))
    for officer in officers:
        require_certified(officer, day)
    conflicted = conflicted_officer_ids(enterprise_id)
    recused = [o for o in officers if o.pk in conflicted]
    if recused:
        raise ApplicationError(
            _("%(names)s must stand down (回避) for this enterprise.")
            % {"names": "、".join(o.get_full_name() or o.username for o in recused)}
        )
    return officers


def require_not_recused(user: User, *, enterprise_id: int) -> None:
    if user.pk in conflicted_officer_ids(enterprise_id):
        raise ApplicationError(
            _("%(name)s must stand down (回避) for this enterprise.")
            % {"name": user.get_full_name() or user.username}
        )
