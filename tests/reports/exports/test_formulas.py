"""
Formula injection (the red-team finding): enterprise names and finding
descriptions typed by anyone never reach a spreadsheet as live formulas, in
the registry or the findings export, CSV or XLSX.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from inspections.models import Finding
from tests.factories import EnterpriseFactory
from tests.reports.factories import make_findings

PAYLOADS = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cells(response, fmt: str) -> list[str]:
    data = (b"".join(response.streaming_content) if response.streaming else response.content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return [cell for row in rows for cell in row]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell.value for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str)] + [
        f"={cell.value}" for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_registry_and_findings_exports_carry_no_live_formula(client_for, inspector, analyst,
                                                            fmt):
    findings = make_findings(author=inspector, n=len(PAYLOADS))
    for payload, finding in zip(PAYLOADS, findings):
        Finding.objects.filter(pk=finding.pk).update(description=payload)
        EnterpriseFactory(name=payload)
    client = client_for(analyst)
    for url in (reverse("enterprises:export", args=[fmt]),
                reverse("reports:export_findings", args=[fmt])):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = _cells(response, fmt)
        hostile = [c for c in cells if any(p.strip() in c for p in PAYLOADS)]
        assert len(hostile) >= len(PAYLOADS), (url, hostile)
        live = [c for c in cells if c.startswith(FORMULA_START) and not c.lstrip("-").replace(
            ".", "", 1).isdigit()]
        assert not live, (url, live)
