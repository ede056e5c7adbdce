import csv
import io

import pytest
from django.db import connection, transaction
from django.urls import reverse

from core.audit import audit_record
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(enterprise, other_enterprise, inspector, supervisor):
    audit_record(actor=inspector, action="enterprise.update", obj=enterprise,
                 before={"name": "旧"}, after={"name": "=HYPERLINK(\"x\")"})
    audit_record(actor=supervisor, action="enterprise.update", obj=other_enterprise,
                 after={"name": "乙"})
    return AuditEvent.objects.all()


def test_supervisor_filters_by_actor_and_enterprise(client_for, supervisor, inspector, events,
                                                    enterprise, django_assert_max_num_queries):
    client = client_for(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:audit_list"), {"actor": inspector.pk,
                                                            "enterprise": enterprise.pk})
    rows = list(response.context["page_obj"])
    assert [e.actor for e in rows] == [inspector]
    assert client.get(reverse("core:audit_list"), {"date_from": "2000-01-01",
                                                    "date_to": "2000-01-02"}).context[
        "page_obj"].paginator.count == 0


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_is_filtered_readable_and_formula_safe(client_for, supervisor, inspector, events):
    inspector.first_name, inspector.last_name = "建国", "王"
    inspector.save()
    response = client_for(supervisor).get(reverse("core:audit_export"), {"actor": inspector.pk})
    assert response["Content-Disposition"].startswith("attachment")
    rows = _rows(response)
    assert rows[0][:3] == ["时间", "操作人", "操作"]
    assert len(rows) == 2 and rows[1][1] == inspector.get_full_name()
    assert "·" in rows[1][2] and "_" not in rows[1][2]
    assert len(rows[1][0]) == len("2026-12-03 14:05")
    assert "→" in rows[1][4] and "=HYPERLINK" in rows[1][4]


def test_audit_values_starting_a_formula_are_escaped(client_for, supervisor, events, enterprise):
    audit_record(actor=supervisor, action="enterprise.update", obj=enterprise, note="=1+1")
    rows = _rows(client_for(supervisor).get(reverse("core:audit_export")))
    assert ["'=1+1"] == [r[5] for r in rows[1:] if r[5].endswith("=1+1")]


def test_machine_variant_keeps_login_names_codes_and_json(client_for, supervisor, inspector, events):
    rows = _rows(client_for(supervisor).get(reverse("core:audit_export"),
                                            {"actor": inspector.pk, "variant": "machine"}))
    assert rows[0][:3] == ["time", "actor", "action"]
    assert rows[1][1:3] == ["inspector", "enterprise.update"]
    assert rows[1][4].startswith("{")


@pytest.mark.parametrize("persona", ["inspector", "analyst"])
def test_other_staff_get_403(client_for, request, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("core:audit_list")).status_code == 403
    assert client_for(user).get(reverse("core:audit_export")).status_code == 403


def test_enterprise_users_get_404(client_for, enterprise_user):
    assert client_for(enterprise_user).get(reverse("core:audit_list")).status_code == 404


def test_admin_offers_no_edit_or_delete(client_for, admin_user, events):
    event = events.first()
    client = client_for(admin_user)
    assert client.get(reverse("admin:core_auditevent_change", args=[event.pk])).status_code in (200, 403)
    response = client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_trigger_refuses_update_and_delete_on_postgresql(enterprise, inspector):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError

    event = audit_record(actor=inspector, action="enterprise.update", obj=enterprise,
                         after={"name": "甲"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
    event.refresh_from_db()
    assert event.note == ""


def test_the_trail_names_people_and_objects_in_a_few_queries_however_many_events(
        client_for, supervisor, django_assert_max_num_queries):
    from tests.factories import CampaignFactory, FindingFactory, UserFactory

    def record(n: int) -> None:
        for _ in range(n):
            campaign, finding, person = CampaignFactory(), FindingFactory(), UserFactory(first_name="甲")
            audit_record(actor=supervisor, action="campaign.update", obj=campaign,
                         after={"team": [person.pk], "created_by_id": person.pk})
            audit_record(actor=supervisor, action="finding.update", obj=finding,
                         after={"inspection_id": finding.inspection_id, "issue_code_id": finding.issue_code_id})

    client = client_for(supervisor)
    record(3)
    client.get(reverse("core:audit_list"))  # sessions, translations, content types warmed
    with django_assert_max_num_queries(20) as few:
        assert "甲" in client.get(reverse("core:audit_list")).content.decode()
    record(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:audit_list"))
    with django_assert_max_num_queries(20):
        rows = _rows(client.get(reverse("core:audit_export")))
    assert len(rows) > 40 and any("甲" in cell for row in rows for cell in row)
