"""
A double click (or a retried request) on a key action changes nothing the
second time: one set of inspections, one notice number, one submission.
"""

import pytest
from django.urls import reverse

from core.models import AuditEvent, Notification
from inspections.models import Inspection
from reports.models import NoticeStatus
from reports.notices import services as notice_services
from tests.factories import UserFactory
from tests.inspections.factories import draw, make_frame, make_plan
from tests.reports.factories import make_notice


@pytest.mark.django_db
def test_approving_a_plan_twice_creates_its_inspections_once(supervisor, inspector, second_inspector,
                                                              client_for):
    other = UserFactory(username="supervisor2", role="supervisor")
    make_frame(high=2, medium=4, low=2)
    plan = draw(make_plan(actor=supervisor, officers=[inspector, second_inspector, supervisor]),
                supervisor)
    client = client_for(other)
    url = reverse("inspections:plan_approve", args=[plan.pk])
    client.post(url, {"confirm": "1"})
    client.post(url, {"confirm": "1"})
    assert Inspection.objects.filter(plan_entry__plan=plan).count() == plan.entries.count() > 0
    assert AuditEvent.objects.filter(action="plan.approve", object_id=str(plan.pk)).count() == 1


@pytest.mark.django_db
def test_issuing_a_notice_twice_takes_one_number(inspector, supervisor, client_for):
    notice = make_notice(author=inspector, approver=supervisor)
    client = client_for(supervisor)
    url = reverse("reports:notice_issue", args=[notice.pk])
    client.post(url)
    client.post(url)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.serial == 1
    assert AuditEvent.objects.filter(action="notice.issue", object_id=str(notice.pk)).count() == 1


@pytest.mark.django_db
def test_submitting_a_notice_twice_notifies_once(inspector, supervisor, client_for):
    notice = make_notice(author=inspector)
    client = client_for(inspector)
    url = reverse("reports:notice_submit", args=[notice.pk])
    client.post(url)
    client.post(url)
    assert Notification.objects.filter(kind="notice_submitted").count() == 1
    assert AuditEvent.objects.filter(action="notice.submit", object_id=str(notice.pk)).count() == 1
    assert notice_services.Notice.objects.get(pk=notice.pk).status == NoticeStatus.SUBMITTED
