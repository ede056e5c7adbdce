"""Histories speak people's words: labels, names, "—" for empty; no internals, no demo markers."""

import pytest

from core.models import AuditEvent
from core.templatetags.audit_tags import audit_changes, audit_note
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
