"""Figures of reports.analytics.charts: sorted bars, stable colours, percent axes, drill links."""

import pandas as pd
from django.utils import translation

from reports.analytics import charts
from reports.analytics import stats as analytics


def rates(groups):
    frame = pd.DataFrame(groups, columns=["month", "modality", "checked", "failed"])
    frame["month"] = pd.to_datetime(frame["month"])
    frame = analytics.add_rate(frame, k="failed", n="checked")
    frame["drill_url"] = [f"/reports/analytics/drill/?m={i}" for i in range(len(frame))]
    return frame


def test_rate_chart_has_one_trace_per_group_worst_first_with_stable_colours():
    frame = rates([("2026-01-01", "image", 100, 10), ("2026-01-01", "video", 100, 40),
                   ("2026-02-01", "image", 5, 1)])
    fig = charts.rate_over_time(frame, title="t", y_title="y", by="modality", labels={"video": "视频"})
    assert [t.name for t in fig.data] == ["视频", "image"]
    assert fig.data[0].line.color == charts.colour_for("video") == charts.FIXED_COLOURS["video"]
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.separators == ".,"
    image = fig.data[1]
    # The five-item February point is drawn hollow (small sample).
    assert list(image.marker.color) == [charts.colour_for("image"), "#fff"]
    assert image.customdata[0][0] == "/reports/analytics/drill/?m=0"
    assert image.error_y.array[0] > 0


def test_single_series_gets_a_wilson_band():
    frame = rates([("2026-01-01", "image", 100, 10), ("2026-02-01", "image", 100, 20)])
    fig = charts.rate_over_time(frame, title="t", y_title="y")
    band, line = fig.data
    assert band.fill == "toself"
    assert list(band.y[:2]) == list(frame["upper"]) and list(line.y) == list(frame["rate"])


def test_sorted_bars_put_the_largest_on_top():
    frame = pd.DataFrame({"label": ["A", "B", "C"], "repeats": [2, 9, 5], "district": ["1", "2", "3"]})
    fig = charts.sorted_bars(frame, x="label", y="repeats", title="t", x_title="x", y_title="")
    # Horizontal bars are drawn bottom-up: the last is the top bar.
    assert list(fig.data[0].y) == ["A", "C", "B"]


def test_rectification_bars_in_severity_order():
    frame = pd.DataFrame({"severity": ["low", "high"], "findings": [3, 4], "median": [5.0, 1.0],
                          "p90": [9.0, 2.0], "mean": [5.0, 1.0]})
    fig = charts.rectification_time_bars(frame, labels={"high": "高", "low": "低"})
    assert list(fig.data[0].x) == ["高", "低"] and list(fig.data[0].y) == [1.0, 5.0]


def test_axis_titles_follow_the_active_language():
    frame = rates([("2026-01-01", "image", 100, 10)])
    with translation.override("en"):
        english = charts.rate_over_time(frame, title="t", y_title="y").layout.xaxis.title.text
    with translation.override("zh-hans"):
        chinese = charts.rate_over_time(frame, title="t", y_title="y").layout.xaxis.title.text
    assert english == "Month" and chinese == "月份"


def test_empty_data_says_so():
    frame = rates([])
    fig = charts.rate_over_time(frame, title="t", y_title="y")
    assert fig.layout.annotations and not fig.data


def test_figure_json_is_plain_data():
    import json

    frame = rates([("2026-01-01", "image", 100, 10)])
    data = charts.figure_json(charts.rate_over_time(frame, title="t", y_title="y"))
    json.dumps(data)
