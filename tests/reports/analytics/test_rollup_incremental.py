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

from enterprises.models import District, Enterprise
from inspections.models import (
    CalendarDay,
    Finding,
    FindingStatus,
    Inspection,
    ItemCheck,
    SampledItem,
)
from reports.analytics.services import ALL_ROLLUPS, analytics_rollups_refresh
from reports.models import (
    FindingDueRollup,
    FindingRollup,
    RepeatRollup,
    RollupChange,
    RollupState,
    ViolationRollup,
)
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


# --- one kind of change at a time --------------------------------------------
# Each changes the hand-counted data set (two campaigns, `first` and
# `second`; E1 a generation provider in Haidian, E2 a dissemination platform
# in Chaoyang; factories.build_dataset) in one way only.

def _first_item(made, modality):
    return SampledItem.objects.filter(inspection__enterprise=made["e2" if modality == "video" else "e1"],
                                      modality=modality).order_by("captured_at").first()


def _new_check(first, made, second, other):
    item = SampledItem.objects.filter(inspection__enterprise=made["e2"]).order_by("captured_at").first()
    ItemCheck.objects.create(item=item, issue_code=code("IMP-01"), result="fail")


def _changed_check(first, made, second, other):
    ItemCheck.objects.filter(item__inspection__enterprise=made["e1"], result="pass").update(result="fail")


def _check_deleted(first, made, second, other):
    ItemCheck.objects.filter(item__inspection__enterprise=made["e1"], result="fail").first().delete()


def _new_item(first, made, second, other):
    item_with_checks(inspection=made["findings"][0].inspection, captured_at=local(2026, 3, 2),
                     modality="audio", checks={"IMP-01": "fail"})


def _item_captured_another_month(first, made, second, other):
    SampledItem.objects.filter(pk=_first_item(made, "text").pk).update(captured_at=local(2026, 2, 27))


def _evidence_changes_modality(first, made, second, other):
    # F3 (recorded in February) rests on E1's January text item, which is
    # then found to be audio: F3's February rows change, not January's.
    item = _first_item(made, "text")
    made["findings"][2].evidence_items.add(item)
    analytics_rollups_refresh(incremental=True)
    SampledItem.objects.filter(pk=item.pk).update(modality="audio")


def _evidence_added_and_removed(first, made, second, other):
    f1, f2, *_ = made["findings"]
    f1.evidence_items.add(*SampledItem.objects.filter(inspection=f1.inspection)[:2])
    analytics_rollups_refresh(incremental=True)
    f1.evidence_items.remove(SampledItem.objects.filter(inspection=f1.inspection).first())
    f2.evidence_items.add(_first_item(made, "video"))


def _item_deleted(first, made, second, other):
    # E2's February video item, failing EXP-01.
    SampledItem.objects.filter(inspection__enterprise=made["e2"], modality="video").latest("captured_at").delete()


def _new_finding(first, made, second, other):
    finding(inspection=made["findings"][2].inspection, code_id="EXP-01", created_at=local(2026, 3, 1),
            severity="high", status=FindingStatus.NOTIFIED, deadline=datetime.date(2026, 3, 5),
            is_repeat=True)


def _finding_accepted(first, made, second, other):
    # F3: notified 5 February, deadline 26 February, accepted 10 March.
    Finding.objects.filter(pk=made["findings"][2].pk).update(
        status=FindingStatus.ACCEPTED, closed_at=local(2026, 3, 10))


def _finding_notified_later(first, made, second, other):
    # F1 (closed in February): its time to rectify counts from a later notice.
    Finding.objects.filter(pk=made["findings"][0].pk).update(notified_at=local(2026, 1, 28))


def _finding_reopened(first, made, second, other):
    Finding.objects.filter(pk=made["findings"][1].pk).update(
        status=FindingStatus.CHANGES_REQUESTED, closed_at=None)


def _finding_withdrawn(first, made, second, other):
    f3 = made["findings"][2]
    f3.status = FindingStatus.WITHDRAWN
    f3.save()


def _deadline_moved(first, made, second, other):
    # F4 (open): deadline 30 April brought forward to 20 February, so due now.
    Finding.objects.filter(pk=made["findings"][3].pk).update(deadline=datetime.date(2026, 2, 20))


def _deadline_extended(first, made, second, other):
    # F3 (notified, late since 26 February): extended to 31 March, not due yet.
    Finding.objects.filter(pk=made["findings"][2].pk).update(deadline=datetime.date(2026, 3, 31))


def _repeat_flag(first, made, second, other):
    Finding.objects.filter(pk=made["findings"][0].pk).update(is_repeat=True)


def _finding_deleted(first, made, second, other):
    made["findings"][0].delete()


def _enterprise_moves_district(first, made, second, other):
    made["e1"].district = District.XICHENG
    made["e1"].save()


def _enterprise_changes_roles(first, made, second, other):
    Enterprise.objects.filter(pk=made["e2"].pk).update(is_app_store=True, is_dissemination_platform=False)


def _inspection_moved_to_another_campaign(first, made, second, other):
    Inspection.objects.filter(pk=made["findings"][0].inspection_id).update(campaign=second)


