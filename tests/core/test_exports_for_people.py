"""
Every XLSX export, opened with openpyxl as a person's spreadsheet would:
translated headers, choice labels and district names (never codes), yes/no,
dates and times without microseconds, rates as percentages. The machine
variant, asked for explicitly, keeps the codes.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from enterprises.models import District, EnterpriseRole, Modality
from enterprises.services import enterprise_create
from inspections.models import FindingStatus, Inspection, InspectionMethod, PeriodUnit, Severity
from tests.reports.analytics.factories import *  # noqa: F403 (the fixtures dataset, frozen_today)

PERIOD = {"start": "2026-01", "end": "2026-03"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+")
CODES = {
    *District.values, *EnterpriseRole.values, *Modality.values, *Severity.values,
    *FindingStatus.values, *Inspection.Status.values, *InspectionMethod.values, *PeriodUnit.values,
    "True", "False", "true", "false",
}


def _sheet(client, url, params=None):
    response = client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _exports(dataset):
    _campaign, made = dataset
    urls = {
        f"analytics {slug}": (reverse("reports:analytics_export", args=[slug, "xlsx"]), PERIOD)
        for slug in ("violations", "ontime", "rectification", "repeat", "codes", "campaigns", "trend")
    }
    urls["analytics by district"] = (reverse("reports:analytics_export", args=["violations", "xlsx"]),
                                     {**PERIOD, "by": "district"})
    urls["scorecard"] = (reverse("reports:analytics_scorecard_export", args=[made[0]["e1"].pk, "xlsx"]), {})
    urls["findings"] = (reverse("reports:export_findings", args=["xlsx"]), {})
    urls["inspections"] = (reverse("reports:export_inspections", args=["xlsx"]), {})
    urls["registry"] = (reverse("enterprises:export", args=["xlsx"]), {})
    urls["audit"] = (reverse("core:audit_export"), {"fmt": "xlsx"})
    return urls


@pytest.fixture
def audited(dataset, inspector):
    enterprise_create(actor=inspector, fields={
        "name": "北京导出测试科技有限公司", "uscc": "91110102MAD55U9H0F", "district": "110108",
        "is_generation_provider": True, "risk_tier": "high", "risk_score": 80})
    return dataset


def test_every_xlsx_export_reads_as_people_read_it(audited, supervisor, client_for):
    client = client_for(supervisor)
    problems = []
    for name, (url, params) in _exports(audited).items():
        sheet = _sheet(client, url, params)
        rows = list(sheet.iter_rows())
        headers = [cell.value for cell in rows[0]]
        if len(rows) < 2:
            problems.append(f"{name}: no rows")
        for header in headers:
            if not isinstance(header, str) or SNAKE.match(header) or not re.search(r"[\u4e00-\u9fff]", header):
                problems.append(f"{name}: header {header!r}")
        for row in rows[1:]:
            for header, cell in zip(headers, row):
                value = cell.value
                if isinstance(value, str) and (value in CODES or MICROSECONDS.search(value)):
                    problems.append(f"{name}: {header} = {value!r}")
                if isinstance(value, datetime.datetime) and value.microsecond:
                    problems.append(f"{name}: {header} has microseconds")
                if isinstance(value, float) and ("率" in header or "比例" in header) \
                        and not cell.number_format.endswith("%"):
                    problems.append(f"{name}: {header} = {value} is not shown as a percentage")
    assert problems == []


def test_district_names_yes_no_and_percentages_in_the_analytics_xlsx(audited, analyst, client_for):
    sheet = _sheet(client_for(analyst), reverse("reports:analytics_export", args=["violations", "xlsx"]),
                   {**PERIOD, "by": "district"})
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c for c in row])) for row in sheet.iter_rows(min_row=2)]
    district = next(h for h in header if h in ("所在区", "区域"))
    assert {row[district].value for row in rows} == {"海淀区", "朝阳区"}
    assert {row["小样本"].value for row in rows} <= {"是", "否"}
    rate = next(row["违规率"] for row in rows if row["违规率"].value is not None)
    assert rate.number_format.endswith("%") and 0 <= rate.value <= 1


def test_the_machine_variant_keeps_codes_when_chosen(audited, supervisor, client_for):
    client = client_for(supervisor)
    sheet = _sheet(client, reverse("reports:analytics_export", args=["repeat", "xlsx"]),
                   {**PERIOD, "variant": "machine"})
    header = [c.value for c in sheet[1]]
    assert "enterprise_id" in header
    people = [c.value for c in _sheet(client, reverse("reports:analytics_export", args=["repeat", "xlsx"]),
                                      PERIOD)[1]]
    assert "企业编号" not in people and "企业" in people
    audit = [c.value for c in _sheet(client, reverse("core:audit_export"), {"fmt": "xlsx", "variant": "machine"})[1]]
    assert "action_code" in audit
    audit_people = [c.value for c in _sheet(client, reverse("core:audit_export"), {"fmt": "xlsx"})[1]]
    assert "操作代码" not in audit_people and "对象 ID" not in audit_people
