"""Finding and inspection lifecycles: legal and illegal transitions, audit, deadlines."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.exceptions import ApplicationError, IllegalTransition
from core.models import AuditEvent
from inspections.models import Finding, FindingStatus, Inspection, IssueCode
from inspections.services import findings as finding_services
from inspections.services import inspections as inspection_services
from tests.factories import CampaignFactory, InspectionFactory


@pytest.fixture
def inspection(inspector, second_inspector, enterprise):
    return InspectionFactory(enterprise=enterprise, officers=[inspector, second_inspector])


@time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC))
def test_a_finding_gets_its_code_defaults_and_a_working_day_deadline(inspection, inspector):
    finding = finding_services.finding_create(inspection=inspection, issue_code=IssueCode.objects.get(pk="IMP-01"),
                                      actor=inspector, description="无隐式标识")
    assert finding.severity == "medium" and finding.period == 15
    assert finding.deadline == dt.date(2026, 11, 23)
    assert "第五条" in finding.legal_basis


@time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC))
def test_cnt_findings_run_24_clock_hours(inspection, inspector):
    finding = finding_services.finding_create(inspection=inspection, issue_code=IssueCode.objects.get(pk="CNT-01"),
                                      actor=inspector, description="伪造公文")
    assert finding.severity == "high" and finding.period_unit == "hours"
    assert finding.deadline_at == dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC)


def test_a_repeat_is_marked_and_raised_one_level(inspector, second_inspector, enterprise):
    old = InspectionFactory(enterprise=enterprise, campaign=CampaignFactory(starts_on=dt.date(2025, 4, 30)))
    new = InspectionFactory(enterprise=enterprise, officers=[inspector, second_inspector])
    code = IssueCode.objects.get(pk="AGR-01")
    first = finding_services.finding_create(inspection=old, issue_code=code, actor=inspector, description="x")
    second = finding_services.finding_create(inspection=new, issue_code=code, actor=inspector, description="y")
    assert second.is_repeat and second.repeat_of == first
    assert (first.severity, second.severity) == ("low", "medium")


def test_legal_transitions_are_audited_and_illegal_ones_refused(inspection, inspector, supervisor):
    finding = finding_services.finding_create(inspection=inspection, issue_code=IssueCode.objects.get(pk="EXP-01"),
                                      actor=inspector, description="x")
    for status in (FindingStatus.NOTIFIED, FindingStatus.REPORT_SUBMITTED,
                   FindingStatus.CHANGES_REQUESTED, FindingStatus.REPORT_SUBMITTED,
                   FindingStatus.ACCEPTED):
        finding = finding_services.finding_transition(finding=finding, to_status=status, actor=supervisor)
    assert finding.status == FindingStatus.ACCEPTED and finding.closed_at is not None
    assert AuditEvent.objects.filter(object_type="inspections.finding", object_id=str(finding.pk)).count() == 6
    with pytest.raises(IllegalTransition):
        finding_services.finding_transition(finding=finding, to_status=FindingStatus.OPEN, actor=supervisor)


def test_an_open_finding_cannot_skip_to_accepted(inspection, inspector):
    finding = finding_services.finding_create(inspection=inspection, issue_code=IssueCode.objects.get(pk="EXP-01"),
                                      actor=inspector, description="x")
    with translation.override("zh-hans"), pytest.raises(IllegalTransition) as refused:
        finding_services.finding_transition(finding=finding, to_status=FindingStatus.ACCEPTED, actor=inspector)
    # The one message of every lifecycle (core.lifecycle), in the user's language.
    with translation.override("zh-hans"):
        expected = f"{Finding._meta.verbose_name}：状态不能从“{FindingStatus.OPEN.label}”变更为“{FindingStatus.ACCEPTED.label}”。"
    assert refused.value.message == expected


def test_withdrawal_needs_a_supervisor_and_a_reason(inspection, inspector, supervisor):
    finding = finding_services.finding_create(inspection=inspection, issue_code=IssueCode.objects.get(pk="EXP-01"),
                                      actor=inspector, description="x")
    with pytest.raises(ApplicationError):
        finding_services.finding_transition(finding=finding, to_status=FindingStatus.WITHDRAWN, actor=inspector, note="x")
    with pytest.raises(ApplicationError):
        finding_services.finding_transition(finding=finding, to_status=FindingStatus.WITHDRAWN, actor=supervisor)
    finding = finding_services.finding_transition(finding=finding, to_status=FindingStatus.WITHDRAWN,
                                          actor=supervisor, note="证据不足")
    assert finding.status == FindingStatus.WITHDRAWN


def test_a_non_default_period_needs_a_supervisor_and_a_reason(inspection, inspector, supervisor):
    code = IssueCode.objects.get(pk="EXP-01")
    with pytest.raises(ApplicationError):
        finding_services.finding_create(inspection=inspection, issue_code=code, actor=inspector,
                                description="x", period=5)
    finding = finding_services.finding_create(inspection=inspection, issue_code=code, actor=supervisor,
                                      description="x", period=5, change_reason="情节严重")
    assert finding.period == 5 and finding.deadline_change_reason == "情节严重"


def test_the_inspection_lifecycle(inspector, supervisor, second_inspector, enterprise, analyst):
    inspection = InspectionFactory(enterprise=enterprise, status=Inspection.Status.PLANNED,
                                   officers=[inspector, second_inspector])
    with pytest.raises(IllegalTransition):
        inspection_services.inspection_transition(inspection=inspection, to_status="completed", actor=inspector)
    with pytest.raises(PermissionDenied):
        inspection_services.inspection_transition(inspection=inspection, to_status="due", actor=analyst)
    for status in ("due", "in_progress", "completed"):
        inspection = inspection_services.inspection_transition(inspection=inspection, to_status=status, actor=inspector)
    with pytest.raises(PermissionDenied):
        inspection_services.inspection_transition(inspection=inspection, to_status="closed", actor=inspector)
    inspection = inspection_services.inspection_transition(inspection=inspection, to_status="closed", actor=supervisor)
    assert inspection.status == "closed" and inspection.closed_at and inspection.started_at
    assert AuditEvent.objects.filter(object_type="inspections.inspection", object_id=str(inspection.pk),
                                     action="inspection.closed").exists()


def test_an_officer_outside_the_team_cannot_change_the_inspection(inspection):
    from tests.factories import UserFactory

    stranger = UserFactory(role="inspector")
    with pytest.raises(PermissionDenied):
        inspection_services.inspection_transition(inspection=inspection, to_status="completed", actor=stranger)
