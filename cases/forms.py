from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import ModelIdsField, empty_choice
from enterprises.models import Enterprise
from inspections.models import Finding, IssueCode
from reports.notices.forms import ServiceForm as NoticeServiceForm

from .models import (
    CaseSource,
    CaseStatus,
    Outcome,
    PartyConfirmation,
    PenaltyKind,
    RecordKind,
    SubmissionKind,
)


def officer_queryset():
    return User.objects.filter(role__in=(Role.INSPECTOR, Role.SUPERVISOR), is_active=True,
                               certificate_valid_until__gte=timezone.localdate()
                               ).exclude(certificate_number="").order_by("first_name", "username")


class OfficerChoiceField(ModelIdsField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name() or obj.username}（{obj.certificate_number}）"


class ProposeForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Party"), queryset=Enterprise.objects.order_by("name"),
                                        widget=forms.HiddenInput, empty_label=empty_choice())
    source = forms.ChoiceField(label=_("Source of the clue"), choices=CaseSource.choices)
    cause = forms.CharField(label=_("Cause of action (案由)"), max_length=200)
    facts = forms.CharField(label=_("Facts as found so far"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    clue_found_on = forms.DateField(label=_("Clue discovered on"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = ModelIdsField(label=_("Findings"), queryset=Finding.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    team = OfficerChoiceField(label=_("Case team (at least two certified officers)"),
                              queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = officer_queryset()
        if enterprise is not None:
            from inspections.models import OPEN_STATUSES

            self.fields["findings"].queryset = Finding.objects.filter(
                enterprise=enterprise, status__in=OPEN_STATUSES).select_related("issue_code")
            self.fields["findings"].label_from_instance = (
                lambda f: f"{f.issue_code_id} · {f.get_status_display()} · {f.description[:60]}")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PriorNoticeForm(forms.Form):
    intended_penalty = forms.ChoiceField(label=_("Intended penalty"), choices=PenaltyKind.choices)
    intended_amount = forms.DecimalField(label=_("Intended fine (yuan)"), required=False, min_value=0,
                                         max_digits=12, decimal_places=2)
    grounds = forms.CharField(label=_("Provisions and grounds"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    hearing_right = forms.BooleanField(label=_("The party has the right to a hearing"), required=False)
    # Only for a case without findings: the conduct the penalty rests on.
    conduct_codes = ModelIdsField(
        label=_("Conduct (issue codes)"), queryset=IssueCode.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("This case has no findings: choose the issue codes of the conduct found. The "
                    "provisions violated are those in force on the date of the conduct."))
    conduct_on = forms.DateField(label=_("Date of the conduct"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and not case.findings.exists():
            self.fields["conduct_codes"].queryset = IssueCode.objects.filter(active=True).order_by("code")
            self.fields["conduct_codes"].required = self.fields["conduct_on"].required = True
        else:
            del self.fields["conduct_codes"], self.fields["conduct_on"]


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=[
        (Outcome.PENALTY, Outcome.PENALTY.label), (Outcome.NO_PENALTY, Outcome.NO_PENALTY.label)])
    penalty = forms.ChoiceField(label=_("Penalty"), choices=[("", "—"), *PenaltyKind.choices],
                                required=False)
    amount = forms.DecimalField(label=_("Fine (yuan)"), required=False, min_value=0,
                                max_digits=12, decimal_places=2)
    decision_text = forms.CharField(label=_("Decision"), max_length=10000,
                                    widget=forms.Textarea(attrs={"rows": 4}))


class TransferForm(forms.Form):
    transferred_to = forms.CharField(label=_("Public security organ"), max_length=120)
    reason = forms.CharField(label=_("Why the conduct is suspected to be a crime"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PerformanceForm(forms.Form):
    performed_on = forms.DateField(label=_("Performed on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("How the decision was performed"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Record"), choices=RecordKind.choices)
    place = forms.CharField(label=_("Place"), max_length=200)
    started_at = forms.DateTimeField(label=_("Started at"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ended_at = forms.DateTimeField(label=_("Ended at"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    person = forms.CharField(label=_("Person questioned or present"), max_length=120, required=False)
    person_position = forms.CharField(label=_("Position"), max_length=120, required=False)
    content = forms.CharField(label=_("Content"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8}))
    officers = OfficerChoiceField(label=_("Officers present (at least two)"), queryset=User.objects.none(),
                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["officers"].queryset = User.objects.filter(
                case_assignments__case=case, case_assignments__active=True)


class PartyConfirmationForm(forms.Form):
    confirmation = forms.ChoiceField(label=_("The party"), choices=[
        c for c in PartyConfirmation.choices if c[0] != PartyConfirmation.PENDING])
    refusal_note = forms.CharField(label=_("Note of the refusal"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class InterviewNoticeForm(forms.Form):
    when = forms.DateTimeField(label=_("Interview at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    matters = forms.CharField(label=_("Matters"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class HearingNoticeForm(forms.Form):
    when = forms.DateTimeField(label=_("Hearing at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    host = forms.ModelChoiceField(label=_("Host (not an investigator)"), queryset=User.objects.none(),
                                  empty_label=empty_choice())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = User.objects.filter(
            role__in=(Role.INSPECTOR, Role.SUPERVISOR), is_active=True).order_by("first_name")


class ServiceForm(NoticeServiceForm):
    """
    Service made by officers, with every element of the proof of service
    (the notices' form); the officers who served it come from the case team.
    """

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            field = self.fields["servers"]
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.queryset = User.objects.filter(
                    case_assignments__case=case, case_assignments__active=True).order_by("first_name", "username")


class RecusalDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                   choices=[("1", _("Grant: the officer stands down")), ("0", _("Refuse"))])
    note = forms.CharField(label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    replacement = forms.ModelChoiceField(label=_("Replacement officer"), required=False,
                                         queryset=User.objects.none(),
                                         empty_label=empty_choice(required=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = officer_queryset()


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("You submit"), choices=[
        (SubmissionKind.STATEMENT, SubmissionKind.STATEMENT.label),
        (SubmissionKind.HEARING_REQUEST, SubmissionKind.HEARING_REQUEST.label)])
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))


class PartyRecusalForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none(),
                                     empty_label=empty_choice())
    reason = forms.CharField(label=_("Why the officer should stand down"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["officer"].queryset = User.objects.filter(
                case_assignments__case=case, case_assignments__active=True)
            self.fields["officer"].label_from_instance = (
                lambda u: f"{u.get_full_name() or u.username}（{u.certificate_number}）")


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CaseStatus.choices],
                               required=False)
    q = forms.CharField(label=_("Number or party"), max_length=100, required=False)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
