"""
The findings roll-ups: the dashboards read them instead of the findings
table, so every roll-up selector must give exactly the figures of the live
query it replaces, under every filter, and the refresh must keep them so.
"""

import dataclasses
import datetime

import pandas as pd
import pytest
from django.urls import reverse

from enterprises.models import District, EnterpriseRole
from inspections.models import FindingStatus, SampledItem
from reports.analytics import selectors as sel
from reports.analytics import stats as analytics
from reports.analytics.services import analytics_rollups_refresh
from reports.models import (
    FindingDueRollup,
    FindingRollup,
    InspectionRollup,
    RectificationRollup,
    RepeatRollup,
    RollupState,
)

from .factories import *  # noqa: F403 (the fixtures dataset, frozen_today, q1)
from .factories import finding, local

M1, M2 = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")


@pytest.fixture
def evidenced(dataset):
    """
    The hand-counted data set with evidence attached: F1 rests on an image
    and a text item (two modalities), F2 on the text item, F3 on a video
    item, F4 on none; plus a withdrawn finding, which no figure counts.
    """
    campaign, made = dataset
    f1, f2, f3, _f4 = made[0]["findings"]
    items = {(i.inspection.enterprise_id, i.modality): i for i in
             SampledItem.objects.select_related("inspection").order_by("captured_at")}
    e1, e2 = made[0]["e1"].pk, made[0]["e2"].pk
    f1.evidence_items.add(items[(e1, "image")], items[(e1, "text")])
    f2.evidence_items.add(items[(e1, "text")])
    f3.evidence_items.add(items[(e2, "video")])
    finding(inspection=f1.inspection, code_id="EXP-01", created_at=local(2026, 1, 25),
            severity="high", status=FindingStatus.WITHDRAWN, is_repeat=True,
            deadline=datetime.date(2026, 1, 30))
    analytics_rollups_refresh()
    return campaign, made


def _variants(q1, campaign_id):
    yield q1
    yield dataclasses.replace(q1, start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 1))
    yield dataclasses.replace(q1, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 1))
    yield dataclasses.replace(q1, campaign_id=campaign_id)
    yield dataclasses.replace(q1, campaign_id=campaign_id + 1000)
    for role in (EnterpriseRole.GENERATION_PROVIDER, EnterpriseRole.DISSEMINATION_PLATFORM,
                 EnterpriseRole.APP_STORE):
        yield dataclasses.replace(q1, role=role)
    yield dataclasses.replace(q1, district=District.HAIDIAN)
    yield dataclasses.replace(q1, district=District.CHAOYANG)
    for modality in ("image", "text", "video", "audio"):
        yield dataclasses.replace(q1, modality=modality)
    yield dataclasses.replace(q1, modality="text", role=EnterpriseRole.GENERATION_PROVIDER)


def _same(rolled: pd.DataFrame, live: pd.DataFrame, keys):
    def norm(frame):
        frame = frame.sort_values(keys).reset_index(drop=True)
        return frame.astype({c: "int64" for c in frame.columns if c not in keys})
    assert list(rolled.columns) == list(live.columns)
    pd.testing.assert_frame_equal(norm(rolled), norm(live), check_dtype=False)


def test_every_roll_up_selector_equals_its_live_query_under_every_filter(evidenced, q1, analyst):
    campaign, _made = evidenced
    for f in _variants(q1, campaign.pk):
        _same(sel.rollup_findings_monthly(viewer=analyst, filters=f),
              sel.findings_monthly(viewer=analyst, filters=f), ["month"])
        _same(sel.rollup_findings_by_code_monthly(viewer=analyst, filters=f),
              sel.findings_by_code_monthly(viewer=analyst, filters=f), ["month", "issue_code"])
        _same(sel.rollup_on_time_counts(viewer=analyst, filters=f),
              sel.on_time_counts(viewer=analyst, filters=f), ["month"])
        _same(sel.rollup_on_time_counts(viewer=analyst, filters=f, by="severity"),
              sel.on_time_counts(viewer=analyst, filters=f, by="severity"), ["severity"])
        _same(sel.rollup_campaign_findings(viewer=analyst, filters=f),
              sel.campaign_findings(viewer=analyst, filters=f), ["campaign_id"])
        _same(sel.rollup_campaign_inspections(viewer=analyst, filters=f),
              sel.campaign_inspections(viewer=analyst, filters=f), ["campaign_id"])
        rolled = sel.rollup_repeat_offenders(viewer=analyst, filters=f)
        live = sel.repeat_offenders(viewer=analyst, filters=f)
        assert rolled.drop(columns="last_at").values.tolist() == live.drop(columns="last_at").values.tolist()
        assert list(pd.to_datetime(rolled["last_at"])) == list(pd.to_datetime(live["last_at"]))
        holidays, makeup = sel.calendar_exceptions()
        live_times = analytics.rectification_times(
            sel.rectification_durations(viewer=analyst, filters=f), holidays=holidays, makeup_days=makeup)
        rolled_times = analytics.rectification_times_from_days(
            sel.rollup_rectification_days(viewer=analyst, filters=f))
        assert rolled_times.values.tolist() == live_times.values.tolist()


