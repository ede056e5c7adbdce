"""
Input checked at the edge, before any view: no value with NUL or other
control characters reaches a view (PostgreSQL refuses NUL in text, and no
form has a use for them), and no integer in the path is outside the range a
database key can hold. A refused request gets the 400 or 404 page in the
user's language, never a server error.
"""

import re

from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

# Largest value of a signed 64-bit key (SQLite INTEGER, PostgreSQL bigint).
MAX_ID = 2**63 - 1
# C0 controls and DEL, except tab, line feed and carriage return (text areas).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_id(value) -> int | None:
    """A database id from untrusted text: digits only and in range, else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among untrusted texts (a multiple choice), invalid ones dropped."""
    return [number for number in map(parse_id, values) if number is not None]


def _hostile(values) -> bool:
    return any(_CONTROL.search(value) for value in values if isinstance(value, str))


class EdgeValidationMiddleware:
    """Refuse control characters in the path and parameters, out-of-range path ids."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL.search(request.path):
            raise Http404
        hostile = _hostile(request.GET.keys()) or any(
            _hostile(values) for _key, values in request.GET.lists())
        if not hostile and request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            hostile = _hostile(request.POST.keys()) or any(
                _hostile(values) for _key, values in request.POST.lists())
        if hostile:
            if request.path.startswith("/api/"):
                # The API's one error shape (api.v1.errors), not a page.
                return JsonResponse({"error": {
                    "code": "bad_request", "fields": {},
                    "message": _("The request contains control characters, which are not "
                                 "accepted.")}}, status=400)
            raise BadRequest("control characters in the query string or form")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                raise Http404
        return None
