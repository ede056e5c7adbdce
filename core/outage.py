"""
What a person sees when the database is briefly unreachable (a restart, a
fail-over): not the generic server error, but a 503 page in their language
saying that what they just sent was not saved and that they can send it
again; whatever was saved before (a draft) is untouched, since the failed
request's transaction was rolled back. The page is rendered without the
database (no context processors, no session).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: a database outage is a 503 with a clear message; anything else a plain 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        body = loader.render_to_string("503.html")
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    try:
        return HttpResponseServerError(loader.render_to_string(template_name))
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return HttpResponseServerError("<h1>Server Error (500)</h1>")
