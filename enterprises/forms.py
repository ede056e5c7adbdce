"""
Forms of the registry pages. They validate input and hand plain dicts to
services.py; they never save anything themselves.
"""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core import filetypes
from core.forms import formfield_with_named_blank
from core.uploads import check_upload

from . import identifiers
from .models import (
    MODALITY_FIELDS,
    ROLE_FIELDS,
    AlgorithmFiling,
    Contact,
    Enterprise,
    EnterpriseRole,
    GenAIFiling,
    Modality,
    ProviderCode,
    Service,
    provider_code_errors,
)
from .services import CHILD_KINDS, RISK_SCORE_MAX


def _blank(label):
    return [("", label)]


class EnterpriseForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, choices=EnterpriseRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    risk_score = forms.IntegerField(
        label=_("Risk score"), min_value=0, max_value=RISK_SCORE_MAX, initial=50,
        help_text=_("0 to 100; ranks enterprises inside a risk tier."),
    )

    class Meta:
        model = Enterprise
        formfield_callback = formfield_with_named_blank
        fields = (
            "name", "uscc", "district", "address", "legal_representative", "roles",
            "user_agreement_url", "risk_tier", "risk_score", "status", "internal_notes",
        )
        widgets = {"internal_notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "uscc": _("18 characters; the last one is a check character (GB 32100-2015)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("roles", self.instance.roles)

    def clean_uscc(self) -> str:
        return identifiers.normalize_uscc(self.cleaned_data["uscc"])

    def service_fields(self) -> dict:
        """The cleaned data in the shape services.enterprise_create expects."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "roles"}
        chosen = set(self.cleaned_data.get("roles") or [])
        for role, field in ROLE_FIELDS.items():
            data[field] = role in chosen
        return data


class ServiceForm(forms.ModelForm):
    modalities = forms.MultipleChoiceField(
        label=_("Content modalities"), required=False, choices=Modality.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        formfield_callback = formfield_with_named_blank
        fields = ("name", "kind", "modalities", "monthly_aigc_volume", "url")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("modalities", self.instance.modalities)

    def item(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in CHILD_KINDS["services"].fields}
        chosen = set(self.cleaned_data.get("modalities") or [])
        for modality, field in MODALITY_FIELDS.items():
            data[field] = modality in chosen
        return data


class AlgorithmFilingForm(forms.ModelForm):
    class Meta:
        model = AlgorithmFiling
        fields = ("number", "algorithm_name", "filed_on")
        widgets = {"filed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class GenAIFilingForm(forms.ModelForm):
    class Meta:
        model = GenAIFiling
        formfield_callback = formfield_with_named_blank
        fields = ("kind", "number", "model_name", "filed_on")
        widgets = {"filed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ProviderCodeForm(forms.ModelForm):
    class Meta:
        model = ProviderCode
        fields = ("code",)

    def clean_code(self) -> str:
        return (self.cleaned_data["code"] or "").strip().upper()


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("name", "title", "phone", "email", "is_primary")


class ChildFormSet(BaseInlineFormSet):
    """An inline formset whose rows become plain dicts for the service."""

    kind = ""

    def items(self) -> list[dict]:
        fields = CHILD_KINDS[self.kind].fields
        result = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            if hasattr(form, "item"):
                item = form.item()
            else:
                item = {k: v for k, v in form.cleaned_data.items() if k in fields}
            if form.instance.pk:
                item["id"] = form.instance.pk
            result.append(item)
        return result


class ProviderCodeFormSet(ChildFormSet):
    """Provider codes must embed the USCC typed in the enterprise form."""

    expected_uscc = ""

    def clean(self):
        super().clean()
        if not self.expected_uscc:
            return
        for form in self.forms:
            code = form.cleaned_data.get("code") if hasattr(form, "cleaned_data") else None
            if not code or "code" in form.errors or self._should_delete_form(form):
                continue
            for message in provider_code_errors(code, uscc=self.expected_uscc):
                form.add_error("code", message)


def _formset(model, form, kind, base=ChildFormSet):
    formset = inlineformset_factory(
        Enterprise, model, form=form, formset=base, extra=1, can_delete=True
    )
    formset.kind = kind
    return formset


# (prefix, heading, formset class), in page order.
CHILD_FORMSETS = (
    ("services", _("Services and products"), _formset(Service, ServiceForm, "services")),
    ("algorithm_filings", _("Algorithm filings"),
     _formset(AlgorithmFiling, AlgorithmFilingForm, "algorithm_filings")),
    ("genai_filings", _("Generative-AI filings"),
     _formset(GenAIFiling, GenAIFilingForm, "genai_filings")),
    ("provider_codes", _("AIGC provider codes"),
     _formset(ProviderCode, ProviderCodeForm, "provider_codes", base=ProviderCodeFormSet)),
    ("contacts", _("Contacts"), _formset(Contact, ContactForm, "contacts")),
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8 or GB18030) or XLSX, in the export format."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    valid_only = forms.BooleanField(
        label=_("Import only the valid rows"), required=False,
        widget=forms.CheckboxInput(attrs={"style": "align-self: flex-start"}),
        help_text=_("Without this, nothing is imported when any row has an error."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False,
        widget=forms.CheckboxInput(attrs={"style": "align-self: flex-start"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        check_upload(upload, accepts=filetypes.TABLE, what=_("registry"))
        return upload
