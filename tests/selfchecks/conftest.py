import datetime

import pytest
from django.utils import timezone

from inspections.models import Campaign
from selfchecks import services
from selfchecks.models import Scope
from tests.factories import CampaignFactory, InspectionFactory, IssueCodeFactory, ServiceFactory


@pytest.fixture
def campaign(db, inspector):
    return CampaignFactory(team=[inspector], status=Campaign.Status.ACTIVE)


@pytest.fixture
def generator(enterprise):
    """A generation provider offering images only, inspected in the campaign."""
    enterprise.is_generation_provider = True
    enterprise.is_dissemination_platform = False
    enterprise.save()
    ServiceFactory(enterprise=enterprise, name="绘图助手", has_image=True, has_text=False,
                   has_video=False, has_audio=False)
    return enterprise


@pytest.fixture
def launch(campaign, generator, supervisor, inspector, enterprise_user):
    InspectionFactory(campaign=campaign, enterprise=generator, officers=[inspector])
    return services.selfinspection_launch(
        campaign=campaign, actor=supervisor, title="标识合规自查", scope=Scope.CAMPAIGN,
        due_date=timezone.localdate() + datetime.timedelta(days=10))


@pytest.fixture
def report(launch, generator):
    return launch.reports.get(enterprise=generator)


def answer_all(report, actor, answer="compliant", overrides: dict | None = None):
    """Answer every item of the checklist, with the front matter complete."""
    answers = {item.pk: {"answer": answer, "note": "已抽查100条"} for item in report.items.all()}
    answers.update(overrides or {})
    return services.report_save(report=report, actor=actor, answers=answers, front={
        "responsible_person": "张合规", "contact_phone": "010-1234", "summary": "已自查",
        "declaration": True})


__all__ = ["answer_all", "IssueCodeFactory"]


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the message ids)."""
    from django.utils import translation

    with translation.override("en"):
        yield
