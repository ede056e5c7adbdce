import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from enterprises.models import Enterprise, ProviderCode, Service
from enterprises.services import enterprise_create, enterprise_update, enterprise_upsert
from tests.factories import EnterpriseFactory, ProviderCodeFactory, ServiceFactory, make_uscc

pytestmark = pytest.mark.django_db

USCC = "91110102MAD55U9H0F"


def fields(**overrides):
    data = {"name": "北京星河智算科技有限公司", "uscc": USCC, "district": "110102",
            "is_generation_provider": True, "risk_tier": "high", "risk_score": 80}
    data.update(overrides)
    return data


def test_it_creates_an_enterprise_with_children_and_audits_each(inspector):
    enterprise = enterprise_create(
        actor=inspector,
        fields=fields(uscc=USCC.lower()),
        children={
            "services": [{"name": "星河助手", "kind": "app", "has_text": True,
                          "monthly_aigc_volume": 100}],
            "provider_codes": [{"code": f"0011{USCC}00001"}],
        },
    )
    enterprise.refresh_from_db()
    assert enterprise.uscc == USCC
    assert enterprise.region_code == "110102"
    assert enterprise.services.get().has_text
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["enterprise.create", "providercode.create", "service.create"]
    assert set(AuditEvent.objects.values_list("enterprise_id", flat=True)) == {enterprise.pk}


def test_it_refuses_an_invalid_uscc(inspector):
    with pytest.raises(ValidationError) as exc:
        enterprise_create(actor=inspector, fields=fields(uscc="91110102MAD55U9H0A"))
    assert "uscc" in exc.value.message_dict
    assert not Enterprise.objects.exists()


def test_it_refuses_a_provider_code_of_another_uscc(inspector):
    other = make_uscc(999)
    with pytest.raises(ValidationError):
        enterprise_create(
            actor=inspector, fields=fields(),
            children={"provider_codes": [{"code": f"0011{other}00001"}]},
        )
    assert not Enterprise.objects.exists()
    assert not ProviderCode.objects.exists()


def test_changing_the_uscc_under_existing_provider_codes_is_refused(inspector):
    code = ProviderCodeFactory()
    enterprise = code.enterprise
    with pytest.raises(ValidationError):
        enterprise_update(enterprise=enterprise, actor=inspector, fields={"uscc": make_uscc(998)})
    enterprise.refresh_from_db()
    assert enterprise.provider_codes.get() == code


def test_an_update_without_changes_records_nothing(inspector):
    enterprise = EnterpriseFactory()
    result = enterprise_upsert(
        actor=inspector, fields={"uscc": enterprise.uscc, "name": enterprise.name}, children={}
    )
    assert result.changed is False
    assert not AuditEvent.objects.exists()


def test_an_update_records_only_the_changed_fields(inspector):
    enterprise = EnterpriseFactory(risk_score=10)
    enterprise_update(enterprise=enterprise, actor=inspector, fields={"risk_score": 90})
    event = AuditEvent.objects.get()
    assert event.action == "enterprise.update"
    assert event.before == {"risk_score": 10} and event.after == {"risk_score": 90}
    assert event.actor == inspector


def test_child_lists_are_replaced_by_key(inspector):
    enterprise = EnterpriseFactory()
    kept = ServiceFactory(enterprise=enterprise, name="保留", monthly_aigc_volume=1)
    ServiceFactory(enterprise=enterprise, name="删除")
    enterprise_update(
        enterprise=enterprise, actor=inspector, fields={},
        children={"services": [
            {"name": "保留", "kind": "app", "monthly_aigc_volume": 2},
            {"name": "新增", "kind": "api"},
        ]},
    )
    assert sorted(enterprise.services.values_list("name", flat=True)) == ["保留", "新增"]
    kept.refresh_from_db()
    assert kept.monthly_aigc_volume == 2
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "service.create", "service.delete", "service.update"]


def test_a_child_of_another_enterprise_cannot_be_edited_by_id(inspector, other_enterprise):
    enterprise = EnterpriseFactory()
    foreign = ServiceFactory(enterprise=other_enterprise)
    with pytest.raises(ValidationError):
        enterprise_update(enterprise=enterprise, actor=inspector, fields={},
                          children={"services": [{"id": foreign.pk, "name": "x", "kind": "app"}]})
    assert Service.objects.get(pk=foreign.pk).enterprise == other_enterprise


def test_risk_score_above_100_is_refused(inspector):
    with pytest.raises(ValidationError):
        enterprise_create(actor=inspector, fields=fields(risk_score=101))
