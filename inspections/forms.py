"""Forms of the inspections pages: they validate input; services act on it."""

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import ModelIdsField, empty_choice, formfield_with_named_blank
from enterprises.models import District, EnterpriseRole, Modality, RiskTier, Service

from . import sampling, selection, uploads
from .models import (
    Campaign,
    Channel,
    Inspection,
    InspectionMethod,
    IssueCode,
    SelectionPlan,
    Severity,
    TargetBasis,
)
from .services import plans

# <input type="date"> takes ISO dates only; without a format the widget would
# render the locale's (2026/04/30 in zh-Hans) and the browser shows it empty.
# The largest draw size a form accepts (the national frame is a few thousand).
MAX_DRAW = 100_000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    aql = forms.TypedChoiceField(
        label=_("AQL (%)"), coerce=Decimal,
        choices=[(str(a), str(a)) for a in sampling.AQLS], initial="1.0",
        help_text=_("GB/T 2828.1 Table 2-A column (percent nonconforming)."),
    )

    class Meta:
        model = Campaign
        formfield_callback = formfield_with_named_blank
        fields = ["name", "code", "agency", "notice_prefix", "starts_on", "ends_on", "status",
                  "team", "focus_codes", "legal_basis", "sampling_rule", "aql", "detection_rate",
                  "detection_confidence"]
        widgets = {"starts_on": DATE, "ends_on": DATE,
                   "team": forms.CheckboxSelectMultiple,
                   "focus_codes": forms.SelectMultiple(attrs={"size": 10}),
                   "legal_basis": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        for name in ("detection_rate", "detection_confidence"):
            value = data.get(name)
            if value is not None and not 0 < value < 1:
                self.add_error(name, _("Enter a value between 0 and 1, e.g. 0.05."))
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = User.objects.filter(
            role=Role.INSPECTOR, is_active=True).order_by("username")
        if self.instance.pk and not self.is_bound:
            # The stored 1.000 must select the "1.0" column, not fall back to the first option.
            self.initial["aql"] = next((str(a) for a in sampling.AQLS if a == self.instance.aql),
                                       self.initial.get("aql"))

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("focus_codes", "team")}


class FrameForm(forms.Form):
    """Step 1 of the plan wizard: which enterprises are eligible."""

    roles = forms.MultipleChoiceField(label=_("Roles (any of)"), required=False,
                                      choices=EnterpriseRole.choices,
                                      widget=forms.CheckboxSelectMultiple)
    districts = forms.MultipleChoiceField(label=_("Districts"), required=False,
                                          choices=District.choices,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    risk_tiers = forms.MultipleChoiceField(label=_("Risk tiers"), required=False,
                                           choices=RiskTier.choices,
                                           widget=forms.CheckboxSelectMultiple)
    modalities = forms.MultipleChoiceField(label=_("Content modalities (any of)"), required=False,
                                           choices=Modality.choices,
                                           widget=forms.CheckboxSelectMultiple)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


def officer_queryset():
    return User.objects.filter(role__in=[Role.INSPECTOR, Role.SUPERVISOR], is_active=True).order_by(
        "username")


class StrataForm(forms.ModelForm):
    """Step 2 of the plan wizard: strata sizes, officers, dates and seed."""

    officer_pool = ModelIdsField(
        label=_("Officer pool"), queryset=officer_queryset(),
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(label=_("Inspection method"), choices=InspectionMethod.choices)

    class Meta:
        model = SelectionPlan
        fields = ["name", "high_risk_mode", "high_risk_k", "random_n", "verification_n",
                  "officers_per_inspection", "officer_pool", "method", "first_date", "last_date"]
        widgets = {"first_date": DATE, "last_date": DATE}
        help_texts = {
            "high_risk_k": _("Used when the high-risk stratum takes the top K by risk score."),
            "random_n": _("Drawn at random from the rest of the frame (low-risk excluded)."),
            "verification_n": _("Drawn at random from low-risk enterprises to check the risk model."),
        }

    def __init__(self, *args, team=(), frame_filters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.frame_filters = frame_filters or {}
        self.fields["officer_pool"].queryset = officer_queryset()
        for name in ("high_risk_k", "random_n", "verification_n"):
            self.fields[name].max_value = MAX_DRAW
            self.fields[name].validators.append(MaxValueValidator(MAX_DRAW))
        if not self.is_bound:
            self.initial.setdefault("officers_per_inspection", 2)
            # The campaign's inspection team when it has one; officers drawn
            # from outside it join the team when the plan is approved.
            self.initial.setdefault("officer_pool", list(team) or list(officer_queryset()))

    def clean(self):
        data = super().clean()
        if (data.get("officers_per_inspection") or 0) < 2:
            self.add_error("officers_per_inspection", _("At least two officers inspect together."))
        if data.get("first_date") and data.get("last_date") and data["last_date"] < data["first_date"]:
            self.add_error("last_date", _("The last date cannot be before the first."))
        pool = data.get("officer_pool")
        if pool is not None and len(pool) < (data.get("officers_per_inspection") or 2):
            self.add_error("officer_pool", _("The pool has fewer officers than one inspection needs."))
        if not self.errors:
            self._check_sizes(data)
        return data

    def _check_sizes(self, data) -> None:
        """The sizes against what the frame holds today, on the field concerned."""
        try:
            selection.check_sizes(
                plans.frame_candidates(filters=self.frame_filters),
                high_risk_mode=data["high_risk_mode"], high_risk_k=data.get("high_risk_k") or 0,
                random_n=data.get("random_n") or 0, verification_n=data.get("verification_n") or 0)
        except selection.DrawError as error:
            target = {selection.STRATUM_HIGH: "high_risk_k", selection.STRATUM_RANDOM: "random_n",
                      selection.STRATUM_VERIFICATION: "verification_n"}.get(
                          error.params.get("stratum", ""))
            self.add_error(target, plans.draw_error_message(error))

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "officer_pool"}


class TargetedForm(forms.Form):
    """A targeted inspection: which enterprise, on what basis, why, by whom and when."""

    enterprise = forms.CharField(label=_("Enterprise (USCC or full name)"), max_length=200)
    basis = forms.ChoiceField(label=_("Basis"), choices=TargetBasis.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Recorded with the inspection: what prompted it."))
    officers = ModelIdsField(label=_("Officers"), queryset=User.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    method = forms.ChoiceField(label=_("Inspection method"), choices=InspectionMethod.choices)

    def __init__(self, *args, enterprise_fixed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officer_queryset()
        self.fields["officers"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.enterprise_fixed = enterprise_fixed
        if enterprise_fixed is not None:
            del self.fields["enterprise"]
            del self.fields["basis"]
        if not self.is_bound:
            self.initial.setdefault("planned_date", timezone.localdate())

    def clean_enterprise(self):
        from django.db.models import Q

        from enterprises.models import Enterprise

        text = self.cleaned_data["enterprise"].strip()
        found = list(Enterprise.objects.filter(Q(uscc=text.upper()) | Q(name=text))[:2])
        if len(found) != 1:
            raise forms.ValidationError(_("No single registered enterprise has this USCC or name."))
        return found[0]

    def clean_planned_date(self):
        day = self.cleaned_data["planned_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The planned date cannot be in the past."))
        if day > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("Plan the inspection within a year."))
        return day


class RedrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for drawing again"), max_length=300, required=False,
                             strip=True)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class ItemForm(forms.Form):
    """One sampled item, file first: the modality is read from the file unless chosen."""

    file = forms.FileField(label=_("Content file"), required=False,
                           help_text=_("The type is detected from the content; the SHA-256 is recorded."))
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False,
                                     empty_label=empty_choice(required=False))
    modality = forms.ChoiceField(
        label=_("Modality"), required=False,
        choices=[("", _("From the file's type")), *Modality.choices],
        help_text=_("Left on “From the file's type”, a picture is recorded as an image, a video as "
                    "a video, and so on."))
    content_ref = forms.CharField(label=_("URL or content id"), max_length=500)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    captured_at = forms.DateTimeField(
        label=_("Captured at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    screenshot = forms.FileField(label=_("Screenshot"), required=False,
                                 help_text=_("PNG, JPEG, WebP or GIF."))
    text_sample = forms.CharField(
        label=_("Text sample"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For text content, paste the start or the end as published: the explicit "
                    "label (EXP-03, “AI”/“人工智能” with “生成”/“合成”) is checked automatically."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        services = list(inspection.enterprise.services.order_by("name"))
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = inspection.enterprise.services.order_by("name")
        # With several services an item must say whose it is, or it counts
        # toward no service's sample (item_create refuses it too).
        service_field.required = len(services) > 1
        service_field.empty_label = empty_choice(required=service_field.required)
        if not self.is_bound:
            self.initial["captured_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
            # When the inspection samples one service (or the enterprise has
            # one), items are that service's.
            sampled = [s.service for s in inspection.sampled_services.select_related("service")[:2]]
            if len(sampled) == 1:
                self.initial["service"] = sampled[0].pk
            elif len(services) == 1:
                self.initial["service"] = services[0].pk

    def clean(self):
        data = super().clean()
        if data.get("modality"):
            return data
        upload = data.get("file")
        if upload is None:
            self.add_error("modality", _("Without a file, choose the modality."))
            return data
        modality = uploads.modality_of_upload(upload)
        if modality is None:
            self.add_error("modality", _("The file's type does not tell the modality: choose it."))
        else:
            data["modality"] = modality
        return data


class FindingForm(forms.Form):
    issue_code = forms.ModelChoiceField(label=_("Issue code"),
                                        queryset=IssueCode.objects.filter(active=True),
                                        empty_label=empty_choice())
    description = forms.CharField(label=_("Facts found"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label=_("Legal basis"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Leave empty to use the issue code's legal basis."))
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", _("Default of the code")), *Severity.choices])
    period = forms.IntegerField(label=_("Rectification period"), required=False, min_value=1,
                                help_text=_("Supervisors only; leave empty for the code's default."))
    change_reason = forms.CharField(label=_("Reason for a non-default period"), required=False,
                                    max_length=300)


class DeadlineForm(forms.Form):
    period = forms.IntegerField(label=_("New period (counted from today)"), required=False,
                                min_value=1)
    deadline = forms.DateField(label=_("Or a new deadline"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean(self):
        data = super().clean()
        if not data.get("period") and not data.get("deadline"):
            raise forms.ValidationError(_("Give a new period or a new deadline."))
        if data.get("deadline") and data["deadline"] < datetime.date.today():
            self.add_error("deadline", _("The deadline cannot lie in the past."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)
