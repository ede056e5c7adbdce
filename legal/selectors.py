"""Reads of law-and-agency data."""

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from .models import Agency


def agency_for_documents(*, name: str) -> Agency:
    """
    The agency named `name`, complete enough to issue documents, or an
    error that says what to fill in and where.
    """
    agency = Agency.objects.filter(name=name).first()
    if agency is None:
        raise ApplicationError(
            _("The agency “%(name)s” is not in the agency data. An administrator adds it "
              "(Administration → Law and agencies → Agencies) with its level, people's government, "
              "portal, address, telephone and contact person.") % {"name": name})
    missing = agency.missing_for_documents()
    if missing:
        raise ApplicationError(
            _("The agency data of “%(name)s” lack: %(fields)s. An administrator completes them "
              "(Administration → Law and agencies → Agencies) before documents are drafted.")
            % {"name": name, "fields": "、".join(missing)})
    return agency
