"""CSV/XLSX exports of findings and inspections: scoped by the selectors, written for people."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from inspections.models import Finding
from tests.reports.factories import make_findings


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_findings_and_inspections_export_as_csv_and_xlsx(inspector, analyst, enterprise_user, client_for):
    findings = make_findings(author=inspector, n=3)
    client = client_for(analyst)
    response = client.get(reverse("reports:export_findings", args=["csv"]), {"campaign": findings[0].campaign_id})
    assert response["Content-Disposition"].startswith("attachment")
    rows = read_csv(response)
    assert len(rows) == 3 and "统一社会信用代码" in rows[0]
    xlsx = client.get(reverse("reports:export_inspections", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2
    assert client.get(reverse("reports:export_findings", args=["exe"])).status_code == 404
    assert client_for(enterprise_user).get(reverse("reports:export_findings", args=["csv"])).status_code == 404


@pytest.mark.django_db
def test_findings_export_reads_as_people_read_it(inspector, analyst, client_for):
    finding = make_findings(author=inspector, n=1)[0]
    Finding.objects.filter(pk=finding.pk).update(description="=HYPERLINK(\"http://x\")")
    finding.refresh_from_db()
    client = client_for(analyst)
    row = read_csv(client.get(reverse("reports:export_findings", args=["csv"])))[0]
    assert row["专项行动"] == finding.campaign.name
    assert row["严重程度"] == finding.get_severity_display()
    assert row["状态"] == finding.get_status_display()
    assert row["期限单位"] == finding.get_period_unit_display()
    assert row["重复问题"] in ("是", "否")
    assert finding.enterprise.get_district_display() in row.values()
    assert row["查明的事实"].startswith("'=")
    assert len(row["记录时间"]) == len("2026-12-03 14:05")  # local minutes, no microseconds

    sheet = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("reports:export_findings", args=["xlsx"])).content)).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]]))
    assert values["严重程度"] == finding.get_severity_display()
    assert values["查明的事实"].startswith("'=") and sheet.cell(2, header.index("查明的事实") + 1).data_type == "s"
    assert all("_" not in h for h in header)


@pytest.mark.django_db
def test_machine_variant_keeps_codes_when_asked(inspector, analyst, client_for):
    finding = make_findings(author=inspector, n=1)[0]
    response = client_for(analyst).get(reverse("reports:export_findings", args=["csv"]),
                                       {"variant": "machine"})
    row = read_csv(response)[0]
    assert row["severity"] == finding.severity
    assert row["status"] == finding.status
    assert row["is_repeat"] in ("true", "false")
    assert row["campaign__code"] == finding.campaign.code
