"""Histories speak people's words: labels, names, "—" for empty; no internals, no demo markers."""

import re

import pytest
from django.urls import reverse

from core.audit import audit_record
from core.models import AuditEvent
from core.templatetags.audit_tags import audit_action, audit_changes, audit_note
from reports.models import Notice
from tests.reports.factories import make_notice


@pytest.mark.django_db
def test_changes_name_fields_choices_and_people(inspector, supervisor):
    notice = make_notice(author=inspector)
    event = AuditEvent(object_type=Notice._meta.label_lower, object_id=str(notice.pk),
                       action="notice.approve",
                       before={"status": "draft", "approved_by": None, "updated_at": "x"},
                       after={"status": "approved", "approved_by": supervisor.pk,
                              "updated_at": "y"})
    changes = audit_changes(event)
    assert ("状态", "草稿", "已批准") in changes
    assert ("批准人", "—", "陈主管") in changes
    assert all("更新" not in label for label, _b, _a in changes)
    assert "∅" not in str(changes) and "(supervisor)" not in str(changes)


def test_the_demo_marker_is_not_shown():
    assert audit_note(AuditEvent(note="seed_demo")) == ""
    assert audit_note(AuditEvent(note="企业申请更正")) == "企业申请更正"


@pytest.mark.django_db
def test_people_are_named_without_their_login(inspector):
    assert str(inspector) == "王检查"


@pytest.mark.parametrize(("object_type", "action"), [
    ("reports.bulletinrecipient", "bulletin.read"),
    ("cases.casedocument", "case.document.served"),
    ("cases.casedocument", "case.document.closing_report"),
    ("cases.caserecord", "case.record.party"),
    ("cases.caserecord", "case.record.confirmed"),
    ("cases.caserecord", "case.record.questioning"),
    ("cases.partysubmission", "case.submission.statement"),
    ("cases.preservedevidence", "case.evidence.preserved"),
    ("cases.preservedevidence", "case.evidence.confirmed"),
    ("cases.case", "case.prior_notice_served"),
    ("legal.servicerecord", "service.record"),
    ("legal.electronicserviceconsent", "service.consent"),
    ("legal.electronicserviceconsent", "service.consent_withdraw"),
])
def test_every_action_reads_as_words(object_type, action):
    """The verb is the action's last part, in words: no code, no English ("case.document.served" → 送达)."""
    text = audit_action(AuditEvent(object_type=object_type, action=action))
    assert re.search(r"[A-Za-z_]", text) is None, text


@pytest.mark.django_db
def test_the_audit_trail_shows_names_not_codes(client_for, supervisor, inspector, enterprise):
    audit_record(actor=inspector, action="enterprise.update", obj=enterprise, after={"name": "甲"})
    body = client_for(supervisor).get(reverse("core:audit_list")).content.decode()
    assert "enterprise.update" not in body  # the action code, once a tooltip
    assert "(enterprises.enterprise)" not in body  # the object type's machine name
    assert f'<option value="{inspector.pk}">王检查</option>' in body
    assert ">inspector<" not in body


def test_keys_beside_the_fields_are_named_in_words():
    event = AuditEvent(object_type="selfchecks.contradiction", object_id="1",
                       action="selfcheck.contradiction",
                       after={"issue_code": "CNT-04", "declared_at": "2026-09-19T23:15:00+00:00"})
    assert [label for label, _b, _a in audit_changes(event)] == ["问题编号", "声明时间"]


@pytest.mark.django_db
def test_an_inspection_history_shows_no_action_code(client_for, supervisor):
    from tests.factories import InspectionFactory

    inspection = InspectionFactory()
    audit_record(actor=supervisor, action="inspection.create", obj=inspection)
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    body = client_for(supervisor).get(url).content.decode()
    assert "inspection.create" not in body


@pytest.mark.django_db
def test_people_listed_beside_the_fields_are_named(inspector, supervisor):
    event = AuditEvent(object_type="cases.case", object_id="1", action="case.proposed",
                       after={"team": [inspector.pk, supervisor.pk]})
    assert ("办案人员", None, "王检查, 陈主管") in audit_changes(event)
