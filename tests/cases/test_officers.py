"""Certified officers, two on every record, and recusal (回避) wherever officers are chosen."""

import datetime

import pytest
from django.utils import timezone

from cases import records, services
from cases.models import CaseRecord, DocumentKind, PartyConfirmation, RecordKind, RecusalStatus
from core.exceptions import ApplicationError
from inspections.models import OfficerConflict
from tests.cases.factories import confirmed_record, officer, proposed_case
from tests.factories import EnterpriseUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return [officer("王执法"), officer("李执法")]


@pytest.fixture
def filed(enterprise, supervisor, team):
    case = proposed_case(enterprise, team=team)
    return services.case_file(case=case, actor=supervisor)


def _record(case, actor, officer_list, **kwargs):
    now = timezone.now()
    return records.record_create(
        case=case, actor=actor, kind=kwargs.pop("kind", RecordKind.INSPECTION), place="现场",
        content="检查情况。", started_at=now - datetime.timedelta(minutes=30), ended_at=now,
        officer_list=officer_list, person=kwargs.pop("person", "张三"), **kwargs)


def test_a_record_is_refused_with_one_officer(filed, team):
    with pytest.raises(ApplicationError, match="two law-enforcement officers"):
        _record(filed, team[0], [team[0]])
    assert CaseRecord.objects.count() == 0


def test_an_uncertified_or_expired_officer_cannot_act(enterprise, team):
    plain = UserFactory(first_name="无证")
    with pytest.raises(ApplicationError, match="no law-enforcement certificate"):
        proposed_case(enterprise, team=[team[0], plain])
    team[1].certificate_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    team[1].save()
    with pytest.raises(ApplicationError, match="no law-enforcement certificate"):
        proposed_case(enterprise, team=team)


def test_both_officers_confirm_and_the_party_signs_or_refuses(filed, team):
    record = _record(filed, team[0], team)
    with pytest.raises(ApplicationError, match="party first"):
        records.record_confirm(record=record, actor=team[0])
    with pytest.raises(ApplicationError, match="Note the refusal"):
        records.record_party_confirmation(record=record, actor=team[0],
                                          confirmation=PartyConfirmation.REFUSED)
    records.record_party_confirmation(record=record, actor=team[0], confirmation=PartyConfirmation.REFUSED,
                                      refusal_note="当事人张三拒绝签名，执法人员王、李在场。")
    record = records.record_confirm(record=record, actor=team[0])
    assert not record.is_final and not filed.documents.filter(kind=DocumentKind.INSPECTION_RECORD).exists()
    outsider = officer("外人")
    with pytest.raises(ApplicationError, match="officer on the record"):
        records.record_confirm(record=record, actor=outsider)
    record = records.record_confirm(record=record, actor=team[1])
    assert record.is_final
    document = filed.documents.get(kind=DocumentKind.INSPECTION_RECORD)
    assert document.record == record
    with pytest.raises(ApplicationError, match="final"):
        records.record_party_confirmation(record=record, actor=team[0], confirmation=PartyConfirmation.SIGNED)


def test_a_questioning_record_needs_the_person_to_sign_or_refuse(filed, team):
    record = _record(filed, team[0], team, kind=RecordKind.QUESTIONING)
    with pytest.raises(ApplicationError, match="signed by the person"):
        records.record_party_confirmation(record=record, actor=team[0], confirmation=PartyConfirmation.ABSENT)


def test_officers_on_a_record_come_from_the_case_team(filed, team):
    with pytest.raises(ApplicationError, match="case team"):
        _record(filed, team[0], [team[0], officer("别组")])


def test_a_recused_officer_is_refused_on_a_case_team(enterprise, team):
    OfficerConflict.objects.create(officer=team[1], enterprise=enterprise, reason="亲属在该企业任职")
    with pytest.raises(ApplicationError, match="stand down"):
        proposed_case(enterprise, team=team)


def test_the_partys_recusal_application_and_its_decision(filed, enterprise, supervisor, team):
    party = EnterpriseUserFactory(enterprise=enterprise)
    application = services.recusal_apply(case=filed, actor=party, officer=team[1],
                                         reason="该执法人员曾在我公司任职。")
    assert application.submission is not None
    third = officer("赵执法")
    with pytest.raises(ApplicationError, match="reasons"):
        services.recusal_decide(application=application, actor=supervisor, grant=True, note="")
    application = services.recusal_decide(application=application, actor=supervisor, grant=True,
                                          note="经核实，存在利害关系。", replacement=third)
    assert application.status == RecusalStatus.GRANTED
    active = set(filed.team.filter(active=True).values_list("officer_id", flat=True))
    assert active == {team[0].pk, third.pk}
    # The recusal now applies wherever officers are chosen for this enterprise.
    assert OfficerConflict.objects.filter(officer=team[1], enterprise=enterprise).exists()
    with pytest.raises(ApplicationError, match="stand down"):
        proposed_case(enterprise, team=[team[0], team[1]])


def test_a_granted_recusal_without_replacement_leaving_one_officer_is_refused(filed, supervisor, team):
    application = services.recusal_apply(case=filed, actor=team[1], officer=team[1], reason="本人回避。")
    with pytest.raises(ApplicationError, match="two law-enforcement officers"):
        services.recusal_decide(application=application, actor=supervisor, grant=True, note="准予回避。")
    application.refresh_from_db()
    assert application.status == RecusalStatus.PENDING
    assert not OfficerConflict.objects.filter(officer=team[1]).exists()


def test_an_officer_cannot_decide_their_own_recusal(enterprise, supervisor, team):
    sup = officer("赵主管", role="supervisor")
    case = services.case_file(case=proposed_case(enterprise, team=[team[0], sup]), actor=supervisor)
    application = services.recusal_apply(case=case, actor=sup, officer=sup, reason="利害关系。")
    with pytest.raises(ApplicationError, match="own recusal"):
        services.recusal_decide(application=application, actor=sup, grant=False, note="x")


def test_the_record_keeps_the_certificate_number_of_its_day(filed, team):
    record = confirmed_record(filed, team=team)
    number = team[0].certificate_number
    team[0].certificate_number = "NEW-0001"
    team[0].save()
    document = filed.documents.get(record=record)
    assert number in str(document.facts["officers"])
