"""
Idempotency keys for API writes. A client that sends `Idempotency-Key: <its
own unique string>` with a POST may retry it (after a timeout, a dropped
connection) as often as it likes: the first successful answer is stored and
replayed, and the write happens once. The same key for a different request
is refused. Failed attempts are not stored, so a corrected retry may reuse
the key.
"""

import datetime
import hashlib
import json
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotencyKey
from .v1.errors import error_body

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 120


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
        since = timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored and stored.created_at >= since:
            if stored.fingerprint != fingerprint:
                return Response(error_body(
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request; use a new key.")),
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY)
            replay = Response(stored.body, status=stored.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = method(view, request, *args, **kwargs)
        if 200 <= response.status_code < 300 and isinstance(response, Response):
            IdempotencyKey.objects.filter(user=request.user, created_at__lt=since).delete()
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.update_or_create(
                        user=request.user, key=key,
                        defaults={"fingerprint": fingerprint, "status_code": response.status_code,
                                  "body": json.loads(json.dumps(response.data, default=str)),
                                  "created_at": timezone.now()})
            except IntegrityError:
                pass  # a concurrent twin stored it first; its write was refused by the service
        return response

    return handler
