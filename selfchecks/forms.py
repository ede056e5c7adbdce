from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.filetypes import ACCEPTED_LABELS
from core.uploads import MultipleFileField
from inspections.forms import FrameForm
from rectification.forms import DATE

from .models import Answer, Scope

TEXT_MAX = 4000


class LaunchForm(FrameForm):
    """A supervisor launches a self-inspection: title, due date, scope (the frame filters if chosen)."""

    field_order = ["title", "instructions", "due_date", "remind_days", "scope"]

    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(label=_("Instructions to the enterprises"), required=False,
                                   max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    remind_days = forms.IntegerField(label=_("Remind this many days before the due date"),
                                     min_value=0, max_value=30, initial=3)
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, widget=forms.RadioSelect,
                              initial=Scope.CAMPAIGN,
                              help_text=_("With a filter, the roles, districts, risk tiers and "
                                          "modalities below choose the enterprises."))

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items()
                if k in ("roles", "districts", "risk_tiers", "modalities") and v}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept the self-inspection report")),
        ("changes", _("Request changes")),
    ])
    comment = forms.CharField(label=_("Comment to the enterprise"), required=False,
                              max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    resubmit_by = forms.DateField(label=_("Resubmit by (when requesting changes)"), required=False,
                                  widget=DATE)


class ItemCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment on this item"), required=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}))


class FrontForm(forms.Form):
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    summary = forms.CharField(label=_("Overall summary"), max_length=TEXT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    declaration = forms.BooleanField(
        label=_("We declare that the answers of this self-inspection and its evidence are true, "
                "complete and accurate."), required=False)


class ItemForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), required=False, widget=forms.RadioSelect,
                               choices=Answer.choices)
    note = forms.CharField(label=_("How it was checked"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    plan_measures = forms.CharField(label=_("Rectification planned (if not compliant)"),
                                    required=False, max_length=TEXT_MAX,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    plan_start = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    plan_due = forms.DateField(label=_("Completed by"), required=False, widget=DATE)
    evidence_files = MultipleFileField(
        label=_("Add evidence files"), required=False,
        help_text=_("Accepted: %(list)s; up to %(mb)s MB each.") % {
            "list": ACCEPTED_LABELS, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})

    def clean(self):
        data = super().clean()
        start, due = data.get("plan_start"), data.get("plan_due")
        if start and due and due < start:
            self.add_error("plan_due", _("The rectification cannot be completed before it starts."))
        return data
