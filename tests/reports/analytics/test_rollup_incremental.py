"""
The incremental roll-up refresh: after any kind of change to the source rows
(made through any write path, a queryset update or a raw bulk insert too),
refreshing only the changed cells gives exactly the rows a full rebuild
gives, and leaves the other cells' rows alone.
"""

import datetime

import pytest
import time_machine
from django.db import connection

from enterprises.models import District
from inspections.models import (
    CalendarDay,
    Finding,
    FindingStatus,
    Inspection,
    ItemCheck,
    SampledItem,
)
from reports.analytics.services import ALL_ROLLUPS, analytics_rollups_refresh
from reports.models import RollupChange, RollupState, ViolationRollup
from tests.factories import CampaignFactory, EnterpriseFactory, InspectionFactory

from .factories import *  # noqa: F403 (the fixtures dataset, frozen_today)
from .factories import build_dataset, code, finding, item_with_checks, local


def snapshot() -> dict:
    """Every roll-up's rows, without their ids, as sorted tuples."""
    out = {}
    for model in ALL_ROLLUPS:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        out[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return out


def incremental_equals_full() -> RollupState:
    state = analytics_rollups_refresh(incremental=True)
    incremental = snapshot()
    analytics_rollups_refresh()
    assert snapshot() == incremental
    return state


@pytest.fixture
def two_campaigns(db, frozen_today):
    """The hand-counted data set in one campaign and again in another."""
    first, made = build_dataset()
    second, other = build_dataset(campaign=CampaignFactory(starts_on=datetime.date(2026, 1, 1)))
    RollupChange.objects.all().delete()
    analytics_rollups_refresh()
    return first, made[0], second, other[0]


def test_without_changes_the_incremental_refresh_recomputes_nothing(two_campaigns):
    state = incremental_equals_full()
    assert state.incremental
    ids = set(ViolationRollup.objects.values_list("pk", flat=True))
    analytics_rollups_refresh(incremental=True)
    assert set(ViolationRollup.objects.values_list("pk", flat=True)) == ids


def test_every_kind_of_change_gives_the_rows_of_a_full_rebuild(two_campaigns):
    first, made, second, other = two_campaigns
    f1, f2, f3, f4 = made["findings"]
    # A new item with checks, a check answered differently, an item deleted.
    item_with_checks(inspection=f1.inspection, captured_at=local(2026, 3, 2), modality="audio",
                     checks={"IMP-01": "fail"})
    check = ItemCheck.objects.filter(item__inspection__campaign=first, result="pass").first()
    check.result = "fail"
    check.save()
    SampledItem.objects.filter(inspection__campaign=first, modality="video").first().delete()
    # Findings: a state change by queryset update (no signal), a new one, one
    # withdrawn, evidence added and removed, a repeat flag, a deletion.
    Finding.objects.filter(pk=f4.pk).update(status=FindingStatus.ACCEPTED, closed_at=local(2026, 3, 3))
    finding(inspection=f3.inspection, code_id="EXP-01", created_at=local(2026, 3, 1), severity="high",
            status=FindingStatus.NOTIFIED, deadline=datetime.date(2026, 3, 5))
    f3.status = FindingStatus.WITHDRAWN
    f3.save()
    f1.evidence_items.add(*SampledItem.objects.filter(inspection=f1.inspection)[:1])
    f2.evidence_items.clear()
    Finding.objects.filter(pk=f1.pk).update(is_repeat=True)
    # A new inspection of a new enterprise in a district nobody was in.
    InspectionFactory(campaign=first, enterprise=EnterpriseFactory(district=District.DONGCHENG))
    state = incremental_equals_full()
    assert state.incremental
    assert not RollupChange.objects.exists()


def test_changes_of_the_other_campaign_leave_this_one_alone(two_campaigns):
    first, made, second, other = two_campaigns
    kept = set(ViolationRollup.objects.filter(campaign=first).values_list("pk", flat=True))
    item_with_checks(inspection=other["findings"][0].inspection, captured_at=local(2026, 2, 20),
                     checks={"EXP-01": "fail"})
    analytics_rollups_refresh(incremental=True)
    assert set(ViolationRollup.objects.filter(campaign=first).values_list("pk", flat=True)) == kept
    incremental_equals_full()


def test_an_enterprise_moving_district_moves_its_figures(two_campaigns):
    first, made, second, other = two_campaigns
    made["e1"].district = District.XICHENG
    made["e1"].is_app_store = True
    made["e1"].save()
    assert incremental_equals_full().incremental
    assert ViolationRollup.objects.filter(district=District.XICHENG).exists()


def test_a_bulk_insert_bypassing_the_orm_is_seen(two_campaigns):
    first, made, second, other = two_campaigns
    item = SampledItem.objects.filter(inspection__campaign=second).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inspections_itemcheck (item_id, issue_code_id, result, source, note, checked_at) "
            "VALUES (%s, %s, 'fail', 'manual', '', %s)", [item.pk, code("IMP-04").pk, local(2026, 2, 1)])
    assert incremental_equals_full().incremental


def test_deadlines_passing_overnight_make_findings_due(two_campaigns):
    first, made, second, other = two_campaigns
    # F4 (open, deadline 30 April) becomes due on 1 May without any write.
    with time_machine.travel(datetime.datetime(2026, 5, 1, 9), tick=False):
        state = incremental_equals_full()
    assert state.incremental


def test_a_calendar_change_or_a_category_change_rebuilds_whole(two_campaigns):
    CalendarDay.objects.create(date=datetime.date(2026, 2, 2), is_workday=False, name="测试")
    from inspections import workdays

    workdays.clear_calendar_cache()
    assert not incremental_equals_full().incremental
    code("IMP-01").__class__.objects.filter(code="IMP-01").update(category="EXP")
    assert not incremental_equals_full().incremental


def test_deleting_a_whole_inspection_removes_its_figures(two_campaigns):
    first, made, second, other = two_campaigns
    inspection = Inspection.objects.get(pk=other["findings"][2].inspection_id)
    Finding.objects.filter(inspection=inspection).delete()
    inspection.delete()
    assert incremental_equals_full().incremental
