"""Aggregates of reports.analytics.selectors against the hand-counted fixture."""

import dataclasses
import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections import workdays
from inspections.models import CalendarDay
from reports.analytics import selectors as sel
from reports.analytics import stats as analytics

from .factories import *  # noqa: F403 (the fixtures dataset, frozen_today, q1)

M1, M2 = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")


def as_dict(frame, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: (r["checked"], r["failed"])
            for r in frame.to_dict("records")}


def test_overall_violation_rate_counts_items_not_checks(dataset, q1, analyst):
    frame = sel.violation_monthly(viewer=analyst, filters=q1)
    # Jan: 3 items checked (the n/a-only video item is not), 2 failing; Feb: 2 and 1.
    assert as_dict(frame, "month") == {M1: (3, 2), M2: (2, 1)}


def test_violation_by_category(dataset, q1, analyst):
    frame = sel.violation_monthly(viewer=analyst, filters=q1, by="category")
    assert as_dict(frame, "month", "category") == {
        (M1, "EXP"): (3, 1), (M1, "IMP"): (3, 2), (M2, "EXP"): (1, 1), (M2, "IMP"): (1, 0),
    }


def test_violation_by_role_district_and_modality(dataset, q1, analyst):
    roles = sel.violation_monthly(viewer=analyst, filters=q1, by="role")
    assert as_dict(roles, "month", "role") == {
        (M1, "generation_provider"): (3, 2), (M2, "dissemination_platform"): (2, 1),
    }
    districts = sel.violation_monthly(viewer=analyst, filters=q1, by="district")
    assert as_dict(districts, "month", "district") == {(M1, "110108"): (3, 2), (M2, "110105"): (2, 1)}
    modalities = sel.violation_monthly(viewer=analyst, filters=q1, by="modality")
    assert as_dict(modalities, "month", "modality") == {
        (M1, "image"): (2, 1), (M1, "text"): (1, 1), (M2, "image"): (1, 0), (M2, "video"): (1, 1),
    }


def test_filters_narrow_the_violation_counts(dataset, q1, analyst):
    chaoyang = dataclasses.replace(q1, district="110105")
    assert as_dict(sel.violation_monthly(viewer=analyst, filters=chaoyang), "month") == {M2: (2, 1)}
    image = dataclasses.replace(q1, modality="image", role="generation_provider")
    assert as_dict(sel.violation_monthly(viewer=analyst, filters=image), "month") == {M1: (2, 1)}
    february = dataclasses.replace(q1, start=datetime.date(2026, 2, 1))
    assert as_dict(sel.violation_monthly(viewer=analyst, filters=february), "month") == {M2: (2, 1)}


def test_drill_down_lists_exactly_the_items_behind_a_point(dataset, q1, analyst):
    chart = as_dict(sel.violation_monthly(viewer=analyst, filters=q1, by="category"), "month", "category")
    for (month, category), (checked, failed) in chart.items():
        point = dataclasses.replace(q1, start=month.date(), end=month.date(),
                                    extra={"failing": True, "category": category})
        assert sel.items_in_period(analyst, point).count() == failed
        point = dataclasses.replace(point, extra={"category": category})
        assert sel.items_in_period(analyst, point).count() == checked


def test_on_time_counts_by_deadline_month(dataset, q1, analyst):
    frame = sel.on_time_counts(viewer=analyst, filters=q1).set_index("month")
    # Jan: F2 late (24-hour order closed after deadline_at). Feb: F1 on time, F3 still open after
    # its deadline. F4 is not due yet.
    assert frame.loc[pd.Timestamp("2026-01-01"), ["due", "on_time"]].tolist() == [1, 0]
    assert frame.loc[pd.Timestamp("2026-02-01"), ["due", "on_time"]].tolist() == [2, 1]
    late = dataclasses.replace(q1, start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 1),
                               extra={"late": True})
    assert [f.issue_code_id for f in sel.drill_findings(analyst, late, basis="due")] == ["IMP-01"]


def test_rectification_durations_in_working_days(dataset, q1, analyst):
    frame = sel.rectification_durations(viewer=analyst, filters=q1)
    holidays, makeup = sel.calendar_exceptions()
    out = analytics.rectification_times(frame, holidays=holidays, makeup_days=makeup).set_index("severity")
    # F1: notified Wed 21 Jan, closed Thu 5 Feb = 11 working days; F2: recorded Thu 22 Jan,
    # closed Mon 26 Jan = 2 working days.
    assert out.loc["medium", "median"] == 11
    assert out.loc["high", "median"] == 2 and out.loc["high", "p90"] == 2


def test_repeat_offenders_and_top_codes(dataset, q1, analyst):
    _campaign, made = dataset
    offenders = sel.repeat_offenders(viewer=analyst, filters=q1)
    assert offenders[["enterprise_id", "repeats", "codes"]].values.tolist() == [[made[0]["e2"].pk, 1, 1]]
    codes = sel.findings_by_code_monthly(viewer=analyst, filters=q1)
    assert {(r.month, r.issue_code): r.findings for r in codes.itertuples()} == {
        (M1, "EXP-01"): 1, (M1, "IMP-01"): 1, (M2, "IMP-01"): 2,
    }


def test_findings_monthly_and_campaign_figures(dataset, q1, analyst):
    monthly = sel.findings_monthly(viewer=analyst, filters=q1).set_index("month")
    assert monthly.loc[M1, "findings"] == 2 and monthly.loc[M2, "repeats"] == 1
    campaign, _made = dataset
    found = sel.campaign_findings(viewer=analyst, filters=q1).set_index("campaign_id")
    assert found.loc[campaign.pk, ["findings", "repeats", "due", "on_time"]].tolist() == [4, 1, 3, 1]
    items = sel.violation_by_campaign(viewer=analyst, filters=q1).set_index("campaign_id")
    assert items.loc[campaign.pk, ["checked", "failed"]].tolist() == [5, 3]


def test_enterprise_users_get_nothing(dataset, q1, enterprise_user):
    assert sel.violation_monthly(viewer=enterprise_user, filters=q1).empty
    assert sel.findings_monthly(viewer=enterprise_user, filters=q1).empty
    assert sel.items_in_period(enterprise_user, q1).count() == 0


def test_scorecard_counts_of_one_enterprise(dataset, analyst):
    _campaign, made = dataset
    counts = sel.scorecard_counts(viewer=analyst, enterprise=made[0]["e1"])
    assert (counts["inspections"], counts["findings"], counts["open"], counts["due"],
            counts["on_time"]) == (1, 2, 0, 2, 1)
    trend = sel.scorecard_violation_monthly(viewer=analyst, enterprise=made[0]["e1"])
    assert trend[["checked", "failed"]].values.tolist() == [[3, 2]]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(datetime.date(2025, 12, 1), datetime.date(2026, 12, 31)),
    span=st.integers(-40, 120),
)
def test_vectorised_working_days_agree_with_the_calendar_module(start, span):
    """The numpy count equals inspections.workdays on the shipped calendar (with 调休)."""
    workdays.clear_calendar_cache()
    assert CalendarDay.objects.exists()
    end = start + datetime.timedelta(days=span)
    holidays, makeup = sel.calendar_exceptions()
    vectorised = analytics.working_days([start], [end], holidays=holidays, makeup_days=makeup)[0]
    assert vectorised == workdays.working_days_between(start, end)
