"""Statistics of reports.analytics on literal DataFrames (no database)."""

import datetime

import numpy as np
import pandas as pd
import pytest

from reports.analytics import stats as analytics

D = datetime.date
# A made-up National Day week: holidays on weekdays, make-up Saturday/Sunday.
HOLIDAYS = [D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 6), D(2026, 10, 7), D(2026, 10, 8)]
MAKEUP = [D(2026, 9, 27), D(2026, 10, 10)]


def test_wilson_bounds_match_the_textbook_values():
    lower, upper = analytics.wilson_interval([0, 5, 1, 30], [10, 10, 7, 100])
    assert lower[0] == 0 and upper[0] == pytest.approx(0.2775, abs=1e-4)
    assert lower[1] == pytest.approx(0.2366, abs=1e-4) and upper[1] == pytest.approx(0.7634, abs=1e-4)
    assert lower[2] == pytest.approx(0.0257, abs=1e-4) and upper[2] == pytest.approx(0.5131, abs=1e-4)
    assert lower[3] == pytest.approx(0.2189, abs=1e-4) and upper[3] == pytest.approx(0.3958, abs=1e-4)


def test_wilson_of_an_empty_sample_is_nan():
    lower, upper = analytics.wilson_interval([0], [0])
    assert np.isnan(lower[0]) and np.isnan(upper[0])


def test_add_rate_flags_small_samples():
    frame = pd.DataFrame({"failed": [1, 30], "checked": [7, 100]})
    out = analytics.add_rate(frame, k="failed", n="checked")
    assert out["rate"].tolist() == pytest.approx([1 / 7, 0.3])
    assert out["small_sample"].tolist() == [True, False]
    assert (out["lower"] <= out["rate"]).all() and (out["rate"] <= out["upper"]).all()


def test_working_days_skip_holidays_and_count_makeup_days():
    days = analytics.working_days(
        [D(2026, 9, 25), D(2026, 9, 30), D(2026, 10, 9), D(2026, 3, 2)],
        [D(2026, 10, 12), D(2026, 10, 9), D(2026, 10, 10), D(2026, 3, 2)],
        holidays=HOLIDAYS, makeup_days=MAKEUP,
    )
    # 27th (make-up Sunday), 28th, 29th, 30th, 9th, 10th (make-up Saturday), 12th.
    assert days.tolist() == [7, 1, 1, 0]


def test_working_days_are_negative_backwards_like_the_calendar_module():
    assert analytics.working_days([D(2026, 3, 9)], [D(2026, 3, 2)]).tolist() == [-5]


def test_weighted_quantile_is_the_inverted_cdf():
    assert analytics.weighted_quantile([1, 2, 3, 4], [1, 1, 1, 1], 0.5) == 2
    assert analytics.weighted_quantile([1, 2, 3, 4], [1, 1, 1, 1], 0.9) == 4
    assert analytics.weighted_quantile([3, 1, 10], [1, 8, 1], 0.5) == 1
    assert analytics.weighted_quantile([3, 1, 10], [1, 8, 1], 0.9) == 3
    values = np.array([5, 1, 7, 7, 2, 9, 4, 4, 4, 12])
    for q in (0.5, 0.9):
        assert analytics.weighted_quantile(values, np.ones(10), q) == np.quantile(
            values, q, method="inverted_cdf")


def test_rectification_times_median_and_p90_per_severity():
    frame = pd.DataFrame([
        # severity, start, end, n — working days: 1, 2, 5 and (holiday week) 7.
        ("medium", D(2026, 3, 2), D(2026, 3, 3), 3),
        ("medium", D(2026, 3, 2), D(2026, 3, 4), 1),
        ("medium", D(2026, 3, 2), D(2026, 3, 9), 1),
        ("high", D(2026, 9, 25), D(2026, 10, 12), 2),
    ], columns=["severity", "start", "end", "n"])
    out = analytics.rectification_times(frame, holidays=HOLIDAYS, makeup_days=MAKEUP).set_index("severity")
    assert out.loc["medium", "findings"] == 5
    assert out.loc["medium", "median"] == 1  # 1,1,1,2,5
    assert out.loc["medium", "p90"] == 5
    assert out.loc["medium", "mean"] == pytest.approx(10 / 5)
    assert out.loc["high", "median"] == 7 and out.loc["high", "p90"] == 7


def test_period_deltas_month_over_month_and_year_over_year():
    months = pd.date_range("2025-01-01", "2026-03-01", freq="MS")
    counts = list(range(10, 10 + len(months)))  # 10 .. 24
    frame = pd.DataFrame({"month": months, "findings": counts})
    out = analytics.period_deltas(frame, value="findings").set_index("month")
    march = out.loc[pd.Timestamp("2026-03-01")]
    assert march["prev_month"] == 23 and march["mom_delta"] == 1
    assert march["last_year"] == 12 and march["yoy_delta"] == 12
    assert march["yoy_pct"] == pytest.approx(1.0)
    assert np.isnan(out.loc[pd.Timestamp("2025-01-01"), "prev_month"])
    assert np.isnan(out.loc[pd.Timestamp("2025-06-01"), "yoy_delta"])


