"""Forms of the tip-off pages: they validate and bound input; services act on it."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import ModelIdsField, empty_choice
from core.uploads import check_upload
from enterprises.models import Enterprise
from inspections import uploads
from inspections.models import Campaign, Inspection, InspectionMethod, IssueCode

from . import captcha
from .models import TipCategory, TipOff, TipStatus

MAX_DESCRIPTION = 3000
EARLIEST = datetime.date(2000, 1, 1)


def max_file_bytes() -> int:
    return getattr(settings, "TIPOFF_MAX_BYTES", 10 * 2**20)


class PublicTipOffForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=TipCategory.choices)
    service_name = forms.CharField(label=_("Service, app or account concerned"), max_length=200,
                                   help_text=_("The name of the app, website, account or AI service."))
    url = forms.URLField(label=_("Web address"), max_length=500, required=False,
                         assume_scheme="https",
                         help_text=_("Where the content can be seen, if it has an address."))
    description = forms.CharField(label=_("What did you see?"), max_length=MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    seen_on = forms.DateField(label=_("Seen on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    file = forms.FileField(label=_("File (optional)"), required=False,
                           help_text=_("An image, video, audio or document you received, at most "
                                       "10 MB. It is checked for AI labels at once."))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    reporter_contact = forms.CharField(
        label=_("Your phone or e-mail (optional)"), max_length=200, required=False,
        help_text=_("Only the staff handling your report see it, to ask you questions. It is "
                    "never shown on the status page."))
    captcha_answer = forms.CharField(label="", max_length=3)
    captcha_token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new question every time the form is shown (a used one never works twice).
        question, self._new_token = captcha.new_challenge()
        self.fields["captcha_answer"].label = _("Check: %(question)s") % {"question": question}
        self.fields["captcha_answer"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["captcha_token"] = self._new_token

    def refresh_captcha(self) -> None:
        """After a refusal: the new question, an empty answer, everything else as typed."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["captcha_token"] = self._new_token
        data["captcha_answer"] = ""
        self.data = data

    def clean_seen_on(self):
        day = self.cleaned_data.get("seen_on")
        if day and not EARLIEST <= day <= timezone.localdate():
            raise ValidationError(_("Give a date between 2000 and today."))
        return day

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        self.upload_info = check_upload(upload, accepts=uploads.CONTENT, what=_("attachment"),
                                        max_bytes=max_file_bytes())
        return upload

    def clean(self):
        data = super().clean()
        if self.errors:
            return data  # the check is used up only by an otherwise valid report
        if not captcha.check(self.data.get("captcha_token", ""), data.get("captcha_answer", "")):
            self.add_error("captcha_answer", _("The answer to the check is wrong or has expired: "
                                               "answer the new question."))
        return data

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items()
                if k not in ("file", "captcha_answer", "captcha_token")}


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=16, min_length=6)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Code, service or enterprise"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + TipStatus.choices)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All"))] + TipCategory.choices)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class DecisionForm(forms.Form):
    to = forms.ChoiceField(label=_("Triage decision"), choices=[
        (TipStatus.UNDER_REVIEW, _("Take up for review")),
        (TipStatus.VALID, _("Substantiated")),
        (TipStatus.INVALID, _("Not substantiated")),
        (TipStatus.CLOSED, _("Close")),
    ])
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), required=False, queryset=User.objects.none(),
                                      empty_label=empty_choice(required=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            role__in=[Role.INSPECTOR, Role.SUPERVISOR], is_active=True).order_by("first_name", "username")
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class LinkForm(forms.Form):
    enterprise = forms.CharField(label=_("Enterprise (USCC or full name)"), max_length=200)

    def clean_enterprise(self):
        text = self.cleaned_data["enterprise"].strip()
        found = list(Enterprise.objects.filter(Q(uscc=text.upper()) | Q(name=text))[:2])
        if len(found) != 1:
            raise ValidationError(_("No single registered enterprise has this USCC or name."))
        return found[0]


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking code of the report it duplicates"), max_length=16)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_into(self):
        code = self.cleaned_data["into"].strip().upper()
        target = TipOff.objects.filter(tracking_code=code).first()
        if target is None:
            raise ValidationError(_("No tip-off has this tracking code."))
        return target


class ConvertInspectionForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(),
                                      empty_label=empty_choice())
    officers = ModelIdsField(label=_("Officers"), queryset=User.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    planned_date = forms.DateField(label=_("Planned date"),
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    method = forms.ChoiceField(label=_("Inspection method"), choices=InspectionMethod.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(
            status=Campaign.Status.ACTIVE).order_by("-starts_on")
        self.fields["officers"].queryset = User.objects.filter(
            role__in=[Role.INSPECTOR, Role.SUPERVISOR], is_active=True).order_by("first_name", "username")
        self.fields["officers"].label_from_instance = lambda u: u.get_full_name() or u.username
        if not self.is_bound:
            self.initial.setdefault("planned_date", timezone.localdate())


class ConvertFindingForm(forms.Form):
    inspection = forms.ModelChoiceField(label=_("Inspection"), queryset=Inspection.objects.none(),
                                        empty_label=empty_choice())
    issue_code = forms.ModelChoiceField(label=_("Issue code"), queryset=IssueCode.objects.filter(active=True),
                                        empty_label=empty_choice())
    description = forms.CharField(label=_("Facts found"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, inspections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inspections is not None:
            self.fields["inspection"].queryset = inspections
        self.fields["inspection"].label_from_instance = lambda i: (
            f"{i.planned_date:%Y-%m-%d} · {i.campaign.name} · {i.get_status_display()}")
