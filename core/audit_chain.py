"""
The tamper-evident audit trail.

Events are chained per stream (the object type: `reports.notice`,
`inspections.finding`...). Each carries its number in the stream, the hash
of the event before it and its own hash: an HMAC-SHA256, keyed with
`settings.AUDIT_CHAIN_KEY`, of its content and that previous hash. Editing
an event breaks its own hash, deleting one leaves a gap in the numbers,
inserting one breaks the next event's link, and without the key nobody
(not even the database owner) can forge a consistent replacement.
`verify_audit` walks the chains and names the first broken link of each.

The head of every stream (its last number and hash) is written out
periodically (`anchor_write`, a beat task) to a file and/or an e-mail
address outside the database, so that even a rewrite of the whole table, or
of a stream's tail, is detected against the last anchor.

Appending locks the stream's head row (SELECT ... FOR UPDATE), so writers of
one stream queue for the length of their transaction while other streams
are written concurrently.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .models import AuditEvent, AuditStreamHead

# SQLite: the append-only triggers call this function, registered on every
# connection the app opens (core.apps); it answers "writable" only inside
# `maintenance()` (flushing a test database). Outside the app the function
# does not exist, so an UPDATE or DELETE fails there too.
SQLITE_GUARD_FUNCTION = "labelwatch_audit_writable"
_maintenance = False


@contextlib.contextmanager
def maintenance():
    """Let UPDATE and DELETE through the SQLite triggers (test database flushes)."""
    global _maintenance
    previous, _maintenance = _maintenance, True
    try:
        yield
    finally:
        _maintenance = previous


def sqlite_guard() -> int:
    return 1 if _maintenance else 0


def _key() -> bytes:
    key = getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"labelwatch-audit-chain:" + key.encode()).digest()


def _utc(moment: datetime.datetime) -> str:
    # Milliseconds: what JSON fixtures keep (backup/restore round-trips the chain).
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


def event_hash(event: AuditEvent) -> str:
    """The keyed hash of an event's content, its place in the stream and the previous hash."""
    content = {
        "stream": event.stream, "seq": event.seq, "prev": event.prev_hash,
        "at": _utc(event.created_at), "actor": event.actor_id, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id,
        "object_repr": event.object_repr, "enterprise_id": event.enterprise_id,
        "ip": event.ip_address or None, "before": event.before, "after": event.after,
        "note": event.note,
    }
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


def _normalise(event: AuditEvent) -> None:
    """Give the event the values it will have when read back from the database."""
    from django.utils import timezone

    if event.created_at is None:
        event.created_at = timezone.now()
    # JSON as stored (tuples become lists, keys strings) so the hash re-computes.
    event.before = json.loads(json.dumps(event.before)) if event.before is not None else None
    event.after = json.loads(json.dumps(event.after)) if event.after is not None else None
    if event.ip_address:
        event.ip_address = AuditEvent._meta.get_field("ip_address").get_prep_value(
            event.ip_address)
    event.stream = event.object_type[:60]


def _locked_head(stream: str) -> AuditStreamHead:
    head = AuditStreamHead.objects.select_for_update().filter(stream=stream).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditStreamHead.objects.create(stream=stream, seq=0, hash="")
    except IntegrityError:
        pass  # another writer created it first
    return AuditStreamHead.objects.select_for_update().get(stream=stream)


def append(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Chain and save events (one INSERT per 500), each after the last of its stream."""
    events = list(events)
    if not events:
        return events
    with transaction.atomic():
        for event in events:
            _normalise(event)
        heads = {stream: _locked_head(stream) for stream in sorted({e.stream for e in events})}
        for event in events:
            head = heads[event.stream]
            event.seq = head.seq + 1
            event.prev_hash = head.hash
            event.hash = event_hash(event)
            head.seq, head.hash = event.seq, event.hash
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events, batch_size=500)
        for head in heads.values():
            head.save(update_fields=["seq", "hash"])
    return events


# --- verification -------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    stream: str
    event_id: int | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event {self.event_id} (#{self.seq})" if self.event_id else f"#{self.seq}"
        return f"{self.stream}: {where}: {self.problem}"


def verify(*, anchors: Iterable[dict] = ()) -> tuple[int, list[Break]]:
    """
    Check every stream; return the number of events checked and the first
    broken link of each broken stream (plus anchors that no longer hold).
    """
    breaks: list[Break] = []
    checked = 0
    heads = dict(AuditStreamHead.objects.values_list("stream", "seq"))
    head_hashes = dict(AuditStreamHead.objects.values_list("stream", "hash"))
    streams = set(heads) | set(
        AuditEvent.objects.order_by().values_list("stream", flat=True).distinct())
    for stream in sorted(streams):
        expected_seq, previous, problem = 1, "", None
        events = AuditEvent.objects.filter(stream=stream).order_by("seq", "id").iterator(
            chunk_size=2000)
        last_seq = 0
        for event in events:
            checked += 1
            if problem:
                continue
            if event.seq is None or event.seq != expected_seq:
                kind = ("events missing before this one (deleted?)"
                        if event.seq and event.seq > expected_seq else
                        "number out of sequence (inserted?)")
                problem = Break(stream, event.pk, event.seq, kind)
            elif event.prev_hash != previous:
                problem = Break(stream, event.pk, event.seq,
                                "does not follow the event before it (inserted or replaced?)")
            elif not hmac.compare_digest(event.hash, event_hash(event)):
                problem = Break(stream, event.pk, event.seq, "content changed after it was written")
            previous, expected_seq, last_seq = event.hash, expected_seq + 1, event.seq or 0
        if problem is None and stream in heads and (
                heads[stream] != last_seq or head_hashes[stream] != previous):
            problem = Break(stream, None, heads[stream],
                            f"the stream's last events are missing (ends at #{last_seq})")
        if problem:
            breaks.append(problem)
    for anchor in anchors:
        for stream, (seq, digest) in anchor.get("heads", {}).items():
            if not seq:
                continue
            found = AuditEvent.objects.filter(stream=stream, seq=seq).values_list(
                "hash", flat=True).first()
            if found != digest:
                breaks.append(Break(stream, None, seq,
                                    f"differs from the anchor of {anchor.get('at', '?')}"))
    return checked, breaks


# --- anchors ------------------------------------------------------------------------


def anchor_record() -> dict:
    """The head of every stream now, as written to the anchor file or e-mail."""
    from django.utils import timezone

    heads = {stream: [seq, digest] for stream, seq, digest in
             AuditStreamHead.objects.order_by("stream").values_list("stream", "seq", "hash")}
    return {"at": _utc(timezone.now()), "heads": heads}


def anchor_write() -> dict:
    """Append the heads to settings.AUDIT_ANCHOR_FILE and/or mail them to AUDIT_ANCHOR_EMAIL."""
    from django.core.mail import send_mail

    record = anchor_record()
    line = json.dumps(record, sort_keys=True)
    path = getattr(settings, "AUDIT_ANCHOR_FILE", "")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    address = getattr(settings, "AUDIT_ANCHOR_EMAIL", "")
    if address:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("LabelWatch audit anchor %(at)s") % {"at": record["at"]}
        send_mail(subject, line + "\n",
                  settings.DEFAULT_FROM_EMAIL, [address])
    return record


def read_anchors(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
