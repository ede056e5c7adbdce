from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

from . import identifiers


class District(models.TextChoices):
    """Beijing's districts, keyed by their GB/T 2260 code."""

    DONGCHENG = "110101", _("Dongcheng")
    XICHENG = "110102", _("Xicheng")
    CHAOYANG = "110105", _("Chaoyang")
    FENGTAI = "110106", _("Fengtai")
    SHIJINGSHAN = "110107", _("Shijingshan")
    HAIDIAN = "110108", _("Haidian")
    MENTOUGOU = "110109", _("Mentougou")
    FANGSHAN = "110111", _("Fangshan")
    TONGZHOU = "110112", _("Tongzhou")
    SHUNYI = "110113", _("Shunyi")
    CHANGPING = "110114", _("Changping")
    DAXING = "110115", _("Daxing")
    HUAIROU = "110116", _("Huairou")
    PINGGU = "110117", _("Pinggu")
    MIYUN = "110118", _("Miyun")
    YANQING = "110119", _("Yanqing")


class EnterpriseRole(models.TextChoices):
    GENERATION_PROVIDER = "generation_provider", _("Generation provider")
    DISSEMINATION_PLATFORM = "dissemination_platform", _("Dissemination platform")
    APP_STORE = "app_store", _("App store")
    TECHNICAL_SUPPORTER = "technical_supporter", _("Technical supporter")


# Boolean field on Enterprise for each role (a firm may hold several); keyed
# by the role's value, as forms, filters and stored JSON give it.
ROLE_FIELDS: dict[str, str] = {
    EnterpriseRole.GENERATION_PROVIDER: "is_generation_provider",
    EnterpriseRole.DISSEMINATION_PLATFORM: "is_dissemination_platform",
    EnterpriseRole.APP_STORE: "is_app_store",
    EnterpriseRole.TECHNICAL_SUPPORTER: "is_technical_supporter",
}


class Modality(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    VIRTUAL_SCENE = "virtual_scene", _("Virtual scene")


MODALITY_FIELDS: dict[str, str] = {
    Modality.TEXT: "has_text",
    Modality.IMAGE: "has_image",
    Modality.AUDIO: "has_audio",
    Modality.VIDEO: "has_video",
    Modality.VIRTUAL_SCENE: "has_virtual_scene",
}


class RiskTier(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", pgettext_lazy("enterprise status", "Closed")


def validate_uscc(value: str) -> None:
    if not identifiers.uscc_is_valid(identifiers.normalize_uscc(value)):
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (check digit or format)."),
            code="invalid_uscc",
            params={"value": value},
        )


class Enterprise(TimeStampedModel):
    """An AI model operator or content platform under supervision."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    region_code = models.CharField(_("region code"), max_length=6, editable=False, db_index=True)
    district = models.CharField(_("district"), max_length=6, choices=District.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    is_generation_provider = models.BooleanField(_("generation provider"), default=False)
    is_dissemination_platform = models.BooleanField(_("dissemination platform"), default=False)
    is_app_store = models.BooleanField(_("app store"), default=False)
    is_technical_supporter = models.BooleanField(_("technical supporter"), default=False)
    user_agreement_url = models.URLField(_("user agreement URL"), blank=True)
    risk_tier = models.CharField(
        _("risk tier"), max_length=10, choices=RiskTier.choices, default=RiskTier.MEDIUM
    )
    # 0–100; ranks enterprises inside the high-risk stratum of a selection plan.
    risk_score = models.PositiveSmallIntegerField(_("risk score"), default=50)
    status = models.CharField(
        _("status"), max_length=10, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [
            # Registry list filters.
            models.Index(fields=["district", "risk_tier", "status"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])

    def clean(self) -> None:
        self.uscc = identifiers.normalize_uscc(self.uscc)
        if identifiers.uscc_is_valid(self.uscc):
            self.region_code = identifiers.uscc_region_code(self.uscc)

    def save(self, *args, **kwargs):
        # The region code is derived data; keep it true on every write path.
        self.uscc = identifiers.normalize_uscc(self.uscc)
        self.region_code = identifiers.uscc_region_code(self.uscc)
        super().save(*args, **kwargs)

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def get_roles_display(self) -> list[str]:
        return [str(EnterpriseRole(role).label) for role in self.roles]


class Service(TimeStampedModel):
    """A product through which an enterprise offers or spreads AI content."""

    class Kind(models.TextChoices):
        APP = "app", _("App")
        WEBSITE = "website", _("Website")
        MINI_PROGRAM = "mini_program", _("Mini-program")
        API = "api", _("API")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.CharField(_("URL or app store link"), max_length=255, blank=True)
    has_text = models.BooleanField(_("text"), default=False)
    has_image = models.BooleanField(_("image"), default=False)
    has_audio = models.BooleanField(_("audio"), default=False)
    has_video = models.BooleanField(_("video"), default=False)
    has_virtual_scene = models.BooleanField(_("virtual scene"), default=False)
    monthly_aigc_volume = models.PositiveIntegerField(_("monthly AIGC volume"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["enterprise", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="service_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def modalities(self) -> list[str]:
        return [m for m, field in MODALITY_FIELDS.items() if getattr(self, field)]

    def get_modalities_display(self) -> list[str]:
        return [str(Modality(m).label) for m in self.modalities]


class AlgorithmFiling(TimeStampedModel):
    """算法备案: number `网信算备` + 21 digits + `号`."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
        related_name="algorithm_filings",
    )
    number = models.CharField(_("filing number"), max_length=40, unique=True)
    algorithm_name = models.CharField(_("algorithm name"), max_length=120)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("algorithm filing")
        verbose_name_plural = _("algorithm filings")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if not identifiers.ALGORITHM_FILING_PATTERN.match(self.number or ""):
            raise ValidationError(
                {"number": _("An algorithm filing number reads 网信算备 + 21 digits + 号.")}
            )


