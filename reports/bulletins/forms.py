"""Form of a bulletin's text (validation only)."""

from django import forms

from .models import Bulletin


class BulletinForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "addressee", "introduction", "closing"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4}),
                   "closing": forms.Textarea(attrs={"rows": 4})}
