"""The audit trail is a keyed hash chain per stream; verify_audit names the first broken link."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core.audit import audit_record, audit_record_many
from core.audit_chain import anchor_write, maintenance, verify
from core.models import AuditEvent, AuditStreamHead
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _record(n: int, actor=None):
    enterprise = EnterpriseFactory()
    return [audit_record(actor=actor, action=f"step {k}", obj=enterprise,
                         before={"k": k - 1}, after={"k": k, "when": (2026, 5, k)})
            for k in range(1, n + 1)]


def _tamper(sql: str, params=()):
    """What a database owner can do: bypass the append-only triggers and write."""
    with maintenance(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _verify_fails(capsys) -> str:
    with pytest.raises(CommandError):
        call_command("verify_audit")
    return capsys.readouterr().err


def test_events_are_chained_per_stream_and_verify(inspector, capsys):
    events = _record(3, inspector)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert events[0].stream == "enterprises.enterprise"
    head = AuditStreamHead.objects.get(stream="enterprises.enterprise")
    assert (head.seq, head.hash) == (3, events[2].hash)
    call_command("verify_audit")
    assert "audit trail intact: 3 events" in capsys.readouterr().out


def test_bulk_events_chain_too():
    enterprise = EnterpriseFactory()
    from core.audit import audit_event

    audit_record_many([audit_event(actor=None, action="bulk", obj=enterprise)
                       for _ in range(4)])
    assert verify() == (4, [])


def test_an_edited_event_is_named(capsys):
    events = _record(4)
    _tamper("UPDATE core_auditevent SET note = %s WHERE id = %s", ["rewritten", events[1].pk])
    err = _verify_fails(capsys)
    assert f"event {events[1].pk} (#2)" in err and "content changed" in err


def test_a_deleted_event_is_named(capsys):
    events = _record(4)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    err = _verify_fails(capsys)
    assert f"event {events[2].pk} (#3)" in err and "missing before" in err


def test_a_deleted_last_event_is_found_against_the_head(capsys):
    events = _record(3)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    assert "last events are missing" in _verify_fails(capsys)


def test_an_inserted_event_is_named(capsys):
    events = _record(3)
    # A back-dated event slipped in as #2, the rest renumbered: its hash cannot
    # be forged without the key, and the next link no longer holds.
    _tamper("UPDATE core_auditevent SET seq = seq + 10 WHERE id IN (%s, %s)",
            [events[1].pk, events[2].pk])
    _tamper("UPDATE core_auditevent SET seq = seq - 9 WHERE id IN (%s, %s)",
            [events[1].pk, events[2].pk])
    forged = AuditEvent(created_at=events[0].created_at, action="backdated",
                        object_type=events[0].object_type, object_id=events[0].object_id,
                        object_repr="x", stream=events[0].stream, seq=2,
                        prev_hash=events[0].hash, hash="0" * 64)
    with maintenance():
        forged.save()
    err = _verify_fails(capsys)
    assert f"event {forged.pk} (#2)" in err and "content changed" in err


def test_the_table_refuses_updates_and_deletes():
    event = _record(1)[0]
    for statement in ("UPDATE core_auditevent SET note = 'x' WHERE id = %s",
                      "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_a_rewritten_table_is_caught_by_the_anchor(tmp_path, settings, capsys):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    settings.AUDIT_ANCHOR_EMAIL = "audit-office@example.gov.cn"
    events = _record(2)
    record = anchor_write()
    assert record["heads"]["enterprises.enterprise"] == [2, events[1].hash]
    from django.core import mail

    assert mail.outbox[-1].to == ["audit-office@example.gov.cn"]
    assert json.loads(mail.outbox[-1].body)["heads"] == record["heads"]
    # Someone with the key rewrites the whole stream consistently: the chain
    # verifies on its own, the anchor does not.
    from core.audit_chain import event_hash

    previous = ""
    with maintenance():
        for event in AuditEvent.objects.order_by("seq"):
            event.note = "rewritten"
            event.prev_hash = previous
            event.hash = event_hash(event)
            previous = event.hash
            _tamper("UPDATE core_auditevent SET note = %s, prev_hash = %s, hash = %s "
                    "WHERE id = %s", [event.note, event.prev_hash, event.hash, event.pk])
        AuditStreamHead.objects.filter(stream="enterprises.enterprise").update(hash=previous)
    assert "differs from the anchor" in _verify_fails(capsys)


def test_the_anchor_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.audit_anchor_task" in tasks
    assert settings.AUDIT_RETENTION_DAYS >= 183


def test_on_postgresql_the_app_role_cannot_disable_the_trigger_or_truncate():
    """The roles of the README: the app connects as a role that does not own the tables."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL roles")
    _record(1)
    with connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                       "'labelwatch_app_test') THEN CREATE ROLE labelwatch_app_test NOSUPERUSER; "
                       "END IF; END $$")
        cursor.execute("GRANT USAGE ON SCHEMA public TO labelwatch_app_test")
        cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                       "TO labelwatch_app_test")
        cursor.execute("REVOKE UPDATE, DELETE, TRUNCATE ON core_auditevent "
                       "FROM labelwatch_app_test")
    for statement in ("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
                      "TRUNCATE core_auditevent CASCADE",
                      "UPDATE core_auditevent SET note = 'x'",
                      "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE labelwatch_app_test")
            cursor.execute(statement)
    # The app role can still append.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE labelwatch_app_test")
        cursor.execute("SELECT count(*) FROM core_auditevent")
        assert cursor.fetchone()[0] == 1
