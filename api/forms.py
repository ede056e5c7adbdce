import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import TokenScope

VALIDITY_CHOICES = [
    (30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80,
        help_text=_("The system that will use it, e.g. “ticketing system”."))
    scope = forms.ChoiceField(
        label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only: list findings and notices, download PDFs. Read and write: "
                    "also acknowledge notices, submit rectification reports and extension "
                    "requests."))
    days = forms.TypedChoiceField(label=_("Valid for"), choices=VALIDITY_CHOICES, coerce=int,
                                  initial=90)

    def expires_at(self) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(days=self.cleaned_data["days"])
