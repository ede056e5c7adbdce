"""Evidence preservation: server time, environment, second officer, protection of the item."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from cases import evidence as ev
from cases import services
from cases.models import DocumentKind
from cases.pdf import render_html
from core.exceptions import ApplicationError
from tests.cases.factories import investigating_case, officer
from tests.factories import InspectionFactory, SampledItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return [officer("王执法", cert="京网执0001"), officer("李执法", cert="京网执0002")]


@pytest.fixture
def case(enterprise, supervisor, team):
    return investigating_case(enterprise, team=team, supervisor=supervisor)


def _item(enterprise):
    return SampledItemFactory(inspection=InspectionFactory(enterprise=enterprise), file_sha256="ab" * 32)


def test_an_item_is_preserved_with_server_time_environment_and_two_officers(case, enterprise, supervisor, team):
    item = _item(enterprise)
    entry = ev.evidence_preserve(case=case, actor=team[0], item=item, second_officer=team[1],
                                 device="华为 MatePad 11", network="单位专网", browser="Chrome 131",
                                 ip_address="10.0.0.8")
    assert entry.preserved_at is not None and entry.file_sha256 == "ab" * 32
    with pytest.raises(ApplicationError, match="second officer"):
        ev.evidence_confirm(evidence=entry, actor=team[0])
    with pytest.raises(ApplicationError, match="No confirmed evidence"):
        ev.preservation_notice_issue(case=case, actor=supervisor)
    entry = ev.evidence_confirm(evidence=entry, actor=team[1])
    assert entry.confirmed_at is not None
    notice = ev.preservation_notice_issue(case=case, actor=supervisor)
    html = render_html(notice.facts)
    for element in ("证据先行登记保存通知书", "负责人批准", "第五十六条", "不得销毁或者转移证据",
                    item.content_ref, "ab" * 32, "京网执0001", "京网执0002"):
        assert element in html, element
    assert notice.kind == DocumentKind.PRESERVATION_NOTICE


def test_one_officer_alone_cannot_preserve(case, enterprise, team):
    with pytest.raises(ApplicationError, match="two law-enforcement officers"):
        ev.evidence_preserve(case=case, actor=team[0], item=_item(enterprise), second_officer=team[0],
                             device="平板", network="4G")


def test_an_item_of_another_enterprise_is_refused(case, other_enterprise, team):
    with pytest.raises(ApplicationError, match="another enterprise"):
        ev.evidence_preserve(case=case, actor=team[0], item=_item(other_enterprise),
                             second_officer=team[1], device="平板", network="4G")


def test_preserved_evidence_survives_the_deletion_of_its_inspection(case, enterprise, team):
    item = _item(enterprise)
    ev.evidence_preserve(case=case, actor=team[0], item=item, second_officer=team[1],
                         device="平板", network="4G")
    with pytest.raises(ProtectedError):
        item.inspection.delete()
    item.refresh_from_db()
    assert item.pk


def _noticed(case, enterprise, supervisor, team):
    entry = ev.evidence_preserve(case=case, actor=team[0], item=_item(enterprise), second_officer=team[1],
                                 device="华为 MatePad 11", network="单位专网")
    ev.evidence_confirm(evidence=entry, actor=team[1])
    return ev.preservation_notice_issue(case=case, actor=supervisor)


def test_the_decision_on_preserved_evidence_is_due_seven_working_days_after_the_notice(
        case, enterprise, supervisor, team):
    from cases.deadlines import deadline
    from inspections.workdays import add_working_days

    notice = _noticed(case, enterprise, supervisor, team)
    limit = deadline(case, "preservation")
    issued = timezone.localdate(notice.issued_at)
    assert limit.state == "running" and limit.start == issued
    assert limit.due == add_working_days(issued, 7).date
    assert "第五十六条" in limit.citation and limit.verified
    # The notice tells the party the same period.
    assert "7个工作日内作出处理决定" in render_html(notice.facts)


def test_the_preservation_limit_warns_and_the_decision_meets_it(case, enterprise, supervisor, team):
    from cases.deadlines import deadline
    from core.models import Notification

    _noticed(case, enterprise, supervisor, team)
    due = deadline(case, "preservation").due
    warned = services.case_warn_deadlines(today=due - datetime.timedelta(days=2))
    assert warned >= 3
    assert Notification.objects.filter(kind="case_deadline", recipient=supervisor).exists()
    with pytest.raises(ApplicationError, match="Only a supervisor"):
        ev.preservation_decide(case=case, actor=team[0], decision="作为本案证据留存。")
    with pytest.raises(ApplicationError, match="State the decision"):
        ev.preservation_decide(case=case, actor=supervisor, decision="  ")
    assert ev.preservation_decide(case=case, actor=supervisor, decision="作为本案证据留存。") == 1
    limit = deadline(case, "preservation")
    assert limit.state == "met" and not limit.late
    # Met: no longer among the limits that warn.
    assert not limit.warn_now(due + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError, match="No preserved evidence awaits"):
        ev.preservation_decide(case=case, actor=supervisor, decision="再次决定。")
