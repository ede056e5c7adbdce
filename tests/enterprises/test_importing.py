import io

import pandas as pd
import pytest
from django.db import transaction
from django.utils import translation

from core.models import AuditEvent
from enterprises import exporting, selectors
from enterprises.importing import enterprises_import
from enterprises.models import Enterprise
from enterprises.services import enterprise_update
from enterprises.tabular import COLUMNS, decode_list, encode_list
from tests.factories import (
    AlgorithmFilingFactory,
    ContactFactory,
    EnterpriseFactory,
    GenAIFilingFactory,
    ProviderCodeFactory,
    ServiceFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def enterprises_dataframe(enterprises) -> pd.DataFrame:
    """One import-format row per enterprise, every cell a string, in file order."""
    return pd.DataFrame(list(exporting.enterprise_rows(enterprises)), columns=list(COLUMNS),
                        dtype=str).fillna("")


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def row(uscc, name="北京甲科技有限公司", **cells) -> str:
    values = {"uscc": uscc, "name": name, "district": "110108", "roles": "generation_provider",
              "risk_tier": "medium", "risk_score": "50", "status": "active"}
    values.update(cells)
    frame = pd.DataFrame([{c: values.get(c, "") for c in COLUMNS}])
    return frame.to_csv(index=False, header=False).strip()


def snapshot_db():
    enterprises = Enterprise.objects.order_by("uscc").prefetch_related(*selectors.CHILD_RELATIONS)
    return enterprises_dataframe(enterprises).to_dict(orient="records")


def build_registry():
    """Two enterprises with every kind of child, including awkward characters."""
    first = EnterpriseFactory(
        name="北京星河|智算;科技\\有限公司", internal_notes="第一行\n第二行, 含逗号",
        is_dissemination_platform=True, user_agreement_url="https://example.com/a?x=1;y=2",
    )
    ServiceFactory(enterprise=first, name="星河;助手|Pro", has_video=True, url="https://a.cn/x|y")
    ServiceFactory(enterprise=first, name="星河绘画", kind="website", monthly_aigc_volume=0)
    AlgorithmFilingFactory(enterprise=first)
    GenAIFilingFactory(enterprise=first)
    ProviderCodeFactory(enterprise=first)
    ContactFactory(enterprise=first, name="李四", title="合规|负责人")
    ContactFactory(enterprise=first, name="李四", is_primary=False, email="")
    EnterpriseFactory(name="北京乙网络技术有限公司", status="suspended", risk_tier="high")
    return first


@pytest.fixture
def rich_registry():
    return build_registry()


def all_enterprises():
    return Enterprise.objects.prefetch_related(*selectors.CHILD_RELATIONS)


def test_list_cells_escape_separators():
    items = [["a|b", "c;d", "e\\f"], ["", "x", ""]]
    assert decode_list(encode_list(items)) == items


@pytest.mark.parametrize("fmt,filename", [("csv", "x.csv"), ("xlsx", "x.xlsx")])
def test_export_then_import_round_trips_exactly(inspector, fmt, filename):
    export, _type = exporting.EXPORTERS[fmt]
    # Build and export a registry, then roll it back (rather than delete it,
    # which would depend on every app that refers to enterprises).
    with transaction.atomic():
        build_registry()
        before = snapshot_db()
        data = export(all_enterprises(), machine=True)
        transaction.set_rollback(True)
    assert not Enterprise.objects.exists()

    report = enterprises_import(data=data, filename=filename, actor=inspector)

    assert report.errors == [] and report.imported and report.created == 2
    assert snapshot_db() == before
    assert export(all_enterprises(), machine=True) == data if fmt == "csv" else True
    assert enterprises_dataframe(all_enterprises()).equals(read_back(data, fmt))


def test_import_restores_an_edited_registry(rich_registry, inspector):
    data = exporting.export_csv(all_enterprises(), machine=True)
    before = snapshot_db()
    enterprise_update(
        enterprise=rich_registry, actor=inspector,
        fields={"name": "改名", "risk_score": 3, "is_app_store": True},
        children={"services": [], "contacts": [{"name": "新人"}], "provider_codes": []},
    )

    report = enterprises_import(data=data, filename="x.csv", actor=inspector)

    assert report.updated == 1 and report.unchanged == 1
    assert snapshot_db() == before


def read_back(data: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return pd.read_excel(io.BytesIO(data), dtype=str).fillna("")


@pytest.mark.parametrize("fmt,filename", [("csv", "x.csv"), ("xlsx", "x.xlsx")])
def test_reimporting_the_same_file_changes_nothing(rich_registry, inspector, fmt, filename):
    export, _type = exporting.EXPORTERS[fmt]
    data = export(Enterprise.objects.prefetch_related(*selectors.CHILD_RELATIONS), machine=True)
    before = snapshot_db()
    updated_at = list(Enterprise.objects.order_by("pk").values_list("updated_at", flat=True))
    events = AuditEvent.objects.count()

    report = enterprises_import(data=data, filename=filename, actor=inspector)

    assert report.imported and report.unchanged == 2 and report.created == report.updated == 0
    assert snapshot_db() == before
    assert list(Enterprise.objects.order_by("pk").values_list("updated_at", flat=True)) == updated_at
    assert AuditEvent.objects.count() == events


def test_one_invalid_row_means_nothing_is_imported(inspector):
    data = csv(row(make_uscc(1)), row("91110102MAD55U9H0A", name="坏代码"), row(make_uscc(2)))
    report = enterprises_import(data=data, filename="bad.csv", actor=inspector)
    assert not report.imported
    assert [(r, c) for r, c, _m in report.errors] == [(3, "uscc")]
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.exists()


def test_valid_only_imports_the_good_rows_and_reports_the_bad(inspector):
    data = csv(row(make_uscc(1)), row(make_uscc(2), district="999999"), row(make_uscc(3)))
    report = enterprises_import(data=data, filename="bad.csv", actor=inspector, valid_only=True)
    assert report.imported and report.created == 2 and report.invalid == 1
    assert [(r, c) for r, c, _m in report.errors] == [(3, "district")]
    assert set(Enterprise.objects.values_list("uscc", flat=True)) == {make_uscc(1), make_uscc(3)}


def test_dry_run_writes_nothing(inspector):
    report = enterprises_import(data=csv(row(make_uscc(1))), filename="a.csv", actor=inspector,
                                dry_run=True)
    assert report.created == 1 and not report.imported
    assert not Enterprise.objects.exists()


def test_upsert_updates_the_enterprise_with_the_same_uscc(inspector):
    enterprise = EnterpriseFactory(uscc=make_uscc(1), risk_score=10)
    report = enterprises_import(data=csv(row(make_uscc(1).lower(), risk_score="77")),
                                filename="a.csv", actor=inspector)
    assert report.updated == 1
    enterprise.refresh_from_db()
    assert enterprise.risk_score == 77 and Enterprise.objects.count() == 1


def test_it_reports_row_column_and_problem_for_each_mistake(inspector):
    other = make_uscc(50)
    data = csv(
        row(make_uscc(1), services="助手|robot|text|10|"),
        row(make_uscc(2), provider_codes=f"0011{other}00001"),
        row(make_uscc(3), algorithm_filings="网信算备123号|算法|"),
        row(make_uscc(1), name="重复"),
        row(make_uscc(4), risk_score="很高", contacts="王五||||1;王五||||0"),
        row(make_uscc(5), name=""),
    )
    with translation.override("en"):
        report = enterprises_import(data=data, filename="a.csv", actor=inspector)
    found = {(r, c) for r, c, _m in report.errors}
    assert found == {
        (2, "services"), (3, "provider_codes"), (4, "algorithm_filings"), (5, "uscc"),
        (6, "risk_score"), (7, "name"),
    }
    messages = dict(((r, c), m) for r, c, m in report.errors)
    assert "robot" in messages[(2, "services")]
    assert "row 2" in messages[(5, "uscc")]


def test_problems_are_reported_in_the_users_language(inspector):
    data = csv(row(make_uscc(1), name=""))
    with translation.override("zh-hans"):
        zh = enterprises_import(data=data, filename="a.csv", actor=inspector).errors
    with translation.override("en"):
        en = enterprises_import(data=data, filename="a.csv", actor=inspector).errors
    assert en[0][2] == "This field cannot be blank."
    assert zh[0][2] == "此字段不能为空。"


def test_a_filing_number_of_another_enterprise_is_refused(inspector):
    filing = AlgorithmFilingFactory()
    data = csv(row(make_uscc(77), algorithm_filings=f"{filing.number}|算法|"))
    report = enterprises_import(data=data, filename="a.csv", actor=inspector)
    assert [(r, c) for r, c, _m in report.errors] == [(2, "algorithm_filings")]


def test_unknown_columns_and_missing_uscc_are_file_errors(inspector):
    report = enterprises_import(data=b"name,servics\nx,y\n", filename="a.csv",
                                actor=inspector)
    assert {(r, c) for r, c, _m in report.errors} == {(1, "servics"), (1, "uscc")}


def test_other_file_types_are_refused(inspector):
    report = enterprises_import(data=b"x", filename="a.txt", actor=inspector)
    assert report.errors and not report.imported


def test_gb18030_csv_is_read(inspector):
    data = ("uscc,name,district\n" + f"{make_uscc(1)},北京中文有限公司,海淀区\n").encode("gb18030")
    with translation.override("zh-hans"):
        report = enterprises_import(data=data, filename="a.csv", actor=inspector)
    assert report.imported, report.errors
    assert Enterprise.objects.get().name == "北京中文有限公司"


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_reads_it():
    import tracemalloc

    from enterprises.importing import ImportFileError, read_table
    from tests.hostile import MIB, zip_bomb

    bomb = zip_bomb(member="xl/worksheets/sheet1.xml", inflated=1024 * MIB,
                    extra={"[Content_Types].xml": b"<Types/>"})
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="解压"):
            read_table(bomb, "registry.xlsx")
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 16 * MIB
