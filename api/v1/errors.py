"""
The one error shape of API v1, for validation, authentication, permission,
throttling and domain errors alike:

    {"error": {"code": "validation_error", "message": "…", "fields": {"name": ["…"]}}}

`code` is stable and meant for programs; `message` is for people, in the
request's language (Accept-Language); `fields` maps input fields to their
messages (empty when the error is not about a field).
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler, set_rollback

from core.exceptions import ApplicationError, IllegalTransition, NotPermitted
from core.outage import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> dict:
    """DRF's nested detail as {field: [messages]} (nested fields dotted)."""
    if isinstance(detail, dict):
        out: dict = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    out[f"{key}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        out[f"{key}.{index}.{sub}"] = messages
            else:
                out[str(key)] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def _validation_message(fields: dict) -> str:
    field, messages = next(iter(fields.items()))
    if field == "non_field_errors":
        return messages[0]
    return _("%(field)s: %(message)s") % {"field": field, "message": messages[0]}


def v1_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # A role refusal names its rule; a bare PermissionDenied keeps DRF's words.
        exc = exceptions.PermissionDenied(exc.message if isinstance(exc, NotPermitted) else None)
    if isinstance(exc, ApplicationError):
        problems = exc.extra.get("problems") if isinstance(exc.extra, dict) else None
        if isinstance(exc, IllegalTransition):
            return Response(error_body("illegal_transition", exc.message),
                            status=status.HTTP_409_CONFLICT)
        fields = {"non_field_errors": [str(p) for p in problems]} if problems else {}
        return Response(error_body("refused", exc.message, fields), status=status.HTTP_400_BAD_REQUEST)

    response = exception_handler(exc, context)
    if response is None:
        if isinstance(exc, OperationalError | InterfaceError):
            # A database outage (a restart, a fail-over), as the pages' 503:
            # this request's transaction was rolled back; the client retries.
            request = context.get("request")
            logger.warning("API v1 %s %s: database unavailable: %s", getattr(request, "method", ""),
                           getattr(request, "path", ""), exc)
            set_rollback()
            unavailable = Response(error_body(
                "service_unavailable",
                _("The database could not be reached for a moment. What you just sent was not "
                  "saved; send it again in half a minute.")),
                status=status.HTTP_503_SERVICE_UNAVAILABLE)
            unavailable["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return unavailable
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        response.data = error_body("validation_error", _validation_message(fields), fields)
        return response
    code = exc.get_codes() if isinstance(exc.detail, str) else "error"
    if not isinstance(code, str):
        code = "error"
    if isinstance(exc, exceptions.NotFound):
        code = "not_found"
    response.data = error_body(code, exc.detail)
    return response


class NotFoundView(APIView):
    """Unknown paths under /api/v1/: the error shape, whatever the method."""

    authentication_classes: list = []
    permission_classes: list = []
    schema = None

    def get_exception_handler(self):
        return v1_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound
