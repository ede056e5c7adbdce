"""The GET filters shared by every analytics chart, drill-down and export."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enterprises.models import District, EnterpriseRole, Modality
from inspections.models import IssueCategory, Severity
from inspections.selectors import campaign_list

from .filters import AnalyticsFilters, default_period

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DIMENSIONS = [
    ("", _("overall")),
    ("role", _("enterprise role")),
    ("district", _("district")),
    ("modality", _("modality")),
    ("category", _("issue category")),
]


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def _blank(label):
    return [("", label)]


class AnalyticsFilterForm(forms.Form):
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    role = forms.ChoiceField(label=_("Enterprise role"), required=False,
                             choices=_blank(_("All roles")) + list(EnterpriseRole.choices))
    district = forms.ChoiceField(label=_("District"), required=False,
                                 choices=_blank(_("All districts")) + list(District.choices))
    modality = forms.ChoiceField(label=_("Modality"), required=False,
                                 choices=_blank(_("All modalities")) + list(Modality.choices))
    partial = forms.BooleanField(label=_("Compare the unfinished month"), required=False)

    def __init__(self, data=None, *, viewer: User, **kwargs) -> None:
        super().__init__(data, **kwargs)
        start, end = default_period()
        self.fields["start"].initial = f"{start:%Y-%m}"
        self.fields["end"].initial = f"{end:%Y-%m}"
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ChoiceField)
        campaign.choices = _blank(_("All campaigns")) + [
            (pk, name) for pk, name in campaign_list(viewer=viewer).order_by("-starts_on").values_list("pk", "name")
        ]

    def filters(self, extra: dict | None = None) -> AnalyticsFilters:
        """The valid filters; invalid values fall back to the defaults."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start, end = default_period()
        start = data.get("start") or start
        end = data.get("end") or end
        if start > end:
            start, end = end, start
        return AnalyticsFilters(
            start=start, end=end, campaign_id=data.get("campaign"),
            role=data.get("role") or "", district=data.get("district") or "",
            modality=data.get("modality") or "", include_partial=bool(data.get("partial")),
            extra=extra or {},
        )


class DrillForm(forms.Form):
    """The clicked point of a chart: which list, and which slice of it."""

    kind = forms.ChoiceField(choices=[("findings", "findings"), ("items", "items")], required=False)
    basis = forms.ChoiceField(
        choices=[("created", "created"), ("due", "due"), ("closed", "closed")], required=False
    )
    failing = forms.BooleanField(required=False)
    late = forms.BooleanField(required=False)
    repeat = forms.BooleanField(required=False)
    category = forms.ChoiceField(choices=_blank("") + list(IssueCategory.choices), required=False)
    severity = forms.ChoiceField(choices=_blank("") + list(Severity.choices), required=False)
    issue_code = forms.CharField(max_length=10, required=False)
    enterprise = forms.IntegerField(min_value=1, required=False)

    def extra(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "", False)}
