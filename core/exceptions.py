from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404


class ApplicationError(Exception):
    """A domain rule refused the operation; the message is shown to the user."""

    def __init__(self, message, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class IllegalTransition(ApplicationError):
    """A lifecycle transition that the object's transition table does not allow."""


class NotPermitted(ApplicationError, PermissionDenied):
    """
    The person's role (or place on the inspection, the case) does not allow
    the step. A refusal like any other while a page acts (`core.pages.refusals`
    shows its message), and a `PermissionDenied` everywhere else: a 403 page
    naming the rule when it gates a whole page, a 403 in the API.
    """


def api_exception_handler(exc, context):
    """Map domain and Django errors to one JSON shape: {"message", "extra"}."""
    # DRF (and, through it, psycopg and requests) loads with the API, not with every process.
    from rest_framework import exceptions as drf_exceptions
    from rest_framework.views import exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # A role refusal names its rule; a bare PermissionDenied keeps DRF's words.
        exc = drf_exceptions.PermissionDenied(exc.message if isinstance(exc, NotPermitted) else None)
    elif isinstance(exc, ApplicationError):
        exc_response = drf_exceptions.ValidationError(exc.message)
        response = exception_handler(exc_response, context)
        response.data = {"message": str(exc.message), "extra": exc.extra}
        return response

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc.detail, (list, dict)):
        response.data = {"message": str(_first_message(exc.detail)), "extra": {"fields": exc.detail}}
    else:
        response.data = {"message": str(exc.detail), "extra": {}}
    return response


def _first_message(detail):
    while isinstance(detail, (list, dict)) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return detail
