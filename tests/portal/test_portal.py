import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import FindingStatus
from rectification import services
from rectification.models import Decision, EscalationKind
from tests.rectification.factories import notified_finding, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(enterprise, enterprise_user, inspector, second_inspector, supervisor):
    """A finding with a reviewed report (changes requested), evidence, an extension and an interview."""
    finding = notified_finding(enterprise, officers=[inspector, second_inspector])
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    response = report.responses.get()
    evidence = services.evidence_add(response=response, actor=enterprise_user, uploaded=png())
    services.report_update(report=report, actor=enterprise_user, responsible_person="张总",
                           declaration=True)
    services.response_update(response=response, actor=enterprise_user, measures="已整改",
                             long_term_measures="", completed_on=timezone.localdate())
    services.report_submit(report=report, actor=enterprise_user)
    services.response_decide(response=response, actor=inspector,
                             decision=Decision.CHANGES_REQUESTED, comment="请补充材料",
                             internal_note="内部备注-不得外泄")
    extension = services.extension_request_create(
        finding=finding, actor=enterprise_user, reason="需要时间",
        requested_deadline=finding.deadline + datetime.timedelta(days=10))
    overdue = notified_finding(enterprise, status=FindingStatus.OVERDUE, days=-3,
                               officers=[inspector, second_inspector])
    escalation = services.escalation_record(
        enterprise=enterprise, finding=overdue, actor=supervisor, kind=EscalationKind.INTERVIEW,
        occurred_on=timezone.localdate(), attendees="法人", notes="机密约谈记录")
    return {"finding": finding, "report": report, "response": response, "evidence": evidence,
            "extension": extension, "overdue": overdue, "escalation": escalation}


def portal_urls(case):
    return [
        ("get", reverse("portal:finding_detail", args=[case["finding"].pk])),
        ("post", reverse("portal:finding_detail", args=[case["finding"].pk])),
        ("post", reverse("portal:extension_withdraw", args=[case["extension"].pk])),
        ("get", reverse("portal:report_detail", args=[case["report"].pk])),
        ("get", reverse("portal:report_edit", args=[case["report"].pk])),
        ("post", reverse("portal:report_edit", args=[case["report"].pk])),
        ("post", reverse("portal:report_new_version", args=[case["report"].pk])),
        ("get", reverse("portal:evidence_download", args=[case["evidence"].pk])),
        ("post", reverse("portal:evidence_remove", args=[case["evidence"].pk])),
    ]


def staff_urls(case):
    return [
        reverse("rectification:report_list"),
        reverse("rectification:report_detail", args=[case["report"].pk]),
        reverse("rectification:evidence_download", args=[case["evidence"].pk]),
        reverse("rectification:extension_list"),
        reverse("rectification:extension_detail", args=[case["extension"].pk]),
        reverse("rectification:escalation_list"),
        reverse("rectification:escalation_detail", args=[case["escalation"].pk]),
        reverse("rectification:finding", args=[case["finding"].pk]),
        reverse("core:audit_list"),
        reverse("core:audit_export"),
    ]


def test_every_portal_url_is_404_for_another_enterprise(client_for, case, other_enterprise_user):
    client = client_for(other_enterprise_user)
    for method, url in portal_urls(case):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    case["extension"].refresh_from_db()
    assert case["extension"].status == "pending"


def test_every_portal_url_answers_its_own_enterprise(client_for, case, enterprise_user):
    client = client_for(enterprise_user)
    for method, url in portal_urls(case):
        if method == "get":
            assert client.get(url).status_code in (200, 302), url


def test_staff_pages_are_404_for_enterprise_users(client_for, case, enterprise_user):
    client = client_for(enterprise_user)
    for url in staff_urls(case):
        assert client.get(url).status_code == 404, url


def test_internal_notes_never_reach_the_enterprise(client_for, case, enterprise_user):
    client = client_for(enterprise_user)
    pages = [reverse("portal:home"), reverse("portal:report_detail", args=[case["report"].pk]),
             reverse("portal:finding_detail", args=[case["finding"].pk]),
             reverse("portal:finding_detail", args=[case["overdue"].pk]),
             reverse("portal:report_list"), reverse("core:notifications")]
    for url in pages:
        html = client.get(url).content.decode()
        assert "内部备注-不得外泄" not in html and "机密约谈记录" not in html, url
    # The comment meant for the enterprise is shown.
    assert "请补充材料" in client.get(pages[1]).content.decode()


def test_open_internal_drafts_are_hidden(client_for, enterprise, enterprise_user):
    draft = notified_finding(enterprise, status=FindingStatus.OPEN, notified_at=None,
                             description="内部草稿问题")
    client = client_for(enterprise_user)
    assert "内部草稿问题" not in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:finding_detail", args=[draft.pk])).status_code == 404


def test_home_lists_findings_with_working_days_left(
    client_for, enterprise, enterprise_user, django_assert_max_num_queries
):
    for _ in range(3):
        notified_finding(enterprise, days=14)
    client = client_for(enterprise_user)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("portal:home"))
    cases = response.context["cases"]
    assert len(cases) == 3
    assert all(8 <= case.working_days_left <= 12 for case in cases)
    for _ in range(10):
        notified_finding(enterprise, days=14)
    with django_assert_max_num_queries(30):
        client.get(reverse("portal:home"))


def test_downloads_are_attachments_with_nosniff(client_for, case, enterprise_user, inspector):
    for user, name in ((enterprise_user, "portal:evidence_download"),
                       (inspector, "rectification:evidence_download")):
        response = client_for(user).get(reverse(name, args=[case["evidence"].pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_staff_cannot_see_drafts(client_for, enterprise, enterprise_user, inspector):
    finding = notified_finding(enterprise)
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    evidence = services.evidence_add(response=report.responses.get(), actor=enterprise_user,
                                     uploaded=png())
    client = client_for(inspector)
    assert client.get(reverse("rectification:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("rectification:evidence_download",
                              args=[evidence.pk])).status_code == 404


def test_report_edit_saves_uploads_and_submits(client_for, enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    client = client_for(enterprise_user)
    response = client.post(reverse("portal:report_start"), {"findings": [finding.pk]})
    report = enterprise.rectification_reports.get()
    assert response.url == reverse("portal:report_edit", args=[report.pk])
    answer = report.responses.get()
    prefix = f"r{answer.pk}"
    data = {f"{prefix}-measures": "已添加显式标识", f"{prefix}-long_term_measures": "",
            f"{prefix}-completed_on": timezone.localdate().isoformat(), f"{prefix}-files": [png()],
            "responsible_person": "张总", "contact_person": "李四", "contact_phone": "010-1",
            "summary": "", "declaration": "on", "submit": "1"}
    response = client.post(reverse("portal:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    finding.refresh_from_db()
    assert report.status == "submitted" and answer.evidence.count() == 1
    assert finding.status == FindingStatus.REPORT_SUBMITTED
    # Locked: the edit page sends the user to the read-only page.
    assert client.get(reverse("portal:report_edit", args=[report.pk])).status_code == 302


def test_hostile_upload_through_the_form_is_refused(client_for, enterprise, enterprise_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    finding = notified_finding(enterprise)
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    answer = report.responses.get()
    svg = SimpleUploadedFile("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>'
                             b"alert(1)</script></svg>", content_type="image/png")
    client = client_for(enterprise_user)
    client.post(reverse("portal:report_edit", args=[report.pk]), {
        f"r{answer.pk}-measures": "x", f"r{answer.pk}-files": [svg], "responsible_person": "张",
        "contact_person": "", "contact_phone": "", "summary": "", "save": "1"})
    assert answer.evidence.count() == 0


def test_staff_review_pages_render_with_bounded_queries(
    client_for, case, inspector, django_assert_max_num_queries
):
    client = client_for(inspector)
    for url in staff_urls(case)[:-2]:
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200, url


def test_analyst_reads_but_cannot_decide(client_for, case, analyst, enterprise_user):
    # A fresh submitted report so a decision would be possible.
    finding = notified_finding(case["finding"].enterprise)
    report = services.report_create(enterprise=finding.enterprise, actor=enterprise_user,
                                    findings=[finding])
    services.report_update(report=report, actor=enterprise_user, responsible_person="张",
                           declaration=True)
    services.response_update(response=report.responses.get(), actor=enterprise_user,
                             measures="x", long_term_measures="", completed_on=timezone.localdate())
    services.report_submit(report=report, actor=enterprise_user)
    client = client_for(analyst)
    assert client.get(reverse("rectification:report_detail", args=[report.pk])).status_code == 200
    response = client.post(reverse("rectification:response_decide",
                                   args=[report.responses.get().pk]), {"decision": "accepted"})
    assert response.status_code == 403
    assert client.post(reverse("rectification:extension_detail", args=[case["extension"].pk]),
                       {"approve": "1"}).status_code == 403


def test_supervisor_decides_extension_and_records_escalation(client_for, case, supervisor):
    client = client_for(supervisor)
    response = client.post(reverse("rectification:extension_detail", args=[case["extension"].pk]),
                           {"approve": "1", "note": "同意"})
    assert response.status_code == 302
    case["finding"].refresh_from_db()
    assert case["finding"].deadline == case["extension"].requested_deadline
    # A warning is a penalty: the ladder refuses it (only a case imposes it).
    response = client.post(reverse("rectification:escalation_create"), {
        "finding": case["overdue"].pk, "kind": "warning",
        "occurred_on": timezone.localdate().isoformat(), "attendees": "法人", "notes": "警告"})
    assert response.status_code == 200
    assert not case["overdue"].escalations.filter(kind="warning").exists()
    response = client.post(reverse("rectification:escalation_create"), {
        "finding": case["overdue"].pk, "kind": "interview",
        "occurred_on": timezone.localdate().isoformat(), "attendees": "法人", "notes": "再次约谈"})
    assert response.status_code == 302
    assert case["overdue"].escalations.filter(kind="interview").count() == 2


def test_a_finding_withdrawn_before_any_notice_stays_internal(client_for, enterprise, enterprise_user):
    withdrawn = notified_finding(enterprise, status=FindingStatus.WITHDRAWN, notified_at=None,
                                 description="撤销的内部问题")
    client = client_for(enterprise_user)
    assert "撤销的内部问题" not in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:finding_detail", args=[withdrawn.pk])).status_code == 404


def test_a_text_file_named_html_is_stored_and_served_as_text(
    client_for, enterprise, enterprise_user
):
    """The red-team's `inspection-evidence.html` downloads as .txt, text/plain."""
    from tests.rectification.factories import upload

    finding = notified_finding(enterprise)
    report = services.report_create(enterprise=enterprise, actor=enterprise_user,
                                    findings=[finding])
    evidence = services.evidence_add(
        response=report.responses.get(), actor=enterprise_user,
        uploaded=upload("inspection-evidence.html", "整改说明：已添加显式标识。\n".encode()))
    assert evidence.file.name.endswith(".txt")
    response = client_for(enterprise_user).get(
        reverse("portal:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "inspection-evidence.txt" in disposition
    assert ".html" not in disposition
    assert response["Content-Type"].startswith("text/plain")


def test_removing_a_file_keeps_what_was_typed(client_for, enterprise, enterprise_user):
    """The remove button posts the whole draft: the text typed is saved, then the file goes."""
    finding = notified_finding(enterprise)
    client = client_for(enterprise_user)
    client.post(reverse("portal:report_start"), {"findings": [finding.pk]})
    report = enterprise.rectification_reports.get()
    answer = report.responses.get()
    evidence = services.evidence_add(response=answer, actor=enterprise_user, uploaded=png())
    prefix = f"r{answer.pk}"
    typed = {f"{prefix}-measures": "已在生成内容中添加显式标识", f"{prefix}-long_term_measures": "",
             f"{prefix}-completed_on": timezone.localdate().isoformat(),
             "responsible_person": "张总", "contact_person": "李四", "contact_phone": "010-1",
             "summary": "尚未保存的总结", "declaration": ""}
    response = client.post(reverse("portal:evidence_remove", args=[evidence.pk]), typed)
    assert response.status_code == 302
    report.refresh_from_db()
    answer.refresh_from_db()
    assert report.summary == "尚未保存的总结" and answer.measures == "已在生成内容中添加显式标识"
    assert answer.evidence.count() == 0


def test_a_file_is_kept_when_the_typed_text_does_not_validate(client_for, enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    client = client_for(enterprise_user)
    client.post(reverse("portal:report_start"), {"findings": [finding.pk]})
    report = enterprise.rectification_reports.get()
    answer = report.responses.get()
    evidence = services.evidence_add(response=answer, actor=enterprise_user, uploaded=png())
    prefix = f"r{answer.pk}"
    response = client.post(reverse("portal:evidence_remove", args=[evidence.pk]), {
        f"{prefix}-measures": "写了一半的措施", f"{prefix}-completed_on": "不是日期",
        "summary": "尚未保存的总结"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "写了一半的措施" in page and "尚未保存的总结" in page
    assert answer.evidence.count() == 1


def test_home_reads_the_timeline_once_and_shows_it(client_for, case, enterprise_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client_for(enterprise_user).get(reverse("portal:home"))
    assert response.status_code == 200
    escalation_reads = [q for q in ctx.captured_queries if 'FROM "rectification_escalation"' in q["sql"]]
    assert len(escalation_reads) == 1
    assert case["escalation"].get_kind_display() in response.content.decode()


def test_a_draft_is_saved_whole_or_not_at_all(client_for, enterprise, enterprise_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    findings = [notified_finding(enterprise), notified_finding(enterprise)]
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=findings)
    first, second = report.responses.order_by("pk")
    hostile = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = client_for(enterprise_user).post(reverse("portal:report_edit", args=[report.pk]), {
        f"r{first.pk}-measures": "第一项已整改", f"r{first.pk}-files": [png()],
        f"r{second.pk}-measures": "第二项已整改", f"r{second.pk}-files": [hostile],
        "responsible_person": "张总", "contact_person": "", "contact_phone": "", "summary": "", "save": "1"})
    # The second file is refused: nothing of the draft changed, and the page shows what was typed.
    assert response.status_code == 200
    body = response.content.decode()
    assert "第一项已整改" in body and "第二项已整改" in body and "张总" in body
    report.refresh_from_db()
    first.refresh_from_db()
    assert report.responsible_person == "" and first.measures == "" and first.evidence.count() == 0
    # Nor is the first file left in storage.
    from django.conf import settings

    assert not [path for path in (Path(settings.MEDIA_ROOT) / "rectification").rglob("*") if path.is_file()]
