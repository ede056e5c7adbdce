from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.filetypes import ACCEPTED_LABELS
from core.forms import ModelIdsField
from core.uploads import MultipleFileField
from inspections.models import Finding, InspectionMethod

from .models import EscalationKind, RectificationReport

# HTML date inputs need ISO dates whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportStartForm(forms.Form):
    findings = ModelIdsField(
        label=_("Findings covered by this report"), queryset=Finding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = findings
        self.fields["findings"].initial = [f.pk for f in findings]
        self.fields["findings"].label_from_instance = lambda f: (
            f"{f.issue_code_id} · {f.issue_code.title} · {_('deadline')} {f.deadline:%Y-%m-%d}"
        )


class ReportFrontForm(forms.ModelForm):
    class Meta:
        model = RectificationReport
        fields = ["responsible_person", "contact_person", "contact_phone", "summary", "declaration"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        labels = {"declaration": _("We declare that the contents of this report and its "
                                   "evidence are true, complete and accurate (承诺书).")}
        help_texts = {"declaration": ""}


class ResponseForm(forms.Form):
    measures = forms.CharField(label=_("Measures taken"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    long_term_measures = forms.CharField(
        label=_("Long-term measures (how recurrence is prevented)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    completed_on = forms.DateField(label=_("Date completed"), required=False, widget=DATE)
    # The form metaclass moves declared fields into base_fields, so this never
    # shadows BaseForm.files at run time; mypy sees only the class attribute.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Add evidence files"), required=False,
        help_text=_("Accepted: %(list)s; up to %(mb)s MB each.") % {
            "list": ACCEPTED_LABELS, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
    )

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The completion date cannot be in the future."))
        return value


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accepted", _("Accept: the finding is rectified")),
                 ("changes_requested", _("Request changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the enterprise"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the enterprise. Required when changes are requested."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Staff only; never shown to the enterprise."),
    )


class ReverificationForm(forms.Form):
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=InspectionMethod.choices)
    officers = ModelIdsField(
        label=_("Officers (at least two)"),
        queryset=User.objects.filter(role__in=[Role.INSPECTOR, Role.SUPERVISOR], is_active=True)
        .order_by("username"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    note = forms.CharField(label=_("Instructions"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionRequestForm(forms.Form):
    requested_deadline = forms.DateField(label=_("Requested new deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "1",
        choices=[("1", _("Approve: move the deadline")), ("0", _("Deny"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note to the enterprise"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when denying."))


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"),
        # The ladder records interviews only: a warning or a fine is an
        # administrative penalty and goes through a case (cases app).
        choices=[(EscalationKind.INTERVIEW.value, EscalationKind.INTERVIEW.label)],
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    attendees = forms.CharField(label=_("Attendees"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.FileField(label=_("Minutes file"), required=False,
                              help_text=_("Accepted: %(list)s.") % {"list": ACCEPTED_LABELS})
    notes = forms.CharField(label=_("Internal notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


