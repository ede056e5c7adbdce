"""Staff triage of tip-offs: decisions with reasons, assignment, duplicates, contact, statistics."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from tipoffs import services
from tipoffs.models import TipOff
from tipoffs.services import ApplicationError


def make_tipoff(**fields) -> TipOff:
    data = {"category": "EXP", "service_name": "某AI写作助手", "description": "生成文章无标识",
            "reporter_name": "李女士", "reporter_contact": "li@example.com"}
    data.update(fields)
    return services.tipoff_submit(fields=data)


@pytest.fixture
def tipoff(db):
    return make_tipoff()


def test_decisions_follow_the_lifecycle_and_need_reasons(tipoff, inspector, client_for):
    with pytest.raises(ApplicationError):
        services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=inspector, reason="属实")
    services.tipoff_transition(tipoff=tipoff, to_status="under_review", actor=inspector)
    with pytest.raises(ApplicationError, match="理由"):
        services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=inspector)
    services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=inspector, reason="经远程取证属实")
    tipoff.refresh_from_db()
    assert tipoff.status == "valid" and tipoff.substantiated is True and tipoff.reason == "经远程取证属实"
    # Twice the same decision changes nothing twice.
    services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=inspector, reason="经远程取证属实")
    assert AuditEvent.objects.filter(action="tipoff.valid", object_id=str(tipoff.pk)).count() == 1


def test_the_reporters_contact_is_seen_only_by_supervisors_and_the_assignee(
    tipoff, inspector, second_inspector, supervisor, analyst, client_for
):
    url = tipoff.get_absolute_url()
    assert "li@example.com" in client_for(supervisor).get(url).content.decode()
    assert client_for(inspector).get(url).status_code == 404  # not assigned: not even seen
    services.tipoff_assign(tipoff=tipoff, assignee=inspector, actor=supervisor)
    assert "li@example.com" in client_for(inspector).get(url).content.decode()
    page = client_for(analyst).get(url).content.decode()
    assert "li@example.com" not in page and "李女士" not in page
    assert client_for(second_inspector).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.tipoff_assign(tipoff=tipoff, assignee=second_inspector, actor=inspector)


def test_enterprise_users_and_the_public_never_see_staff_pages(tipoff, enterprise_user, client_for):
    anonymous = Client()
    for name, args in (("tipoffs:list", []), ("tipoffs:stats", []), ("tipoffs:detail", [tipoff.pk])):
        assert client_for(enterprise_user).get(reverse(name, args=args)).status_code == 404
        assert anonymous.get(reverse(name, args=args)).status_code == 302  # to the login page


def test_duplicates_are_merged_and_follow_the_report_that_is_handled(inspector, supervisor, client_for):
    first, second, third = make_tipoff(), make_tipoff(), make_tipoff()
    client = client_for(supervisor)
    response = client.post(reverse("tipoffs:merge", args=[second.pk]),
                           {"into": first.tracking_code.lower(), "reason": "同一App同一问题"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    # Merging into a merged one is refused with the way out; into itself too.
    with pytest.raises(ApplicationError, match=first.tracking_code):
        services.tipoff_merge(tipoff=third, into=second, actor=supervisor, reason="重复")
    with pytest.raises(ApplicationError):
        services.tipoff_merge(tipoff=first, into=first, actor=supervisor, reason="重复")
    # The reporter of the duplicate sees the course of the report that is handled.
    services.tipoff_transition(tipoff=first, to_status="under_review", actor=supervisor)
    services.tipoff_transition(tipoff=first, to_status="invalid", actor=supervisor, reason="未发现问题")
    status = client_for(supervisor).get(reverse("tipoffs:track"), {"code": second.tracking_code})
    assert "已办结" in status.content.decode()
    assert [t.tracking_code for t in first.duplicates.all()] == [second.tracking_code]


def test_linking_to_an_enterprise_and_statistics(enterprise, inspector, supervisor, client_for):
    a, b, c = make_tipoff(), make_tipoff(category="CNT-03"), make_tipoff(category="CNT-03")
    client = client_for(supervisor)
    assert client.post(reverse("tipoffs:link", args=[a.pk]), {"enterprise": enterprise.uscc}).status_code == 302
    assert client.post(reverse("tipoffs:link", args=[b.pk]), {"enterprise": "不存在的公司"}).status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.enterprise == enterprise and b.enterprise is None
    for t in (a, b):
        services.tipoff_transition(tipoff=t, to_status="under_review", actor=supervisor)
    services.tipoff_transition(tipoff=a, to_status="valid", actor=supervisor, reason="属实")
    services.tipoff_transition(tipoff=b, to_status="invalid", actor=supervisor, reason="不实")
    page = client.get(reverse("tipoffs:stats")).content.decode()
    category = page.split('data-testid="by-category"')[1].split("</table>")[0]
    assert "利用AI制作传播谣言" in category and "CNT-03" not in category
    enterprise_rows = page.split('data-testid="by-enterprise"')[1].split("</table>")[0]
    assert enterprise.name in enterprise_rows
    outcomes = page.split('data-testid="by-status"')[1].split("</table>")[0]
    assert "查证属实" in outcomes and "查证不实" in outcomes and "已收到" in outcomes
    assert c.status == "received"


def test_the_list_filters_and_an_inspector_sees_only_their_own(inspector, supervisor, client_for):
    mine, other = make_tipoff(service_name="甲App"), make_tipoff(service_name="乙App")
    services.tipoff_assign(tipoff=mine, assignee=inspector, actor=supervisor)
    page = client_for(inspector).get(reverse("tipoffs:list")).content.decode()
    assert mine.tracking_code in page and other.tracking_code not in page
    page = client_for(supervisor).get(reverse("tipoffs:list"), {"q": "乙App"}).content.decode()
    assert other.tracking_code in page and mine.tracking_code not in page
    assert client_for(supervisor).get(reverse("tipoffs:list"), {"status": "bogus", "q": "x" * 500}).status_code == 200


def test_staff_are_reminded_of_each_reply_time_once(supervisor, inspector):
    """Reply times are data: the reminder goes out remind_days before, once per due date."""
    import datetime

    from core.models import AuditEvent, Notification
    from tipoffs.models import ReplyRule

    ReplyRule.objects.filter(step="acknowledge").update(remind_days=2)
    tipoff = services.tipoff_submit(fields={"category": "EXP", "service_name": "某App", "description": "无标识"})
    services.tipoff_assign(tipoff=tipoff, assignee=inspector, actor=supervisor)
    tipoff.refresh_from_db()
    ack = tipoff.acknowledge_due
    assert services.tipoffs_remind_replies(today=ack - datetime.timedelta(days=3)) == 0
    assert services.tipoffs_remind_replies(today=ack - datetime.timedelta(days=2)) == 1
    # The task runs again (a retry, the next day): nothing twice.
    assert services.tipoffs_remind_replies(today=ack - datetime.timedelta(days=1)) == 0
    notes = Notification.objects.filter(kind="tipoff_reply_due")
    assert list(notes.values_list("recipient", flat=True)) == [inspector.pk]
    assert tipoff.tracking_code in notes.get().subject
    assert AuditEvent.objects.filter(action="tipoff.reply_reminder", object_id=str(tipoff.pk)).count() == 1
    # Taken up: no acknowledgement reminder; the conclusion one comes before its own time.
    services.tipoff_transition(tipoff=tipoff, to_status="under_review", actor=inspector)
    tipoff.refresh_from_db()
    conclude_rule = ReplyRule.objects.get(step="conclude")
    before_conclusion = tipoff.conclude_due - datetime.timedelta(days=conclude_rule.remind_days)
    assert services.tipoffs_remind_replies(today=before_conclusion) == 1
    assert services.tipoffs_remind_replies(today=tipoff.conclude_due) == 0
    # Concluded tip-offs are not reminded.
    concluded = services.tipoff_submit(fields={"category": "EXP", "service_name": "x", "description": "y"})
    services.tipoff_transition(tipoff=concluded, to_status="invalid", actor=supervisor, reason="无法核实")
    concluded.refresh_from_db()
    assert services.tipoffs_remind_replies(today=concluded.conclude_due) == 0
    # Nobody assigned: the supervisors are told.
    unassigned = services.tipoff_submit(fields={"category": "EXP", "service_name": "z", "description": "w"})
    unassigned.refresh_from_db()
    assert services.tipoffs_remind_replies(today=unassigned.acknowledge_due) == 1
    assert Notification.objects.filter(kind="tipoff_reply_due", recipient=supervisor).count() == 1
