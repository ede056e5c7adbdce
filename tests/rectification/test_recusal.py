"""Recusal (回避) applies to review and re-verification, as it does to the draw and case teams."""

import datetime

import pytest
from django.utils import timezone, translation

from core.exceptions import ApplicationError
from inspections.models import OfficerConflict
from rectification import services
from rectification.models import Decision
from tests.rectification.factories import notified_finding
from tests.rectification.test_services import _submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(enterprise, enterprise_user, inspector, second_inspector):
    finding = notified_finding(enterprise, officers=[inspector, second_inspector])
    return _submitted_report(enterprise_user, [finding])


def test_a_conflicted_reviewer_cannot_decide(report, enterprise, inspector, second_inspector):
    OfficerConflict.objects.create(officer=inspector, enterprise=enterprise, reason="亲属在该企业任职")
    response = report.responses.get()
    with translation.override("en"), pytest.raises(ApplicationError, match="stand down"):
        services.response_decide(response=response, actor=inspector, decision=Decision.ACCEPTED)
    response.refresh_from_db()
    assert response.decision == Decision.PENDING
    services.response_decide(response=response, actor=second_inspector, decision=Decision.ACCEPTED)
    response.refresh_from_db()
    assert response.decision == Decision.ACCEPTED


def test_a_conflicted_officer_is_refused_for_a_reverification(report, enterprise, inspector,
                                                             second_inspector, supervisor):
    OfficerConflict.objects.create(officer=second_inspector, enterprise=enterprise, reason="曾在该企业任职")
    planned = timezone.localdate() + datetime.timedelta(days=7)
    with translation.override("en"), pytest.raises(ApplicationError, match="stand down"):
        services.response_order_reverification(
            response=report.responses.get(), actor=inspector, planned_date=planned,
            officers=[inspector, second_inspector], method="remote")
    follow_up = services.response_order_reverification(
        response=report.responses.get(), actor=inspector, planned_date=planned,
        officers=[inspector, supervisor], method="remote")
    assert set(follow_up.officers.values_list("pk", flat=True)) == {inspector.pk, supervisor.pk}
