"""
Written records made on the spot (笔录) and the interview notice.

A record names at least two certified officers of the case team (行政处罚法
Art. 42), each of whom confirms it under their own login; the party or the
person questioned signs it, or the officers note the refusal (Art. 55,
Art. 64(8)). Only then is it final and issued as a numbered document.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_editor, require_supervisor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError

from . import documents, officers
from .models import (
    Case,
    CaseRecord,
    CaseStatus,
    DocumentKind,
    PartyConfirmation,
    RecordKind,
    RecordOfficer,
)

RECORD_AUDIT_FIELDS = ["kind", "place", "started_at", "ended_at", "person", "person_position",
                       "content", "party_confirmation", "refusal_note", "confirmed_at"]
# Investigation records are made while the case is investigated; interview
# minutes also before the prior notice; the hearing record after it.
RECORD_STATUSES: dict[str, set[str]] = {
    RecordKind.INSPECTION: {CaseStatus.FILED, CaseStatus.INVESTIGATING},
    RecordKind.QUESTIONING: {CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.DEFENCE},
    RecordKind.INTERVIEW: {CaseStatus.FILED, CaseStatus.INVESTIGATING},
    RecordKind.HEARING: {CaseStatus.DEFENCE},
}
MAX_CONTENT = 50000


@transaction.atomic
def record_create(
    *, case: Case, actor: User, kind: str, place: str, started_at: datetime.datetime,
    ended_at: datetime.datetime, content: str, officer_list: list, person: str = "",
    person_position: str = "",
) -> CaseRecord:
    """
    Make a record with the officers present (at least two of the case team,
    certified today, none to stand down). The time it was made is the
    server's; the typed start and end cannot lie in the future.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if kind not in RecordKind.values:
        raise ApplicationError(_("Choose the kind of record."))
    if case.status not in RECORD_STATUSES[kind]:
        raise ApplicationError(
            _("A %(kind)s cannot be made while the case is “%(status)s”.")
            % {"kind": RecordKind(kind).label, "status": case.get_status_display()}
        )
    if kind == RecordKind.HEARING and not case.hearing_requested:
        raise ApplicationError(_("No hearing was requested."))
    today = timezone.localdate()
    team_ids = set(case.team.filter(active=True).values_list("officer_id", flat=True))
    officer_list = officers.require_officers(officer_list, enterprise_id=case.enterprise_id, day=today)
    if any(o.pk not in team_ids for o in officer_list):
        raise ApplicationError(_("Every officer on a record must be on the case team."))
    if actor.pk not in {o.pk for o in officer_list}:
        raise ApplicationError(_("Only an officer present may make the record."))
    if not place.strip() or not content.strip():
        raise ApplicationError(_("State the place and what was found or said."))
    if len(content) > MAX_CONTENT:
        raise ApplicationError(_("The record is too long."))
    now = timezone.now()
    if ended_at < started_at:
        raise ApplicationError(_("The end cannot be before the start."))
    if ended_at > now + datetime.timedelta(minutes=5):
        raise ApplicationError(_("The record cannot end in the future."))
    if kind in (RecordKind.QUESTIONING, RecordKind.INTERVIEW, RecordKind.HEARING) and not person.strip():
        raise ApplicationError(_("Name the person questioned or present for the party."))
    record = CaseRecord(case=case, kind=kind, place=place.strip(), started_at=started_at,
                        ended_at=ended_at, content=content.strip(), person=person.strip(),
                        person_position=person_position.strip(), created_by=actor)
    record.full_clean()
    record.save()
    RecordOfficer.objects.bulk_create([
        RecordOfficer(record=record, officer=o, certificate_number=o.certificate_number)
        for o in officer_list
    ])
    audit_record(actor=actor, action=f"case.record.{kind}", obj=record,
                 after={**snapshot(record, RECORD_AUDIT_FIELDS),
                        "officers": [o.pk for o in officer_list]},
                 enterprise_id=case.enterprise_id)
    return record


@transaction.atomic
def record_party_confirmation(*, record: CaseRecord, actor: User, confirmation: str,
                              refusal_note: str = "") -> CaseRecord:
    """
    Note how the party met the record: signed, refused (with the officers'
    note of the refusal), or nobody present (only for an inspection record).
    """
    record = CaseRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_final:
        raise ApplicationError(_("The record is final."))
    if not record.officers.filter(officer=actor).exists():
        raise ApplicationError(_("Only an officer on the record may do this."))
    if confirmation not in (PartyConfirmation.SIGNED, PartyConfirmation.REFUSED,
                            PartyConfirmation.ABSENT):
        raise ApplicationError(_("Choose how the party met the record."))
    if confirmation == PartyConfirmation.ABSENT and record.kind != RecordKind.INSPECTION:
        raise ApplicationError(_("This record must be signed by the person heard, or the refusal noted."))
    if confirmation == PartyConfirmation.REFUSED and not refusal_note.strip():
        raise ApplicationError(_("Note the refusal: who refused, when, and before whom."))
    before = snapshot(record, RECORD_AUDIT_FIELDS)
    record.party_confirmation = confirmation
    record.refusal_note = refusal_note.strip() if confirmation == PartyConfirmation.REFUSED else ""
    # The content the party saw is what the officers confirm: earlier
    # confirmations no longer hold.
    record.officers.update(confirmed_at=None)
    record.save()
    audit_record(actor=actor, action="case.record.party", obj=record, before=before,
                 after=snapshot(record, RECORD_AUDIT_FIELDS), enterprise_id=record.case.enterprise_id)
    return record


