"""
Idempotency keys for API writes. A client that sends `Idempotency-Key: <its
own unique string>` with a POST may retry it (after a timeout, a dropped
connection) as often as it likes: the first successful answer is stored and
replayed, and the write happens once. The same key for a different request
is refused. Failed attempts are not stored, so a corrected retry may reuse
the key. The key is taken before the write starts: a retry that arrives
while the first attempt is still running (a client that timed out too
early) is told to try again (409) instead of acting a second time.
"""

import contextlib
import datetime
import hashlib
import json
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotencyKey
from .v1.errors import error_body

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 120
# A key taken by an attempt that never finished (its process died) is free
# again after this long; every write behind a key ends well within it.
IN_FLIGHT_SECONDS = 120
IN_FLIGHT = 0  # status_code of a key whose attempt is still running


def _fingerprint(request) -> str:
    """Method, path and the request's data (files by name and size)."""
    data: dict[str, Any] = {}
    files: list[list[Any]] = []
    for name in sorted(request.data.keys()) if hasattr(request.data, "keys") else []:
        values = request.data.getlist(name) if hasattr(request.data, "getlist") else [request.data[name]]
        for value in values:
            if hasattr(value, "size") and hasattr(value, "read"):
                files.append([name, getattr(value, "name", ""), value.size])
            else:
                data.setdefault(name, []).append(value)
    if not hasattr(request.data, "keys"):
        data = {"_": request.data}
    text = json.dumps([request.method, request.path, data, files], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent(method):
    """Make a POST handler of an APIView honour the Idempotency-Key header."""

    @wraps(method)
    def handler(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return method(view, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ValidationError({HEADER: [_("Send a key of 1 to %(n)s printable characters.")
                                            % {"n": MAX_KEY_LENGTH}]})
        fingerprint = _fingerprint(request)
        now = timezone.now()
        since = now - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
        abandoned = now - datetime.timedelta(seconds=IN_FLIGHT_SECONDS)
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored and stored.status_code != IN_FLIGHT and stored.created_at >= since:
            if stored.fingerprint != fingerprint:
                return _reused()
            replay = Response(stored.body, status=stored.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        if stored and stored.status_code == IN_FLIGHT and stored.created_at >= abandoned:
            return _reused() if stored.fingerprint != fingerprint else _in_flight()
        # Take the key (an expired or abandoned one is taken over): of two
        # attempts sent at once, the database lets one in.
        IdempotencyKey.objects.filter(user=request.user, created_at__lt=since).delete()
        IdempotencyKey.objects.filter(user=request.user, key=key, status_code=IN_FLIGHT,
                                      created_at__lt=abandoned).delete()
        try:
            with transaction.atomic():
                taken = IdempotencyKey.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint, status_code=IN_FLIGHT,
                    body={})
        except IntegrityError:
            return _in_flight()
        try:
            response = method(view, request, *args, **kwargs)
        except BaseException:
            # Free the key for a corrected retry; with the database gone, it
            # frees itself after IN_FLIGHT_SECONDS.
            with contextlib.suppress(DatabaseError):
                taken.delete()
            raise
        if 200 <= response.status_code < 300 and isinstance(response, Response):
            taken.status_code = response.status_code
            taken.body = json.loads(json.dumps(response.data, default=str))
            taken.save(update_fields=["status_code", "body"])
        else:
            taken.delete()
        return response

    return handler


def _reused() -> Response:
    return Response(error_body(
        "idempotency_key_reused",
        _("This Idempotency-Key was used for another request; use a new key.")),
        status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def _in_flight() -> Response:
    response = Response(error_body(
        "idempotency_key_in_use",
        _("A request with this Idempotency-Key is still being processed; retry in a moment.")),
        status=status.HTTP_409_CONFLICT)
    response["Retry-After"] = "2"
    return response
