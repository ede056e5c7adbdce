"""factory_boy factories shared by every test module."""

import random

import factory
from django.contrib.auth import get_user_model

from accounts.models import Role
from enterprises import identifiers
from enterprises.models import (
    AlgorithmFiling,
    Contact,
    District,
    Enterprise,
    GenAIFiling,
    ProviderCode,
    RiskTier,
    Service,
)

TEST_PASSWORD = "Lw-test-Passw0rd!"


def make_uscc(n: int, region: str = "110108") -> str:
    """A valid, unique USCC for the n-th test enterprise."""
    rng = random.Random(n)
    body = "".join(rng.choice(identifiers.USCC_ALPHABET) for _ in range(9))
    # The n-th code embeds n so that codes never collide inside a test run.
    body = (f"{n:05d}" + body)[:9]
    return identifiers.uscc_complete(f"91{region}{body}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"北京测试智能科技有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1))
    district = District.HAIDIAN
    address = "北京市海淀区中关村大街1号"
    legal_representative = "张三"
    is_generation_provider = True
    risk_tier = RiskTier.MEDIUM


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"智能助手{n}")
    kind = Service.Kind.APP
    has_text = True
    has_image = True
    monthly_aigc_volume = 5000


class AlgorithmFilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlgorithmFiling

    enterprise = factory.SubFactory(EnterpriseFactory)
    number = factory.Sequence(lambda n: f"网信算备110108{n:07d}{2400000 + n:08d}号")
    algorithm_name = "文本生成算法"


class GenAIFilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GenAIFiling

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = GenAIFiling.Kind.FILING
    number = factory.Sequence(lambda n: f"Beijing-CeShiMoXing{n}-20240101")
    model_name = "测试大模型"


class ProviderCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderCode

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"0011{o.enterprise.uscc}1{n:04d}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "李四"
    phone = "010-12345678"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    is_primary = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = "测试"
    role = Role.INSPECTOR
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EnterpriseUserFactory(UserFactory):
    role = Role.ENTERPRISE
    enterprise = factory.SubFactory(EnterpriseFactory)


# --- inspections -----------------------------------------------------------

import datetime  # noqa: E402

from django.utils import timezone  # noqa: E402

from enterprises.models import Modality  # noqa: E402
from inspections.models import (  # noqa: E402
    Campaign,
    Channel,
    Finding,
    Inspection,
    IssueCode,
    SampledItem,
    Severity,
)


class IssueCodeFactory(factory.django.DjangoModelFactory):
    """Tests normally use the codes shipped by the data migration; this makes extra ones."""

    class Meta:
        model = IssueCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TST-{n:02d}")
    category = "IMP"
    title_zh = "测试问题"
    title_en = "Test issue"
    legal_basis = "《人工智能生成合成内容标识办法》第五条"
    default_severity = Severity.MEDIUM
    default_period = 15


AGENCY_DEFAULTS = {
    "short_name": "我办", "level": "municipal", "government": "北京市人民政府",
    "portal_name": "北京市互联网信息办公室网上执法平台", "portal_url": "https://zhifa.example.gov.cn/",
    "address": "北京市东城区示例路1号", "telephone": "010-55550123", "contact_person": "陈主管",
}


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"2026 清朗·整治AI应用乱象 {n}")
    code = factory.Sequence(lambda n: f"QL2026-T{n}")
    agency = "北京市互联网信息办公室"
    notice_prefix = "京网信改"
    starts_on = datetime.date(2026, 4, 30)
    ends_on = datetime.date(2026, 12, 31)

    @factory.post_generation
    def agency_data(obj, create, extracted, **kwargs):
        """The campaign's agency is in the agency data, complete (documents need it)."""
        if create:
            from legal.models import Agency

            Agency.objects.get_or_create(name=obj.agency, defaults=AGENCY_DEFAULTS)

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        """CampaignFactory(team=[inspector]): the inspectors assigned (DOMAIN §2)."""
        if create and extracted:
            obj.team.add(*extracted)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    planned_date = datetime.date(2026, 11, 2)
    status = Inspection.Status.IN_PROGRESS

    @factory.post_generation
    def officers(obj, create, extracted, **kwargs):
        # As the services do: an inspection's officers are on its campaign's team.
        if create and extracted:
            obj.officers.set(extracted)
            obj.campaign.team.add(*[officer for officer in extracted if officer.role == Role.INSPECTOR])


class SampledItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SampledItem

    inspection = factory.SubFactory(InspectionFactory)
    modality = Modality.IMAGE
    content_ref = factory.Sequence(lambda n: f"https://example.com/content/{n}")
    channel = Channel.DOWNLOAD
    captured_at = factory.LazyFunction(timezone.now)
    captured_by = factory.SubFactory(UserFactory)


class FindingFactory(factory.django.DjangoModelFactory):
    """A finding created directly (tests of the lifecycle use the service)."""

    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    enterprise = factory.SelfAttribute("inspection.enterprise")
    campaign = factory.SelfAttribute("inspection.campaign")
    issue_code = factory.SubFactory(IssueCodeFactory)
    severity = Severity.MEDIUM
    legal_basis = "《人工智能生成合成内容标识办法》第五条"
    description = "抽检图片未添加隐式标识"
    period = 15
    period_unit = "working_days"
    deadline = datetime.date(2026, 12, 17)
    # The period runs (its notice was served); None for a notice not yet served.
    deadline_from = factory.LazyFunction(timezone.now)
