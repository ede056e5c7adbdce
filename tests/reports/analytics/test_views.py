"""Analytics pages: access, tables agreeing with the fixture, exports, drill-down, query counts."""

import csv
import datetime
import io

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from inspections.models import Severity
from reports.analytics.dashboards import DASHBOARDS
from reports.analytics.views import DRILL_LABELS

from .factories import *  # noqa: F403 (the fixtures dataset, frozen_today, q1)
from .factories import build_dataset

PERIOD = "start=2026-01&end=2026-03"


def pages(dataset):
    _campaign, made = dataset
    pk = made[0]["e1"].pk
    urls = [reverse("reports:analytics_index") + "?" + PERIOD]
    for slug in DASHBOARDS:
        urls.append(reverse("reports:analytics_dashboard", args=[slug]) + "?" + PERIOD)
        urls += [reverse("reports:analytics_export", args=[slug, fmt]) + "?" + PERIOD for fmt in ("csv", "xlsx")]
    urls += [reverse("reports:analytics_dashboard", args=["violations"]) + f"?{PERIOD}&by={by}"
             for by in ("role", "district", "modality", "category")]
    urls += [
        reverse("reports:analytics_drill") + f"?{PERIOD}&kind=items&failing=1",
        reverse("reports:analytics_drill") + f"?{PERIOD}&kind=findings&basis=due&late=1",
        reverse("reports:analytics_scorecard", args=[pk]),
        reverse("reports:analytics_scorecard_export", args=[pk, "csv"]),
    ]
    return urls


def test_every_analytics_page_opens_for_an_analyst(dataset, analyst, client_for):
    client = client_for(analyst)
    for url in pages(dataset):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["inspector", "supervisor", "admin"])
def test_other_staff_roles_open_one_page_of_each_kind(dataset, staff_users, client_for, role):
    client = client_for(staff_users[role])
    urls = pages(dataset)
    # Overview, a dashboard, its CSV, a drill-down and the scorecard.
    for url in (urls[0], urls[1], urls[2], urls[-4], urls[-2]):
        assert client.get(url).status_code == 200, url


def test_enterprise_users_get_404_everywhere(dataset, enterprise_user, client_for):
    client = client_for(enterprise_user)
    for url in pages(dataset):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:analytics_refresh")).status_code == 404