def test_hand_counts_from_the_roll_ups(evidenced, q1, analyst):
    monthly = sel.rollup_findings_monthly(viewer=analyst, filters=q1).set_index("month")
    # The withdrawn repeat finding of January is not counted.
    assert monthly.loc[M1, ["findings", "repeats"]].tolist() == [2, 0]
    assert monthly.loc[M2, ["findings", "repeats"]].tolist() == [2, 1]
    text = dataclasses.replace(q1, modality="text")
    # F1 (image + text) and F2 (text) are text findings; F1 counts once overall.
    assert sel.rollup_findings_monthly(viewer=analyst, filters=text)["findings"].tolist() == [2]
    image = dataclasses.replace(q1, modality="image")
    assert sel.rollup_findings_monthly(viewer=analyst, filters=image)["findings"].tolist() == [1]
    days = sel.rollup_rectification_days(viewer=analyst, filters=q1)
    # F1: 11 working days (medium); F2: 2 working days (high).
    assert sorted(days.values.tolist()) == [["high", 2, 1], ["medium", 11, 1]]
    on_time = sel.rollup_on_time_counts(viewer=analyst, filters=q1).set_index("month")
    assert on_time.loc[M1, ["due", "on_time"]].tolist() == [1, 0]
    assert on_time.loc[M2, ["due", "on_time"]].tolist() == [2, 1]


def test_refresh_rebuilds_rather_than_appends_and_records_its_time(evidenced):
    counts = [m.objects.count() for m in (FindingRollup, FindingDueRollup, RectificationRollup,
                                          RepeatRollup, InspectionRollup)]
    assert all(counts)
    analytics_rollups_refresh()
    assert [m.objects.count() for m in (FindingRollup, FindingDueRollup, RectificationRollup,
                                        RepeatRollup, InspectionRollup)] == counts
    state = RollupState.objects.get(name=sel.FINDINGS_ROLLUP)
    assert state.rows == sum(counts)
    # Rows: "" slice plus one per modality of the evidence.
    assert set(FindingRollup.objects.values_list("modality", flat=True)) == {"", "image", "text", "video"}


def test_enterprise_users_get_nothing_from_the_roll_ups(evidenced, q1, enterprise_user):
    for frame in (
        sel.rollup_findings_monthly(viewer=enterprise_user, filters=q1),
        sel.rollup_findings_by_code_monthly(viewer=enterprise_user, filters=q1),
        sel.rollup_on_time_counts(viewer=enterprise_user, filters=q1),
        sel.rollup_rectification_days(viewer=enterprise_user, filters=q1),
        sel.rollup_repeat_offenders(viewer=enterprise_user, filters=q1),
        sel.rollup_campaign_inspections(viewer=enterprise_user, filters=q1),
    ):
        assert frame.empty
    assert sel.rollup_campaign_findings(viewer=enterprise_user, filters=q1).empty


def test_a_finding_dashboard_says_when_its_figures_were_computed(evidenced, analyst, client_for):
    response = client_for(analyst).get(reverse("reports:analytics_dashboard", args=["ontime"]))
    assert response.status_code == 200
    state = RollupState.objects.get(name=sel.FINDINGS_ROLLUP)
    assert state.refreshed_at.astimezone().strftime("%Y-%m-%d %H:%M") in response.content.decode()


def test_drill_down_of_a_rolled_up_point_lists_the_same_findings(evidenced, q1, analyst):
    text = dataclasses.replace(q1, modality="text")
    codes = sel.rollup_findings_by_code_monthly(viewer=analyst, filters=text)
    for row in codes.itertuples():
        point = dataclasses.replace(text, start=row.month.date(), end=row.month.date(),
                                    extra={"issue_code": row.issue_code})
        assert sel.drill_findings(analyst, point).count() == row.findings
    days = sel.rollup_rectification_days(viewer=analyst, filters=q1).groupby("severity")["n"].sum()
    for severity, n in days.items():
        point = dataclasses.replace(q1, extra={"severity": severity})
        assert sel.drill_findings(analyst, point, basis="closed").count() == n


def test_a_long_drill_down_shows_a_capped_count(evidenced, analyst, client_for, monkeypatch):
    from core import pagination
    from reports.analytics import views

    monkeypatch.setattr(views, "paginate", lambda rows, size, page: pagination.paginate(rows, size, page, cap=2))
    url = reverse("reports:analytics_drill") + "?kind=findings&start=2026-01&end=2026-03"
    response = client_for(analyst).get(url)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.capped
    assert "more than 2" in response.content.decode() or "超过 2" in response.content.decode()
