"""
The one way a page answers a refusal: a service raised `ApplicationError`
(or Django's `ValidationError`) and the user reads its message on the next
page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError

from .exceptions import ApplicationError


def refusal_text(exc: Exception) -> str:
    """The user's words of a refusal."""
    if isinstance(exc, ApplicationError):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc)


def flash_refusal(request, exc: Exception) -> None:
    messages.error(request, refusal_text(exc))