def test_anonymous_users_are_sent_to_login(dataset, client):
    response = client.get(reverse("reports:analytics_index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_analysts_may_not_recompute(dataset, analyst, client_for):
    assert client_for(analyst).post(reverse("reports:analytics_refresh")).status_code == 403


def test_an_inspector_recomputes_and_it_is_audited(dataset, inspector, client_for, django_capture_on_commit_callbacks):
    from core.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(inspector).post(reverse("reports:analytics_refresh"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="analytics_refresh", actor=inspector).exists()


def test_violation_table_shows_the_hand_counts_and_flags_small_samples(dataset, analyst, client_for):
    response = client_for(analyst).get(reverse("reports:analytics_dashboard", args=["violations"]) + "?" + PERIOD)
    rows = [[c["text"] for c in row] for row in response.context["dashboard"].rows]
    assert rows[0][:3] == ["2026-01", "3", "2"] and rows[1][:3] == ["2026-02", "2", "1"]
    # Three items are a small sample: never a bare percentage.
    assert "n=3" in rows[0][3] and "%" in rows[0][3]
    assert b"analytics-figure" in response.content and b"vendor/plotly.min.js" in response.content


def test_chart_export_and_table_agree(dataset, analyst, client_for):
    client = client_for(analyst)
    url = reverse("reports:analytics_export", args=["violations", "csv"]) + f"?{PERIOD}&by=category"
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    counts = {(r["月份"], r["问题类别"]): (int(r["已检样本数"]), int(r["不合格样本数"])) for r in rows}
    assert counts == {("2026-01", "显式标识"): (3, 1), ("2026-01", "隐式标识"): (3, 2),
                      ("2026-02", "显式标识"): (1, 1), ("2026-02", "隐式标识"): (1, 0)}
    assert rows[0]["违规率"].endswith("%") and rows[0]["小样本"] in ("是", "否")
    machine = client.get(url + "&variant=machine")
    rows = list(csv.DictReader(io.StringIO(machine.content.decode("utf-8-sig"))))
    assert {(r["month"], r["category"]) for r in rows} >= {("2026-01", "EXP"), ("2026-01", "IMP")}
    xlsx = client.get(reverse("reports:analytics_export", args=["rectification", "xlsx"]) + "?" + PERIOD)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    header = list(values[0])
    medians = {r[header.index("严重程度")]: r[header.index("中位数（工作日）")] for r in values[1:]}
    assert medians == {"高": 2, "中": 11}


def test_every_export_column_is_named_for_people(dataset, analyst, client_for):
    import datetime

    from reports.analytics import dashboards
    from reports.analytics.exports import COLUMNS, LEFT_OUT
    from reports.analytics.selectors import AnalyticsFilters

    filters = AnalyticsFilters(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    for slug in DASHBOARDS:
        for by in (None, "role", "district", "modality", "category") if slug == "violations" else (None,):
            frame = dashboards.build(slug, viewer=analyst, filters=filters, query={}, by=by).export
            unknown = [str(k) for k in frame.columns if str(k) not in COLUMNS and str(k) not in LEFT_OUT]
            assert unknown == [], slug
    client = client_for(analyst)
    for slug in DASHBOARDS:
        response = client.get(reverse("reports:analytics_export", args=[slug, "xlsx"]) + "?" + PERIOD)
        header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[1]]
        assert header and not [h for h in header if h and "_" in h], (slug, header)


def test_drill_down_links_list_the_same_number_of_rows(dataset, analyst, client_for):
    client = client_for(analyst)
    response = client.get(reverse("reports:analytics_dashboard", args=["violations"]) + f"?{PERIOD}&by=modality")
    for row in response.context["dashboard"].rows:
        failed_cell = row[3]
        drill = client.get(failed_cell["url"])
        assert drill.status_code == 200
        assert drill.context["page_obj"].paginator.count == int(failed_cell["text"])
    figure = response.context["dashboard"].figure
    urls = [point[0] for trace in figure["data"] if "customdata" in trace for point in trace["customdata"]]
    assert urls and all(u.startswith(reverse("reports:analytics_drill")) for u in urls)


def test_on_time_drill_lists_the_late_findings(dataset, analyst, client_for):
    client = client_for(analyst)
    response = client.get(reverse("reports:analytics_dashboard", args=["ontime"]) + "?" + PERIOD)
    february = [r for r in response.context["dashboard"].rows if r[0]["text"] == "2026-02"][0]
    assert [c["text"] for c in february[1:4]] == ["2", "1", "1"]
    drill = client.get(february[3]["url"])
    assert [f.severity for f in drill.context["page_obj"]] == ["medium"]


def test_scorecard_is_linked_from_the_enterprise_page(dataset, analyst, client_for):
    _campaign, made = dataset
    e1 = made[0]["e1"]
    detail = client_for(analyst).get(reverse("enterprises:detail", args=[e1.pk]))
    assert reverse("reports:analytics_scorecard", args=[e1.pk]).encode() in detail.content
    card = client_for(analyst).get(reverse("reports:analytics_scorecard", args=[e1.pk]))
    assert card.context["card"].counts["findings"] == 2


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_data(db, frozen_today, analyst, client_for, django_assert_max_num_queries):
    campaign, made = build_dataset(copies=1)
    small_data = (campaign, made)
    client = client_for(analyst)
    urls = pages(small_data)
    client.get(urls[0])  # warm the session and the calendar cache
    small = {url: _count(client, url) for url in urls}
    build_dataset(copies=9, campaign=campaign)  # ten times the data
    for url in urls:
        assert small[url] <= 20, url
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200


def test_the_drilled_point_reads_as_labels_not_codes(dataset, analyst, client_for):
    drill = client_for(analyst).get(reverse("reports:analytics_drill"),
                                    {"kind": "findings", "basis": "closed", "severity": "high", "repeat": "on"})
    with translation.override("zh-hans"):
        point = dict((str(label), str(value)) for label, value in drill.context["point"])
        assert point[str(DRILL_LABELS["severity"])] == str(Severity.HIGH.label) != "high"
        assert point[str(DRILL_LABELS["repeat"])] == translation.gettext("yes")


def _trend_rows(client, query=""):
    with translation.override("zh-hans"):
        response = client.get(reverse("reports:analytics_dashboard", args=["trend"])
                              + f"?{PERIOD}&view=table{query}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    return response.content.decode()


def test_the_unfinished_month_is_marked_and_not_compared(dataset, analyst, client_for):
    """Today is 2026-03-15: March is partial, so no month-over-month or year-over-year for it."""
    from reports.analytics import dashboards
    from reports.analytics.filters import AnalyticsFilters

    filters = AnalyticsFilters(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 1))
    board = dashboards.build("trend", viewer=analyst, filters=filters, query={})
    march = board.export.set_index("month").loc[pd.Timestamp("2026-03-01")]
    assert bool(march["partial"]) is True
    assert pd.isna(march["findings_mom"]) and pd.isna(march["rate_mom_pp"])
    assert board.rows[-1][2]["text"] == "—"
    page = _trend_rows(client_for(analyst))
    assert "2026-03（截至 03-15，未满月）" in page
    assert "不参与环比、同比计算" in page
    compared = dashboards.build("trend", viewer=analyst, query={}, filters=AnalyticsFilters(
        start=filters.start, end=filters.end, include_partial=True))
    assert compared.rows[-1][2]["text"] != "—"
    assert "按现有数据与整月比较" in _trend_rows(client_for(analyst), "&partial=on")


def test_the_partial_flag_reaches_the_xlsx_as_yes_or_no(dataset, analyst, client_for):
    from reports.analytics.services import analytics_rollups_refresh

    from .factories import item_with_checks, local

    _campaign, made = dataset
    item_with_checks(inspection=made[0]["findings"][0].inspection, captured_at=local(2026, 3, 2),
                     checks={"IMP-01": "fail"})
    analytics_rollups_refresh()
    response = client_for(analyst).get(
        reverse("reports:analytics_export", args=["violations", "xlsx"]) + "?" + PERIOD,
        HTTP_ACCEPT_LANGUAGE="zh-hans")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("不完整期间")
    assert [row[column] for row in rows[1:]] == ["否", "否", "是"]


def test_the_scorecard_trend_says_a_word_only_for_a_significant_change_of_whole_months(frozen_today):
    from reports.analytics import dashboards, stats

    def card(rows):
        frame = pd.DataFrame(rows, columns=["month", "checked", "failed"])
        frame["month"] = pd.to_datetime(frame["month"])
        trend = stats.mark_partial(stats.scorecard_trend(frame), today=frozen_today.date())
        with translation.override("zh-hans"):
            return dashboards.trend_direction(trend)

    # January 5 of 50, February 30 of 50: worse beyond chance. March (partial,
    # 3 of 3) is never one of the two months compared.
    worse = card([("2026-01-01", 50, 5), ("2026-02-01", 50, 30), ("2026-03-01", 3, 3)])
    assert worse.startswith("恶化") and "2026-01 至 2026-02" in worse and "Wilson" in worse
    assert card([("2026-01-01", 50, 10), ("2026-02-01", 50, 15)]).startswith("无显著变化")
    assert card([("2026-01-01", 40, 4), ("2026-02-01", 3, 3)]).startswith("样本不足")
    assert card([("2026-02-01", 50, 5), ("2026-03-01", 5, 5)]) == ""


@pytest.mark.django_db
def test_the_origin_dashboard_counts_random_targeted_and_reverification_apart(supervisor, client_for):
    import datetime as _dt

    from inspections.models import Inspection
    from tests.factories import CampaignFactory, FindingFactory, InspectionFactory

    campaign = CampaignFactory()
    day = _dt.date(2026, 6, 10)
    drawn = InspectionFactory(campaign=campaign, planned_date=day, status=Inspection.Status.COMPLETED)
    FindingFactory(inspection=drawn)
    aimed = InspectionFactory(campaign=campaign, planned_date=day, origin="targeted",
                              target_basis="decision", target_reason="负责人决定")
    FindingFactory(inspection=aimed)
    FindingFactory(inspection=aimed)
    from reports.analytics.filters import AnalyticsFilters
    from reports.analytics.selectors import origin_counts

    frame = origin_counts(viewer=supervisor, filters=AnalyticsFilters(
        start=_dt.date(2026, 1, 1), end=_dt.date(2026, 12, 1), campaign_id=campaign.pk))
    counts = {(r.origin, r.basis): (r.inspections, r.completed, r.findings) for r in frame.itertuples()}
    assert counts[("random", "")] == (1, 1, 1)
    assert counts[("targeted", "decision")] == (1, 0, 2)
    assert counts[("targeted", "tip_off")] == (0, 0, 0) and counts[("follow_up", "")] == (0, 0, 0)
    page = client_for(supervisor).get(reverse("reports:analytics_dashboard", args=["origins"]),
                                      {"start": "2026-01", "end": "2026-12", "campaign": campaign.pk})
    assert page.status_code == 200 and "双随机" in page.content.decode()
