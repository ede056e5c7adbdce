"""
The one way a page answers a refusal. A service raises `ApplicationError`
(or its `NotPermitted`, or Django's `ValidationError`) when a rule refuses;
the view runs the service call inside `refusals` and says what happens next:

    with refusals(request):
        services.plan_draw(plan=plan, actor=request.user)
        messages.success(request, _("The plan has been drawn."))
    return redirect(plan)

    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            obj = services.thing_create(actor=request.user, **form.cleaned_data)
            return redirect(obj)
    return render(request, "…", {"form": form})  # refused: shown again, as typed

Without a form the refusal is an error message on the next page; with the
page's bound form it is that form's error and the view renders the form again,
so nothing typed is lost. A page of several forms (the inspection, the case)
passes `flash=True` as well, since the refused form may be out of sight.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from .exceptions import ApplicationError


def refusal_texts(exc: Exception) -> list[str]:
    """The user's words of a refusal: one line per problem the service listed."""
    if isinstance(exc, ApplicationError):
        problems = exc.extra.get("problems") if isinstance(exc.extra, dict) else None
        return [str(p) for p in problems] if problems else [str(exc.message)]
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]


def _add_to_form(form: BaseForm, exc: Exception) -> None:
    if (isinstance(exc, ValidationError) and hasattr(exc, "error_dict")
            and set(exc.error_dict) <= set(form.fields) | {NON_FIELD_ERRORS}):
        # A model's own validation names the fields: put each error at its field.
        form.add_error(None, exc)
        return
    for text in refusal_texts(exc):
        form.add_error(None, text)


@dataclass
class Refusal:
    """What `refusals` caught: false while nothing was refused."""

    error: Exception | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusals(request: HttpRequest, *forms: BaseForm, flash: bool | None = None) -> Iterator[Refusal]:
    """
    Turn a refusal raised in the block into the user's message: an error
    on each of `forms` (the page renders them again) and, without forms or
    with `flash=True`, an error message for the next page. The rest of the
    block (success message, redirect) runs only when nothing was refused;
    `with refusals(request) as refused:` tells the view afterwards.
    """
    refusal = Refusal()
    try:
        yield refusal
    except (ApplicationError, ValidationError) as exc:
        refusal.error = exc
        for form in forms:
            _add_to_form(form, exc)
        if flash or (flash is None and not forms):
            for text in refusal_texts(exc):
                messages.error(request, text)
