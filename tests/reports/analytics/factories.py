"""
Builders and fixtures for the analytics tests: sampled items with their
checks, findings with outcomes, and a small hand-counted data set.
Test modules import the fixtures they use from here.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from enterprises.models import District
from inspections.models import FindingStatus, IssueCode, ItemCheck
from reports.analytics.selectors import AnalyticsFilters
from reports.analytics.services import analytics_rollups_refresh
from tests.factories import (
    CampaignFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    SampledItemFactory,
)


def local(y: int, m: int, d: int, h: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(y, m, d, h))


def code(code_id: str) -> IssueCode:
    """A taxonomy code shipped by the data migration (or made, in its category)."""
    obj, _created = IssueCode.objects.get_or_create(
        code=code_id,
        defaults={"category": code_id[:3], "title_zh": code_id, "title_en": code_id,
                  "legal_basis": "测试"},
    )
    return obj


def item_with_checks(*, inspection, captured_at, modality="image", checks: dict, user=None):
    """A sampled item and its checks, e.g. checks={"IMP-01": "fail", "EXP-01": "pass"}."""
    extra = {"captured_by": user} if user else {}
    item = SampledItemFactory(inspection=inspection, captured_at=captured_at, modality=modality, **extra)
    ItemCheck.objects.bulk_create([
        ItemCheck(item=item, issue_code=code(c), result=r) for c, r in checks.items()
    ])
    return item


def finding(*, inspection, code_id="IMP-01", created_at=None, **kwargs):
    """A finding with an explicit creation time (auto_now_add is overridden after save)."""
    obj = FindingFactory(inspection=inspection, issue_code=code(code_id), **kwargs)
    if created_at is not None:
        type(obj).objects.filter(pk=obj.pk).update(created_at=created_at)
        obj.refresh_from_db()
    return obj

TODAY = datetime.datetime(2026, 3, 15, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def build_dataset(*, copies: int = 1, campaign=None, user=None):
    """
    `copies` times: two enterprises (E1 generation provider in Haidian, E2
    dissemination platform in Chaoyang), six items and four findings:

    items  Jan: E1 image IMP fail/EXP pass · E1 image all pass ·
                E1 text EXP fail + IMP fail · E2 video EXP n/a (unchecked)
           Feb: E2 video EXP fail · E2 image IMP pass
    findings F1 E1 IMP-01 medium, notified 01-21, closed 02-05, deadline 02-10 (on time)
             F2 E1 EXP-01 high, 24-hour order, closed 01-26 after deadline_at 01-23 (late)
             F3 E2 IMP-01 medium repeat, deadline 02-26, still notified (late by 03-15)
             F4 E2 IMP-01 low, deadline 04-30, open (not yet due)
    """
    campaign = campaign or CampaignFactory(starts_on=datetime.date(2026, 1, 1))
    made = []
    for _ in range(copies):
        e1 = EnterpriseFactory(district=District.HAIDIAN, is_generation_provider=True)
        e2 = EnterpriseFactory(district=District.CHAOYANG, is_generation_provider=False,
                               is_dissemination_platform=True)
        i1 = InspectionFactory(campaign=campaign, enterprise=e1)
        i2 = InspectionFactory(campaign=campaign, enterprise=e2)
        kw = {"user": user} if user else {}
        item_with_checks(inspection=i1, captured_at=local(2026, 1, 10), modality="image",
                         checks={"IMP-01": "fail", "EXP-01": "pass"}, **kw)
        item_with_checks(inspection=i1, captured_at=local(2026, 1, 11), modality="image",
                         checks={"IMP-01": "pass", "EXP-01": "pass"}, **kw)
        item_with_checks(inspection=i1, captured_at=local(2026, 1, 12), modality="text",
                         checks={"EXP-01": "fail", "IMP-01": "fail"}, **kw)
        item_with_checks(inspection=i2, captured_at=local(2026, 1, 15), modality="video",
                         checks={"EXP-01": "na"}, **kw)
        item_with_checks(inspection=i2, captured_at=local(2026, 2, 3), modality="video",
                         checks={"EXP-01": "fail"}, **kw)
        item_with_checks(inspection=i2, captured_at=local(2026, 2, 4), modality="image",
                         checks={"IMP-01": "pass"}, **kw)
        f1 = finding(inspection=i1, code_id="IMP-01", created_at=local(2026, 1, 20),
                     severity="medium", status=FindingStatus.ACCEPTED,
                     notified_at=local(2026, 1, 21), closed_at=local(2026, 2, 5),
                     deadline=datetime.date(2026, 2, 10))
        f2 = finding(inspection=i1, code_id="EXP-01", created_at=local(2026, 1, 22),
                     severity="high", status=FindingStatus.ACCEPTED, period=24, period_unit="hours",
                     deadline=datetime.date(2026, 1, 23), deadline_at=local(2026, 1, 23, 10),
                     closed_at=local(2026, 1, 26))
        f3 = finding(inspection=i2, code_id="IMP-01", created_at=local(2026, 2, 5),
                     severity="medium", status=FindingStatus.NOTIFIED, is_repeat=True,
                     notified_at=local(2026, 2, 5), deadline=datetime.date(2026, 2, 26))
        f4 = finding(inspection=i2, code_id="IMP-01", created_at=local(2026, 2, 6),
                     severity="low", status=FindingStatus.OPEN, deadline=datetime.date(2026, 4, 30))
        made.append({"e1": e1, "e2": e2, "findings": [f1, f2, f3, f4]})
    analytics_rollups_refresh()
    return campaign, made


@pytest.fixture
def dataset(db, frozen_today):
    return build_dataset()


@pytest.fixture
def q1():
    """January to March 2026."""
    return AnalyticsFilters(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 1))


# Test modules star-import these so pytest finds the fixtures.
__all__ = ["dataset", "frozen_today", "q1"]
