"""Forms of the notice and verification pages (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import filetypes
from core.forms import ModelIdsField
from core.uploads import check_upload

from .models import Notice, ServiceMethod

# Verification uploads: a notice PDF is a few hundred KB; refuse anything big.
VERIFY_MAX_BYTES = 5 * 1024 * 1024


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["party_name", "party_uscc", "party_address", "party_legal_rep", "facts",
                  "violations", "order_basis", "measures", "submission", "consequences", "remedies"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ["facts", "violations", "order_basis", "measures", "submission", "consequences",
                    "remedies"]}
        help_texts = {
            "facts": _("One paragraph per line. Lines starting with [E] are evidence references."),
            "order_basis": _("The sentence continues with the deadline counted at issuance."),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ServiceForm(forms.Form):
    """Service made by officers, with every element of the proof of service (送达回证)."""

    method = forms.ChoiceField(label=_("Service method"), choices=[
        (m.value, m.label) for m in ServiceMethod if m != ServiceMethod.ELECTRONIC])
    served_at = forms.DateTimeField(label=_("Served at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place of service"), max_length=200, required=False)
    recipient = forms.CharField(label=_("Signed for by"), max_length=100, required=False)
    by_agent = forms.BooleanField(label=_("Received by someone for the party (代收人)"), required=False)
    agent_relation = forms.CharField(label=_("Agent's relation to the party"), max_length=100, required=False)
    agent_reason = forms.CharField(label=_("Why an agent received it"), max_length=200, required=False)
    refusal = forms.CharField(label=_("Refusal to sign (留置)"), max_length=200, required=False)
    witnesses = forms.CharField(label=_("Witnesses (留置)"), max_length=200, required=False)
    entrusted_to = forms.CharField(label=_("Entrusted body (委托)"), max_length=200, required=False)
    announcement = forms.CharField(label=_("Announcement: where and when (公告)"), max_length=300, required=False)
    # An id beyond any database integer is an invalid choice, not a 500 (core.forms).
    servers: forms.ModelMultipleChoiceField = ModelIdsField(
        label=_("Served by (officers)"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Role, User

        self.fields["servers"].queryset = User.objects.filter(
            role__in=[Role.INSPECTOR, Role.SUPERVISOR], is_active=True).order_by("username")


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "LW-XXXX-XXXX", "autocomplete": "off"}))
    file = forms.FileField(label=_("Or upload the PDF"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        check_upload(upload, accepts=filetypes.PDF_ONLY, what=_("notice"), max_bytes=VERIFY_MAX_BYTES)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("Type the verification code or upload the PDF."))
        return data
