"""The portal checklist and the staff pages: what each side sees, and who may not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from selfchecks import selectors, services
from selfchecks.models import Answer, ReportStatus
from tests.factories import EnterpriseUserFactory, InspectionFactory
from tests.rectification.factories import png

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _post_data(report, *, answer="compliant", submit=False, **extra):
    data = {"responsible_person": "张合规", "contact_phone": "010-1", "summary": "",
            "declaration": "on"}
    for item in report.items.all():
        data[f"i{item.pk}-answer"] = answer
        data[f"i{item.pk}-note"] = "已抽查"
    data.update(extra)
    if submit:
        data["submit"] = "1"
    return data


def test_the_enterprise_answers_and_submits_its_checklist_in_the_portal(report, enterprise_user, client_for):
    client = client_for(enterprise_user)
    home = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="portal-selfchecks"' in home
    url = reverse("portal:selfcheck_edit", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200 and "EXP-01" in page.content.decode()
    first = report.items.first()
    response = client.post(url, {**_post_data(report), f"i{first.pk}-evidence_files": png("自查截图.png")})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.answer == Answer.COMPLIANT and first.evidence.count() == 1
    response = client.post(url, _post_data(report, submit=True), follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("portal:selfcheck_detail", args=[report.pk])
    # Submitted: the edit page shows the read-only report.
    assert client.get(url).status_code == 302


def test_a_plan_ending_before_it_starts_is_refused_and_the_answers_stay(report, enterprise_user, client_for):
    client = client_for(enterprise_user)
    item = report.items.first()
    today = timezone.localdate()
    response = client.post(reverse("portal:selfcheck_edit", args=[report.pk]), _post_data(
        report, **{f"i{item.pk}-answer": "noncompliant", f"i{item.pk}-plan_measures": "补标",
                   f"i{item.pk}-plan_start": today.isoformat(),
                   f"i{item.pk}-plan_due": (today - datetime.timedelta(days=2)).isoformat()}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "补标" in body  # what was typed is kept
    item.refresh_from_db()
    assert item.answer == ""


def test_another_enterprise_and_staff_get_404_in_the_portal(report, other_enterprise_user, inspector,
                                                            client_for):
    for user in (other_enterprise_user, inspector):
        client = client_for(user)
        assert client.get(reverse("portal:selfcheck_edit", args=[report.pk])).status_code == 404
        assert client.get(reverse("portal:selfcheck_detail", args=[report.pk])).status_code == 404


def test_an_enterprise_user_gets_404_on_staff_pages(report, launch, enterprise_user, client_for):
    client = client_for(enterprise_user)
    for url in (reverse("selfchecks:list"), reverse("selfchecks:detail", args=[launch.pk]),
                reverse("selfchecks:report_detail", args=[report.pk])):
        assert client.get(url).status_code == 404


def test_an_inspector_off_the_campaign_gets_404(launch, report, second_inspector, client_for):
    client = client_for(second_inspector)
    assert client.get(reverse("selfchecks:detail", args=[launch.pk])).status_code == 404
    assert client.get(reverse("selfchecks:report_detail", args=[report.pk])).status_code == 404


def test_the_campaign_view_shows_submission_and_declared_compliance_rates(
        campaign, launch, report, enterprise_user, inspector, client_for, django_assert_max_num_queries):
    # A second enterprise in scope that has not submitted.
    other = EnterpriseUserFactory()
    InspectionFactory(campaign=campaign, enterprise=other.enterprise)
    second = services.selfinspection_launch(
        campaign=campaign, actor=launch.launched_by, title="第二轮", scope="campaign",
        due_date=timezone.localdate() + datetime.timedelta(days=3))
    mine = second.reports.get(enterprise=report.enterprise)
    items = list(mine.items.all())
    today = timezone.localdate()
    noncompliant = {"answer": Answer.NONCOMPLIANT, "plan_measures": "补标", "plan_start": today,
                    "plan_due": today + datetime.timedelta(days=5)}
    answer_all(mine, enterprise_user, overrides={items[0].pk: noncompliant,
                                                 items[1].pk: {"answer": Answer.NOT_APPLICABLE}})
    services.report_submit(report=mine, actor=enterprise_user)
    figures = selectors.selfinspection_figures(self_inspection=second)
    assert figures["total"] == 2 and figures["submitted"] == 1 and figures["submission_rate"] == 0.5
    assert figures["overall"]["noncompliant"] == 1 and figures["overall"]["not_applicable"] == 1
    compliant = len(items) - 2
    assert figures["compliance_rate"] == compliant / (compliant + 1)
    client = client_for(inspector)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("selfchecks:detail", args=[second.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="submission-rate">50%' in body
    assert other.enterprise.name in body
    review = client.get(reverse("selfchecks:report_detail", args=[mine.pk])).content.decode()
    assert "补标" in review
