"""
What every list's FilterSet shares. One FilterSet per list names the list's
query parameters once: its selector applies it (`apply_filters`), the page
renders its form from it, and API v1 reads the same parameters and shows
them in its schema. A bad value is an error (ValidationError, field by
field), never a silently widened list.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

# Ids are plain numbers within the database's range: no lookup query, no
# overflow, and an unknown id gives an empty list instead of revealing
# whether the object exists.
MAX_ID = 2**63 - 1

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

_TRUE = frozenset({"on", "true", "1", "yes"})
_FALSE = frozenset({"off", "false", "0", "no"})


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.Filter):
    field_class = IdField


def _flag(value: object) -> bool | None:
    """A flag as a page's checkbox ("on") or a program ("true", "0") sends it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


def _checked(value: object) -> bool:
    try:
        return _flag(value) is True
    except ValueError:
        return False


class FlagInput(forms.CheckboxInput):
    """A checkbox that hands the field the raw value, so a bad one is an error."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=_checked)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class FlagField(forms.Field):
    widget = FlagInput
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value: Any) -> bool | None:
        try:
            return _flag(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class FlagFilter(django_filters.BooleanFilter):
    """
    A yes/no parameter: "on" (a ticked checkbox), true/false, 1/0. With a
    field it filters on both answers; with a method, only "yes" narrows.
    """

    field_class = FlagField


class SortFilter(django_filters.ChoiceFilter):
    """The list's sort key, "-" first for descending; the FilterSet orders by it last."""

    def __init__(self, sorts: Mapping[str, tuple[str, ...]], **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("help_text", "The page's order; API pages follow `ordering`.")
        super().__init__(choices=[(s, s) for key in sorts for s in (key, f"-{key}")], **kwargs)
        self.sorts = sorts

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs

    def ordering(self, value: str) -> list[str]:
        fields = self.sorts[value.lstrip("-")]
        if not value.startswith("-"):
            return list(fields)
        return [f[1:] if f.startswith("-") else f"-{f}" for f in fields]


def lazy_choices(choices: Callable[[], Iterable[tuple[Any, Any]]]) -> CallableChoiceIterator:
    """Choices read from the database when a page renders them, not when a value is checked."""
    return CallableChoiceIterator(choices)


class ListFilterSet(django_filters.FilterSet):
    """
    A list's FilterSet: it knows who is looking (`viewer`), for choices
    scoped to them and for filters such as "mine". DRF builds it with the
    request; pages and selectors pass the viewer.
    """

    def __init__(self, data: Mapping[str, Any] | None = None, queryset: QuerySet | None = None, *,
                 request: Any = None, prefix: str | None = None, viewer: Any = None) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.viewer = viewer if viewer is not None else getattr(request, "user", None)


def apply_filters(filterset_class: type[ListFilterSet], *, data: Mapping[str, Any] | None,
                  queryset: QuerySet, viewer: Any) -> QuerySet:
    """
    Return `queryset` narrowed by the list's parameters in `data` (a query
    string's values or a dict of them). Raise ValidationError, per
    parameter, when a value is not valid.
    """
    filterset = filterset_class(data or {}, queryset=queryset, viewer=viewer)
    if not filterset.is_valid():
        raise ValidationError(filterset.form.errors.as_data())
    return filterset.qs

