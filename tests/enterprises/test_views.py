import pytest
from django.utils import translation

from core.models import AuditEvent
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, ProviderCodeFactory, ServiceFactory, make_uscc

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def form_data(**overrides):
    data = {"name": "北京星河智算科技有限公司", "uscc": "91110102mad55u9h0f", "district": "110102",
            "roles": ["generation_provider"], "risk_tier": "high", "risk_score": "80",
            "status": "active"}
    for prefix in ("services", "algorithm_filings", "genai_filings", "provider_codes", "contacts"):
        data.update(management(prefix))
    data.update(overrides)
    return data


def test_inspector_creates_an_enterprise_with_a_service(client_for, inspector):
    data = form_data(**management("services", total=1), **{
        "services-0-name": "星河助手", "services-0-kind": "app",
        "services-0-modalities": ["text", "video"], "services-0-monthly_aigc_volume": "1200",
    })
    response = client_for(inspector).post("/enterprises/new/", data)
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302 and response.url == f"/enterprises/{enterprise.pk}/"
    assert enterprise.uscc == "91110102MAD55U9H0F" and enterprise.is_generation_provider
    service = enterprise.services.get()
    assert service.modalities == ["text", "video"] and service.monthly_aigc_volume == 1200
    assert AuditEvent.objects.filter(actor=inspector).count() == 2


def test_edit_updates_fields_and_removes_a_child(client_for, inspector):
    enterprise = EnterpriseFactory()
    service = ServiceFactory(enterprise=enterprise)
    data = form_data(uscc=enterprise.uscc, name="新名称", **management("services", 1, 1), **{
        "services-0-id": str(service.pk), "services-0-enterprise": str(enterprise.pk),
        "services-0-name": service.name, "services-0-kind": "app",
        "services-0-monthly_aigc_volume": "1", "services-0-DELETE": "on",
    })
    response = client_for(inspector).post(f"/enterprises/{enterprise.pk}/edit/", data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "新名称" and not enterprise.services.exists()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "enterprise.update", "service.delete"}


@pytest.mark.parametrize("language,expected", [
    ("zh-hans", "不是有效的统一社会信用代码"),
    ("en", "is not a valid unified social credit code"),
])
def test_field_errors_are_shown_in_the_users_language(client_for, inspector, language, expected):
    inspector.language = language
    inspector.save()
    response = client_for(inspector).post("/enterprises/new/", form_data(uscc="91110102MAD55U9H0A",
                                                                          name=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert expected in errors["uscc"][0]
    with translation.override(language):
        from django.forms import Field

        assert errors["name"] == [str(Field.default_error_messages["required"])]
    assert expected in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_provider_code_of_another_uscc_is_a_field_error(client_for, inspector):
    other = make_uscc(321)
    data = form_data(**management("provider_codes", total=1),
                     **{"provider_codes-0-code": f"0011{other}00001"})
    response = client_for(inspector).post("/enterprises/new/", data)
    assert response.status_code == 200
    formset = dict((p, fs) for p, _h, fs in response.context["formsets"])["provider_codes"]
    assert formset.forms[0].errors["code"]
    assert not Enterprise.objects.exists()


def test_changing_uscc_away_from_provider_codes_is_refused(client_for, inspector):
    code = ProviderCodeFactory()
    enterprise = code.enterprise
    data = form_data(uscc=make_uscc(322), **management("provider_codes", 1, 1), **{
        "provider_codes-0-id": str(code.pk), "provider_codes-0-enterprise": str(enterprise.pk),
        "provider_codes-0-code": code.code,
    })
    response = client_for(inspector).post(f"/enterprises/{enterprise.pk}/edit/", data)
    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert enterprise.uscc == code.code[4:22]


def test_detail_shows_children_and_history(client_for, inspector):
    enterprise = EnterpriseFactory()
    ServiceFactory(enterprise=enterprise, name="可见服务")
    client = client_for(inspector)
    client.post(f"/enterprises/{enterprise.pk}/edit/", form_data(
        uscc=enterprise.uscc, name="改名后", **management("services", 1, 1), **{
            "services-0-id": str(enterprise.services.get().pk),
            "services-0-enterprise": str(enterprise.pk), "services-0-name": "可见服务",
            "services-0-kind": "app", "services-0-monthly_aigc_volume": "5"}))
    body = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "可见服务" in body and "改名后" in body and 'id="history"' in body
    assert "王检查" in body  # the actor in the history table


def test_list_search_and_export_honour_filters(client_for, analyst):
    EnterpriseFactory(name="北京星河智算科技有限公司", district="110105")
    EnterpriseFactory(name="北京乙公司")
    client = client_for(analyst)
    response = client.get("/enterprises/", {"q": "星河"})
    assert [e.name for e in response.context["page_obj"]] == ["北京星河智算科技有限公司"]
    csv = client.get("/enterprises/export.csv", {"district": "110105"})
    assert csv["Content-Type"].startswith("text/csv")
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "北京星河智算科技有限公司" in body and "北京乙公司" not in body
    xlsx = client.get("/enterprises/export.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_the_export_sorted_by_services_keeps_the_list_order(client_for, analyst):
    many = EnterpriseFactory(name="北京甲公司")
    ServiceFactory(enterprise=many, name="一")
    ServiceFactory(enterprise=many, name="二")
    EnterpriseFactory(name="北京乙公司")
    response = client_for(analyst).get("/enterprises/export.csv", {"sort": "-services"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["北京甲公司", "北京乙公司"]


def test_import_page_reports_rows_and_imports_nothing_on_error(client_for, supervisor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f"uscc,name,district\n{make_uscc(1)},甲,110108\nBAD,乙,110108\n".encode()
    client = client_for(supervisor)
    response = client.post("/enterprises/import/", {
        "file": SimpleUploadedFile("e.csv", content, content_type="text/csv")})
    assert response.status_code == 200
    assert [(r, c) for r, c, _m in response.context["report"].errors] == [(3, "uscc")]
    assert not Enterprise.objects.exists()
    response = client.post("/enterprises/import/", {
        "file": SimpleUploadedFile("e.csv", content, content_type="text/csv"), "valid_only": "on"})
    assert list(Enterprise.objects.values_list("uscc", flat=True)) == [make_uscc(1)]
