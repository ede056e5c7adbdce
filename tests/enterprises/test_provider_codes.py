"""One provider-code rule: the registry refuses exactly what the label checker cites (IMP-08)."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.demo import generate_enterprises
from enterprises.models import ProviderCode
from enterprises.services import enterprise_create
from inspections.labels.rules import validate_fields
from tests.factories import EnterpriseFactory

USCC = "91110102MAD55U9H0F"


def _checker_findings(code: str, uscc: str) -> list[str]:
    """The checker's findings on a label whose ContentProducer is ``code``, for the enterprise ``uscc``."""
    label = {"Label": "1", "ContentProducer": code, "ProduceID": "A1", "ContentPropagator": code,
             "PropagateID": "A1"}
    return [f"{finding.rule} {finding.message}" for finding in validate_fields("XMP", label, uscc)]


@pytest.mark.parametrize("seed", [1, 3, 2026])
def test_every_demo_provider_code_passes_the_checker(seed):
    records = generate_enterprises(rng=random.Random(seed))
    codes = [(child["code"], record["fields"]["uscc"])
             for record in records for child in record["children"]["provider_codes"]]
    assert len(codes) > 50
    failing = {code: _checker_findings(code, uscc) for code, uscc in codes}
    assert {code: found for code, found in failing.items() if found} == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "expected"), [
    (f"0011{USCC}90001", "第 23 位"),  # service type 9: the checker cites IMP-08
    (f"0011{USCC[:17]}A10001", "校验位"),  # the embedded USCC fails its check character
    (f"0012{USCC}10001", "第 3–4 位"),
    ("doubao", "27 位"),
])
def test_the_registry_refuses_what_the_checker_cites(inspector, code, expected):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        enterprise_create(
            actor=inspector,
            fields={"name": "北京星河智算科技有限公司", "uscc": USCC, "district": "110102",
                    "is_generation_provider": True, "risk_tier": "high", "risk_score": 80},
            children={"provider_codes": [{"code": code}]},
        )
    assert expected in str(refused.value)
    assert not ProviderCode.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["00000", "1XGW3", "20002"])
def test_the_registry_accepts_what_the_checker_passes(extension):
    enterprise = EnterpriseFactory(uscc=USCC)
    code = ProviderCode(enterprise=enterprise, code=f"0011{USCC}{extension}")
    code.full_clean()
    assert _checker_findings(code.code, USCC) == []
