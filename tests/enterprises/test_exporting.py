"""The registry export: for people by default, the import format when asked; formula-safe both ways."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from enterprises.importing import enterprises_import
from enterprises.models import Enterprise
from tests.factories import ContactFactory, EnterpriseFactory, ProviderCodeFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    enterprise = EnterpriseFactory(name="=HYPERLINK(\"http://evil\")", district="110108",
                                   risk_tier="high", is_dissemination_platform=True,
                                   is_generation_provider=False)
    ServiceFactory(enterprise=enterprise, name="星河助手", kind="mini_program", has_image=True)
    ProviderCodeFactory(enterprise=enterprise)
    ContactFactory(enterprise=enterprise, name="李四", is_primary=True)
    return enterprise


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_people_read_labels_names_and_no_codes(client_for, inspector, registry):
    row = _csv(client_for(inspector).get(reverse("enterprises:export", args=["csv"])))[0]
    assert row["名称"] == "'=HYPERLINK(\"http://evil\")"
    assert row["风险等级"] == registry.get_risk_tier_display()
    assert registry.get_district_display() in row.values()
    assert "mini_program" not in row["服务"] and "小程序" in row["服务"]
    assert "李四" in row["联系人"]
    response = client_for(inspector).get(reverse("enterprises:export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert not [h for h in header if "_" in h]
    assert sheet.cell(2, header.index("名称") + 1).data_type == "s"


def test_machine_variant_is_the_import_format_and_reads_back(client_for, inspector, registry):
    response = client_for(inspector).get(reverse("enterprises:export", args=["csv"]),
                                         {"variant": "machine"})
    data = b"".join(response.streaming_content)
    row = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))[0]
    assert row["district"] == "110108" and row["risk_tier"] == "high"
    assert row["name"].startswith("'=")
    Enterprise.objects.filter(pk=registry.pk).update(name="改名")
    report = enterprises_import(data=data, filename="x.csv", actor=inspector)
    assert report.errors == []
    registry.refresh_from_db()
    assert registry.name == "=HYPERLINK(\"http://evil\")"
