"""
What a select offers before anything is chosen, in words: "请选择" where a
choice is required, "不指定" where it may be left empty; never Django's
"---------". Declared ModelChoiceFields pass `empty_label=empty_choice(...)`;
ModelForms whose model fields carry choices set
`formfield_callback = formfield_with_named_blank` in their Meta. And a
multiple choice of objects that refuses any id a database cannot hold.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .filters import MAX_ID

CHOOSE = _("Choose…")
NOT_CHOSEN = _("Not specified")


def empty_choice(*, required: bool = True):
    """The label of a select's empty choice."""
    return CHOOSE if required else NOT_CHOSEN


def formfield_with_named_blank(db_field: models.Field, **kwargs) -> forms.Field | None:
    """
    A model field's form field, its empty choice (if any) named in words; a
    many-to-many field's a ModelIdsField (below).
    """
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelIdsField)
    field = db_field.formfield(**kwargs)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = empty_choice(required=field.required)
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]  # normalised to a list by Django
        if choices and choices[0][0] in ("", None):
            field.choices = [("", empty_choice(required=field.required)), *choices[1:]]
    return field


class ModelIdsField(forms.ModelMultipleChoiceField):
    """
    Several objects chosen by id, an id beyond any database's integer range
    refused as an invalid choice. Django checks each id alone with `=`, which
    it guards against overflow, then all of them with `IN`, which it does not:
    the database would fail (a 500) instead of the form.
    """

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue
            if not -MAX_ID - 1 <= number <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