def _new_inspection(first, made, second, other):
    InspectionFactory(campaign=first, enterprise=EnterpriseFactory(district=District.DONGCHENG))


def _inspection_deleted(first, made, second, other):
    inspection = Inspection.objects.get(pk=made["findings"][2].inspection_id)
    Finding.objects.filter(inspection=inspection).delete()
    inspection.delete()


@pytest.mark.parametrize("change", [
    _new_check, _changed_check, _check_deleted, _new_item, _item_captured_another_month,
    _evidence_changes_modality, _evidence_added_and_removed, _item_deleted,
    _new_finding, _finding_accepted, _finding_notified_later, _finding_reopened, _finding_withdrawn,
    _deadline_moved, _deadline_extended, _repeat_flag, _finding_deleted,
    _enterprise_moves_district, _enterprise_changes_roles,
    _inspection_moved_to_another_campaign, _new_inspection, _inspection_deleted,
], ids=lambda change: change.__name__.strip("_"))
def test_after_each_kind_of_change_the_incremental_refresh_gives_the_full_rebuilds_rows(
        two_campaigns, change):
    before = snapshot()
    change(*two_campaigns)
    state = incremental_equals_full()
    assert state.incremental
    assert not RollupChange.objects.exists()
    # The change did change some figure (the case tests something).
    assert snapshot() != before


def test_an_enterprise_moving_leaves_the_campaigns_it_was_not_inspected_in_alone(two_campaigns):
    first, made, second, other = two_campaigns
    kept = {model: set(model.objects.filter(campaign=second).values_list("pk", flat=True))
            for model in ALL_ROLLUPS}
    made["e1"].district = District.XICHENG
    made["e1"].save()
    analytics_rollups_refresh(incremental=True)
    for model, ids in kept.items():
        assert set(model.objects.filter(campaign=second).values_list("pk", flat=True)) == ids


@pytest.mark.postgres
def test_on_postgresql_only_the_months_a_change_touches_are_recomputed(two_campaigns):
    if connection.vendor != "postgresql":
        # SQLite recomputes the changed cells whole; CI's PostgreSQL pass runs this.
        pytest.skip("needs the PostgreSQL pass (DATABASE_URL=postgres://...)")
    first, made, second, other = two_campaigns
    e2_cell = {"campaign": first, "district": District.CHAOYANG, "is_dissemination_platform": True}
    january = ViolationRollup.objects.filter(**e2_cell, month=datetime.date(2026, 1, 1))
    february = {model: set(model.objects.filter(**e2_cell, month=datetime.date(2026, 2, 1))
                           .values_list("pk", flat=True))
                for model in (ViolationRollup, FindingRollup, FindingDueRollup, RepeatRollup)}
    assert all(february.values())
    replaced = set(january.values_list("pk", flat=True))
    # A check on E2's January video item: January's rows of its cell only.
    _new_check(*two_campaigns)
    incremental = snapshot()
    analytics_rollups_refresh(incremental=True)
    assert not set(january.values_list("pk", flat=True)) & replaced
    for model, ids in february.items():
        assert set(model.objects.filter(**e2_cell, month=datetime.date(2026, 2, 1))
                   .values_list("pk", flat=True)) == ids
    assert snapshot() != incremental
    incremental_equals_full()


@pytest.mark.postgres
def test_on_postgresql_a_finding_change_leaves_the_items_figures_of_its_months_alone(two_campaigns):
    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL pass (DATABASE_URL=postgres://...)")
    first, made, second, other = two_campaigns
    e2_cell = {"campaign": first, "district": District.CHAOYANG, "is_dissemination_platform": True}
    violations = set(ViolationRollup.objects.filter(**e2_cell).values_list("pk", flat=True))
    findings = set(FindingRollup.objects.filter(**e2_cell, month=datetime.date(2026, 2, 1))
                   .values_list("pk", flat=True))
    # F3 (E2, recorded and due in February) accepted in March.
    _finding_accepted(*two_campaigns)
    analytics_rollups_refresh(incremental=True)
    assert set(ViolationRollup.objects.filter(**e2_cell).values_list("pk", flat=True)) == violations
    assert not set(FindingRollup.objects.filter(**e2_cell, month=datetime.date(2026, 2, 1))
                   .values_list("pk", flat=True)) & findings
    incremental_equals_full()


def test_the_incremental_refresh_runs_every_two_minutes_and_a_late_run_expires(db):
    from django.conf import settings
    from django_celery_beat.schedulers import ModelEntry

    from config.celery import app

    # As django-celery-beat loads the schedule into its tables.
    entry = ModelEntry.from_entry("reports-analytics-rollups", app=app,
                                  **settings.CELERY_BEAT_SCHEDULE["reports-analytics-rollups"])
    assert entry.task == "reports.analytics_rollups_refresh"
    assert entry.kwargs == {"incremental": True}
    last_run = datetime.datetime(2026, 3, 15, 10, 0, 30, tzinfo=datetime.UTC)
    assert entry.schedule.remaining_estimate(last_run) <= datetime.timedelta(minutes=2)
    # Sent with an expiry shorter than the interval: never two waiting at once.
    assert 0 < entry.options["expires"] < 120
