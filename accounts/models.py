from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Inspector")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    ENTERPRISE = "enterprise", _("Enterprise user")
    ADMIN = "admin", _("Administrator")


# Roles that work inside the administration (everything but the portal).
STAFF_ROLES = frozenset({Role.INSPECTOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN})


class User(AbstractUser):
    """
    A person who logs in. Staff roles see the administration's pages; an
    enterprise user is bound to exactly one enterprise and sees only its portal.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
        help_text=_("Used for e-mails and the interface after login."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # 执法证: only an officer holding a valid law-enforcement certificate may
    # act in an administrative case (网信部门行政执法程序规定; 行政处罚法 Art. 42).
    certificate_number = models.CharField(
        _("law-enforcement certificate number"), max_length=40, blank=True,
        help_text=_("The number printed on the officer's law-enforcement certificate (执法证)."),
    )
    certificate_valid_until = models.DateField(
        _("certificate valid until"), null=True, blank=True,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # The portal's isolation rests on this: enterprise users always
            # have exactly one enterprise, staff never have one.
            models.CheckConstraint(
                name="user_enterprise_iff_enterprise_role",
                condition=(
                    models.Q(role="enterprise", enterprise__isnull=False)
                    | (~models.Q(role="enterprise") & models.Q(enterprise__isnull=True))
                ),
            ),
        ]

    def __str__(self) -> str:
        # People are named by their name; the login name only when there is none.
        return self.get_full_name() or self.username

    @property
    def is_enterprise_user(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    def is_certified_on(self, day) -> bool:
        """True when the user holds a law-enforcement certificate valid on `day`."""
        return bool(
            self.role in (Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN)
            and self.certificate_number.strip()
            and self.certificate_valid_until is not None
            and self.certificate_valid_until >= day
        )

    @property
    def can_edit(self) -> bool:
        """Staff who may change data; analysts are read-only."""
        return self.role in (Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN)
