"""
The audit trail: every state change calls `audit_record` inside its service.

The request's IP address reaches services through a context variable set by
`AuditContextMiddleware`, so services need no request argument.
"""

import contextvars
import datetime
import decimal
import functools
import ipaddress
import uuid

from django.db import models
from django.utils import timezone

from accounts.models import User

from .audit_chain import append
from .models import AuditEvent

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "audit_ip", default=None
)


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in proxies)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str | None:
    """
    The client's address. X-Forwarded-For is read only when the request comes
    from a configured proxy (settings.TRUSTED_PROXIES, addresses or networks,
    never a count): walking it from the right, past the trusted proxies, the
    first other address is the client. Anything a client writes into the
    header itself sits to the left of that and is never believed; a request
    straight from an untrusted address is that address, whatever it sends.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not remote or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage where the client's address belongs
    return remote


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "size"):  # FieldFile
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Return the concrete field values of `obj` as a JSON-ready dict."""
    names = fields or [
        f.attname for f in obj._meta.concrete_fields if f.attname not in ("updated_at",)
    ]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys whose value changed, so the trail stays readable."""
    if not before or not after:
        return before, after
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def audit_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    enterprise_id: int | None = None,
    note: str = "",
) -> AuditEvent:
    """Build (without saving) the audit event for a change to `obj`."""
    before, after = diff(_jsonable(before), _jsonable(after))
    if enterprise_id is None:
        enterprise_id = getattr(obj, "enterprise_id", None)
    return AuditEvent(
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        enterprise_id=enterprise_id,
        ip_address=_current_ip.get(),
        before=before,
        after=after,
        note=note,
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    enterprise_id: int | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one audit event for a change to `obj`."""
    event = audit_event(actor=actor, action=action, obj=obj, before=before, after=after,
                        enterprise_id=enterprise_id, note=note)
    return append([event])[0]


def audit_record_many(events: list[AuditEvent]) -> None:
    """Append audit events built with audit_event, in one INSERT (bulk services)."""
    append(events)


def audit_history(obj: models.Model):
    """Return the audit events of one object, newest first."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
