"""Builders for administrative cases: certified officers and cases at each step."""

import datetime

from django.utils import timezone

from accounts.models import Role
from cases import records, services
from cases.models import PartyConfirmation, RecordKind
from inspections.models import FindingStatus
from tests.factories import FindingFactory, IssueCodeFactory, UserFactory

VALID = datetime.date(2030, 12, 31)


def officer(name: str = "执法员", cert: str | None = None, role: str = Role.INSPECTOR, **kwargs):
    user = UserFactory(role=role, first_name=name, **kwargs)
    user.certificate_number = cert or f"11010{user.pk:05d}"
    user.certificate_valid_until = VALID
    user.save()
    return user


def serious_finding(enterprise, **kwargs):
    code = IssueCodeFactory(code=kwargs.pop("code", "CNT-01"), category="CNT")
    return FindingFactory(inspection__enterprise=enterprise, enterprise=enterprise,
                          issue_code=code, status=kwargs.pop("status", FindingStatus.NOTIFIED),
                          **kwargs)


def agency():
    """The issuing agency, complete: case documents print its data."""
    from django.conf import settings

    from legal.models import Agency
    from tests.factories import AGENCY_DEFAULTS

    return Agency.objects.get_or_create(name=settings.CASE_AGENCY_NAME, defaults=AGENCY_DEFAULTS)[0]


def proposed_case(enterprise, *, team, actor=None, findings=None, source="serious"):
    agency()
    actor = actor or team[0]
    findings = findings if findings is not None else [serious_finding(enterprise)]
    return services.case_propose(
        enterprise=enterprise, actor=actor, source=source, cause="未按规定添加生成合成内容标识",
        facts="抽检的图片均未添加显式标识和隐式标识。", clue_found_on=timezone.localdate(),
        findings=findings, team=team,
    )


def confirmed_record(case, *, team, kind=RecordKind.INSPECTION, person="张三"):
    now = timezone.now()
    record = records.record_create(
        case=case, actor=team[0], kind=kind, place="北京市海淀区某路1号", content="现场检查情况。",
        started_at=now - datetime.timedelta(hours=1), ended_at=now, officer_list=team,
        person=person, person_position="法定代表人",
    )
    records.record_party_confirmation(record=record, actor=team[0],
                                      confirmation=PartyConfirmation.SIGNED)
    for o in team:
        record = records.record_confirm(record=record, actor=o)
    return record


def investigating_case(enterprise, *, team, supervisor):
    case = proposed_case(enterprise, team=team)
    case = services.case_file(case=case, actor=supervisor)
    case = services.case_start_investigation(case=case, actor=team[0])
    confirmed_record(case, team=team)
    case.refresh_from_db()
    return case


def serve_on_paper(document, *, servers, day=None):
    """Direct service against the recipient's signature, by two officers of the team."""
    from cases import documents

    moment = timezone.now()
    if day is not None:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return documents.record_service(document=document, actor=servers[0], method="direct",
                                    served_at=moment, servers=servers, recipient="张三")