@transaction.atomic
def record_confirm(*, record: CaseRecord, actor: User) -> CaseRecord:
    """
    An officer on the record confirms it under their own login. When the last
    officer confirms (and the party has signed or its refusal is noted) the
    record is final and issued as a numbered document.
    """
    record = CaseRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_final:
        raise ApplicationError(_("The record is final."))
    entry = record.officers.filter(officer=actor).first()
    if entry is None:
        raise ApplicationError(_("Only an officer on the record may confirm it."))
    if record.party_confirmation == PartyConfirmation.PENDING:
        raise ApplicationError(_("Show the record to the party first: signed, or the refusal noted."))
    officers.require_certified(actor, timezone.localdate())
    if entry.confirmed_at is None:
        entry.confirmed_at = timezone.now()
        entry.save(update_fields=["confirmed_at"])
        audit_record(actor=actor, action="case.record.confirmed", obj=record,
                     enterprise_id=record.case.enterprise_id)
    if record.officers.filter(confirmed_at__isnull=True).exists():
        return record
    if record.officers.count() < 2:
        raise ApplicationError(_("At least two law-enforcement officers are required."))
    record.confirmed_at = timezone.now()
    record.save(update_fields=["confirmed_at"])
    case = Case.objects.select_for_update().get(pk=record.case_id)
    if record.kind == RecordKind.HEARING and case.hearing_held_on is None:
        before = {"hearing_held_on": None}
        case.hearing_held_on = timezone.localdate(record.started_at)
        case.save(update_fields=["hearing_held_on", "updated_at"])
        audit_record(actor=actor, action="case.hearing_held", obj=case, before=before,
                     after={"hearing_held_on": case.hearing_held_on})
    documents.issue(case=case, kind=documents.RECORD_DOCUMENTS[record.kind], actor=actor,
                    record=record)
    return record


@transaction.atomic
def interview_notice_issue(*, case: Case, actor: User, when: datetime.datetime, place: str,
                           matters: str) -> object:
    """
    Issue an interview notice (约谈通知书): an interview is a step the office
    may take during the investigation, never a prerequisite of a penalty.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_editor(actor)
    if case.status not in (CaseStatus.FILED, CaseStatus.INVESTIGATING):
        raise ApplicationError(_("An interview is held during the investigation."))
    if when <= timezone.now():
        raise ApplicationError(_("The interview must be in the future."))
    if not place.strip() or not matters.strip():
        raise ApplicationError(_("State the place and the matters of the interview."))
    return documents.issue(
        case=case, kind=DocumentKind.INTERVIEW_NOTICE, actor=actor,
        extra={"interview": {"when": documents.cn_time(when),
                             "place": place.strip(), "matters": matters.strip()}},
    )


@transaction.atomic
def hearing_notice_issue(*, case: Case, actor: User, when: datetime.datetime, place: str,
                         host) -> object:
    """
    Notify the party of the hearing at least seven days before it (行政处罚法
    Art. 64(2)); the host is not one of the investigators (Art. 64(4)).
    """
    from . import deadlines
    from .models import LimitCode

    case = Case.objects.select_for_update().get(pk=case.pk)
    require_supervisor(actor)
    if case.status != CaseStatus.DEFENCE or not case.hearing_requested:
        raise ApplicationError(_("No hearing was requested."))
    if case.team.filter(officer=host, active=True).exists():
        raise ApplicationError(_("The hearing is hosted by someone who did not investigate the case."))
    officers.require_not_recused(host, enterprise_id=case.enterprise_id)
    limit = deadlines.limits_by_code().get(LimitCode.HEARING_NOTICE)
    if limit is not None:
        earliest, _estimated = deadlines.count(limit, timezone.localdate())
        if timezone.localdate(when) < earliest:
            raise ApplicationError(
                _("The hearing can be held on %(date)s at the earliest (notice period).")
                % {"date": earliest.isoformat()}
            )
    if not place.strip():
        raise ApplicationError(_("State the place of the hearing."))
    return documents.issue(
        case=case, kind=DocumentKind.HEARING_NOTICE, actor=actor,
        extra={"hearing": {"when": documents.cn_time(when),
                           "place": place.strip(),
                           "host": host.get_full_name() or host.username}},
    )
