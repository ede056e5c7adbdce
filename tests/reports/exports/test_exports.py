"""CSV/XLSX exports of findings and inspections, scoped by the selectors."""

import io

import pandas as pd
import pytest
from django.urls import reverse

from tests.reports.factories import make_findings


@pytest.mark.django_db
def test_findings_and_inspections_export_as_csv_and_xlsx(inspector, analyst, enterprise_user, client_for):
    findings = make_findings(author=inspector, n=3)
    client = client_for(analyst)
    csv = client.get(reverse("reports:export_findings", args=["csv"]), {"campaign": findings[0].campaign_id})
    assert csv["Content-Disposition"].startswith("attachment")
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert len(frame) == 3 and "统一社会信用代码" in frame.columns
    xlsx = client.get(reverse("reports:export_inspections", args=["xlsx"]))
    assert len(pd.read_excel(io.BytesIO(xlsx.content))) == 1
    assert client.get(reverse("reports:export_findings", args=["exe"])).status_code == 404
    assert client_for(enterprise_user).get(reverse("reports:export_findings", args=["csv"])).status_code == 404
