"""
The law in time: which provisions an issue code rests on at a given date
(the date of the conduct, not of the document). Reads only; one query for
any number of codes.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import BasisRole, CodeBasis, Provision


@dataclass
class Basis:
    """The legal basis of one code at one date."""

    code: str
    on: datetime.date
    violated: list[Provision] = field(default_factory=list)
    references: list[Provision] = field(default_factory=list)
    # Binding provisions of the code that were not yet (or no longer) in force.
    not_in_force: list[Provision] = field(default_factory=list)

    @property
    def can_order(self) -> bool:
        """A rectification order needs a binding provision in force at the conduct."""
        return bool(self.violated)

    def refusal(self) -> str:
        """Why this code cannot be drafted as a violation at this date (reader's language)."""
        if self.can_order:
            return ""
        if self.not_in_force:
            starts = min(p.starts for p in self.not_in_force)
            return _("%(code)s: the conduct (%(on)s) predates the rules it would break (in force from "
                     "%(starts)s); it cannot be drafted as a violation.") % {
                "code": self.code, "on": self.on.isoformat(), "starts": starts.isoformat()}
        if not self.references:
            return _("%(code)s has no legal basis in the provision table; an administrator adds it "
                     "(Administration → Law and agencies) before it can be ordered.") % {"code": self.code}
        return _("%(code)s rests only on non-binding technical guides; it cannot be ordered as a "
                 "violation.") % {"code": self.code}


def bases_for(*, conduct: dict[str, datetime.date]) -> dict[str, Basis]:
    """For each code: the provisions it rests on, in force on its conduct date."""
    pairs = bases_at(pairs=list(conduct.items()))
    return {code: pairs[(code, day)] for code, day in conduct.items()}


def bases_at(*, pairs: list[tuple[str, datetime.date]]) -> dict[tuple[str, datetime.date], Basis]:
    """
    For each (code, date of the conduct): the provisions the code rests on
    that were in force that day. One query.
    """
    rows = list(CodeBasis.objects.filter(code__in={code for code, _day in pairs})
                .select_related("provision__document").order_by("code", "position", "pk"))
    result: dict[tuple[str, datetime.date], Basis] = {}
    for code, day in pairs:
        if (code, day) in result:
            continue
        basis = result[(code, day)] = Basis(code=code, on=day)
        for row in rows:
            if row.code == code:
                _place(basis, row)
    return result


def _place(basis: Basis, row: CodeBasis) -> None:
    provision = row.provision
    if not provision.in_force_on(basis.on):
        if provision.binding and row.role == BasisRole.VIOLATED:
            basis.not_in_force.append(provision)
        return
    if row.role == BasisRole.VIOLATED and provision.binding:
        basis.violated.append(provision)
    else:
        basis.references.append(provision)