class GenAIFiling(TimeStampedModel):
    """Generative-AI service filing (大模型备案) or local registration (登记)."""

    class Kind(models.TextChoices):
        FILING = "filing", _("Filing")
        REGISTRATION = "registration", _("Registration")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
        related_name="genai_filings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=80, unique=True)
    model_name = models.CharField(_("model or service"), max_length=120)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("generative-AI filing")
        verbose_name_plural = _("generative-AI filings")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class ProviderCode(TimeStampedModel):
    """A 27-character AIGC provider code (PG-20252A) that embeds the USCC."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
        related_name="provider_codes",
    )
    code = models.CharField(_("provider code"), max_length=27, unique=True)

    class Meta:
        verbose_name = _("AIGC provider code")
        verbose_name_plural = _("AIGC provider codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        uscc = self.enterprise.uscc if self.enterprise_id else None
        errors = provider_code_errors(self.code, uscc=uscc)
        if errors:
            raise ValidationError({"code": errors})


# The label checker's provider-code problems (identifiers.provider_code_check)
# in the registry user's words.
PROVIDER_CODE_MESSAGES = {
    "shape": _("A provider code has 27 characters: 00, 25 digits or capital letters."),
    "not_uscc_bound": _("Characters 3–4 must be 11 (an organisation bound to its USCC)."),
    "uscc_check_character": _(
        "The USCC inside the provider code (%(embedded)s) fails the USCC check character."),
    "uscc_not_enterprise": _("The USCC inside the provider code (%(embedded)s) is not this enterprise's."),
    "service_type": _(
        "Character 23 is the service type: 1 for a generation service, 2 for a dissemination "
        "service, 0 when unused (found “%(value)s”)."),
}


def provider_code_errors(code: str, *, uscc: str | None) -> list[str]:
    """Why the registry refuses ``code`` for the enterprise ``uscc`` (none: it passes the checker)."""
    return [str(PROVIDER_CODE_MESSAGES[problem.kind]) % problem.params
            for problem in identifiers.provider_code_check(code, uscc=uscc)]


class Contact(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name