def test_period_deltas_for_rates_are_in_points():
    frame = pd.DataFrame({"month": pd.to_datetime(["2025-03-01", "2026-02-01", "2026-03-01"]),
                          "rate": [0.30, 0.25, 0.20]})
    out = analytics.period_deltas(frame, value="rate", kind="rate").set_index("month")
    assert out.loc[pd.Timestamp("2026-03-01"), "mom_delta"] == pytest.approx(-0.05)
    assert out.loc[pd.Timestamp("2026-03-01"), "yoy_delta"] == pytest.approx(-0.10)
    assert "mom_pct" not in out


def test_top_codes_keeps_the_most_frequent_in_stable_order():
    frame = pd.DataFrame({
        "month": pd.to_datetime(["2026-01-01"] * 3 + ["2026-02-01"] * 3),
        "issue_code": ["A-01", "B-01", "C-01", "A-01", "B-01", "C-01"],
        "findings": [5, 1, 3, 1, 5, 3],
    })
    out = analytics.top_codes(frame, top=2)
    assert out.drop_duplicates("issue_code")["issue_code"].tolist() == ["A-01", "B-01"]
    assert set(out["rank"]) == {1, 2}


def test_complete_months_fills_gaps_with_zero():
    frame = pd.DataFrame({"month": pd.to_datetime(["2026-01-01", "2026-03-01"]),
                          "checked": [4, 2], "failed": [1, 0]})
    out = analytics.complete_months(frame, analytics.month_range(D(2026, 1, 5), D(2026, 3, 1)),
                                    by=None, fill={"checked": 0, "failed": 0})
    assert out["checked"].tolist() == [4, 0, 2]


def test_melt_roles_counts_each_role_of_an_enterprise():
    frame = pd.DataFrame({"month": pd.to_datetime(["2026-01-01"]), "a__checked": [10],
                          "a__failed": [2], "b__checked": [4], "b__failed": [1]})
    out = analytics.melt_roles(frame, ["a", "b"])
    assert out[["role", "checked", "failed"]].values.tolist() == [["a", 10, 2], ["b", 4, 1]]


def test_scorecard_trend_is_the_change_in_violation_rate_from_the_month_before():
    trend = analytics.scorecard_trend(pd.DataFrame({
        "month": pd.to_datetime(["2026-02-01", "2026-01-01"]), "checked": [10, 10], "failed": [1, 3]}))
    assert trend["change"].iloc[1] == pytest.approx(-0.2)


def test_the_current_month_is_marked_partial():
    frame = pd.DataFrame({"month": pd.to_datetime(["2026-10-01", "2026-11-01", "2026-12-01"])})
    out = analytics.mark_partial(frame, today=D(2026, 12, 3))
    assert out["partial"].tolist() == [False, False, True]


def test_a_partial_month_is_left_out_of_comparisons_unless_asked():
    months = pd.date_range("2025-12-01", "2026-12-01", freq="MS")
    frame = analytics.mark_partial(
        pd.DataFrame({"month": months, "findings": [20] * 12 + [5]}), today=D(2026, 12, 3))
    out = analytics.period_deltas(frame, value="findings").set_index("month")
    december = out.loc[pd.Timestamp("2026-12-01")]
    assert december["findings"] == 5  # the figure itself is still shown
    assert np.isnan(december["mom_delta"]) and np.isnan(december["mom_pct"])
    assert np.isnan(december["yoy_delta"])
    assert out.loc[pd.Timestamp("2026-11-01"), "mom_delta"] == 0
    included = analytics.period_deltas(frame, value="findings", include_partial=True).set_index("month")
    assert included.loc[pd.Timestamp("2026-12-01"), "mom_pct"] == pytest.approx(-0.75)


def test_a_rate_change_is_a_word_only_when_the_wilson_intervals_part():
    # 3 samples against 40: too few to say anything.
    assert analytics.rate_change(4, 40, 3, 3) == analytics.TREND_SMALL
    # 20 % to 30 % on 50 items each: the intervals overlap.
    assert analytics.rate_change(10, 50, 15, 50) == analytics.TREND_NONE
    # 10 % to 60 % on 50 items each: a real change either way.
    assert analytics.rate_change(5, 50, 30, 50) == analytics.TREND_WORSE
    assert analytics.rate_change(30, 50, 5, 50) == analytics.TREND_BETTER
