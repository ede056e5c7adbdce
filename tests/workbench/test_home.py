"""Each role lands on its own work: supervisors' approvals, inspectors' week, analysts' figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import FindingStatus, Inspection
from rectification.models import ExtensionRequest
from tests.factories import (
    CampaignFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    SampledItemFactory,
    UserFactory,
)
from tests.otp import force_login_verified


def _my_week(inspector, *, n: int, today: datetime.date):
    """n inspections of `inspector` today, each with an unchecked sample and a finding due today."""
    campaign = CampaignFactory(team=[inspector])
    for _ in range(n):
        inspection = InspectionFactory(campaign=campaign, enterprise=EnterpriseFactory(),
                                       officers=[inspector], planned_date=today,
                                       status=Inspection.Status.IN_PROGRESS)
        SampledItemFactory(inspection=inspection, captured_by=inspector)
        FindingFactory(inspection=inspection, status=FindingStatus.NOTIFIED, deadline=today)
    return campaign


@pytest.mark.django_db
@pytest.mark.parametrize("role, landing", [
    ("inspector", "workbench:home"), ("supervisor", "workbench:home"),
    ("analyst", "reports:analytics_index"),
])
def test_each_role_lands_on_its_home(client, staff_users, role, landing):
    force_login_verified(client, staff_users[role])
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse(landing)


@pytest.mark.django_db
def test_an_enterprise_user_keeps_the_portal_home(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("core:home")).url == reverse("portal:home")
    assert client.get(reverse("workbench:home")).status_code == 404


@pytest.mark.django_db
def test_the_inspector_sees_own_week_not_a_colleagues(client_for, inspector, second_inspector):
    today = timezone.localdate()
    _my_week(inspector, n=2, today=today)
    colleague = InspectionFactory(enterprise=EnterpriseFactory(name="同事的企业有限公司"),
                                  officers=[second_inspector], planned_date=today)
    later = InspectionFactory(enterprise=EnterpriseFactory(name="下个月的企业有限公司"),
                              officers=[inspector], planned_date=today + datetime.timedelta(days=30),
                              status=Inspection.Status.PLANNED)
    response = client_for(inspector).get(reverse("workbench:home"))
    work = response.context
    assert work["inspections"].total == 2
    assert work["samples"].total == 2
    assert work["deadlines"].total == 2
    page = response.content.decode()
    assert colleague.enterprise.name not in page and later.enterprise.name not in page


@pytest.mark.django_db
def test_the_supervisor_sees_what_waits_for_approval(client_for, supervisor, inspector):
    finding = FindingFactory(status=FindingStatus.NOTIFIED)
    ExtensionRequest.objects.create(finding=finding, enterprise=finding.enterprise, reason="需要时间",
                                    requested_deadline=finding.deadline + datetime.timedelta(days=10),
                                    previous_deadline=finding.deadline)
    FindingFactory(status=FindingStatus.OVERDUE, deadline=timezone.localdate() - datetime.timedelta(days=3))
    response = client_for(supervisor).get(reverse("workbench:home"))
    assert response.context["extensions"].total == 1
    assert response.context["overdue"].total == 1
    assert reverse("rectification:extension_detail",
                   args=[ExtensionRequest.objects.get().pk]) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["inspector", "supervisor"])
def test_the_home_page_costs_the_same_queries_for_more_work(client, role,
                                                            django_assert_max_num_queries):
    user = UserFactory(role=role)
    force_login_verified(client, user)
    today = timezone.localdate()
    officer = user if role == "inspector" else UserFactory(role="inspector")
    # More rows than any list shows, then twice as many: the same queries.
    _my_week(officer, n=16, today=today)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("workbench:home"))
    _my_week(officer, n=16, today=today)
    for _ in range(10):
        FindingFactory(status=FindingStatus.OVERDUE, deadline=today - datetime.timedelta(days=3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("workbench:home"))
    assert response.status_code == 200
