"""Drafting, approval, issuance, immutability, service and access of notices."""

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent, Notification
from inspections.models import FindingStatus
from reports.models import Notice, NoticeStatus
from reports.notices import services
from reports.notices.selectors import notice_list
from tests.reports.factories import make_findings, make_notice


@pytest.mark.django_db
def test_draft_is_prefilled_from_registry_findings_and_citations(inspector):
    notice = make_notice(author=inspector)
    assert notice.status == NoticeStatus.DRAFT
    assert notice.party_uscc == notice.enterprise.uscc
    assert "抽检的图片文件1未添加隐式标识" in notice.facts
    assert "SHA-256：00abab" in notice.facts
    assert "第五条" in notice.violations
    assert "《中华人民共和国行政处罚法》第二十八条第一款" in notice.order_basis
    assert "六十日内" in notice.remedies and "六个月内" in notice.remedies
    assert "北京市人民政府" in notice.remedies
    assert notice.citations.filter(key="administrative-penalty-law-28", version=1).exists()


@pytest.mark.django_db
def test_a_finding_goes_into_one_notice_only(inspector):
    findings = make_findings(author=inspector)
    kwargs = {"enterprise": findings[0].enterprise, "campaign": findings[0].campaign, "actor": inspector}
    services.notice_create(findings=findings, **kwargs)
    with pytest.raises(ApplicationError):
        services.notice_create(findings=findings[:1], **kwargs)


@pytest.mark.django_db
def test_the_author_cannot_approve_and_inspectors_cannot_approve(inspector, supervisor, second_inspector):
    own = make_notice(author=supervisor)
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=own, actor=supervisor)
    other = make_notice(author=inspector)
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=other, actor=second_inspector)
    approved = services.notice_approve(notice=other, actor=supervisor)
    assert approved.status == NoticeStatus.APPROVED and approved.approved_by == supervisor


@pytest.mark.django_db
def test_only_approved_notices_issue(inspector, supervisor):
    draft = make_notice(author=inspector)
    with pytest.raises(ApplicationError):
        services.notice_issue(notice=draft, actor=supervisor)
    assert Notice.objects.get(pk=draft.pk).number == ""


@pytest.mark.django_db
def test_issuance_notifies_findings_recounts_deadlines_and_the_enterprise(
    inspector, supervisor, enterprise_user, django_capture_on_commit_callbacks
):
    notice = make_notice(author=inspector, approver=supervisor, enterprise=enterprise_user.enterprise)
    with django_capture_on_commit_callbacks(execute=False):
        notice = services.notice_issue(notice=notice, actor=supervisor)
    assert notice.status == NoticeStatus.ISSUED
    assert len(notice.pdf_sha256) == 64 and notice.verification_code.startswith("LW-")
    for finding in notice.findings.all():
        assert finding.status == FindingStatus.NOTIFIED
        assert finding.deadline == notice.deadline
        assert finding.deadline > notice.issue_date
    assert Notification.objects.filter(recipient=enterprise_user, kind="notice_issued").exists()
    actions = set(AuditEvent.objects.filter(object_type="reports.notice").values_list("action", flat=True))
    assert {"notice.draft", "notice.approve", "notice.issue"} <= actions


@pytest.mark.django_db
def test_issuing_twice_and_re_rendering_are_refused(inspector, supervisor):
    notice = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)
    digest = notice.pdf_sha256
    with pytest.raises(ApplicationError):
        services.notice_issue(notice=notice, actor=supervisor)
    with pytest.raises(ApplicationError):
        services.notice_preview_pdf(notice=notice)
    with pytest.raises(ApplicationError):
        services.notice_update(notice=notice, actor=supervisor, data={"facts": "改"})
    notice.refresh_from_db()
    assert notice.pdf_sha256 == digest and notice.serial == 1


@pytest.mark.django_db
def test_acknowledgement_records_service(inspector, supervisor, enterprise_user, client_for):
    notice = services.notice_issue(
        notice=make_notice(author=inspector, approver=supervisor, enterprise=enterprise_user.enterprise),
        actor=supervisor)
    response = client_for(enterprise_user).post(reverse("reports:notice_acknowledge", args=[notice.pk]),
                                                {"consent": "1"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SERVED and notice.served_at is not None
    assert notice.acknowledged_by == enterprise_user and notice.service_method == "electronic"
    assert AuditEvent.objects.filter(action="notice.acknowledge", object_id=str(notice.pk)).exists()


@pytest.mark.django_db
def test_enterprise_users_download_only_their_own_issued_notices(
    inspector, supervisor, enterprise_user, other_enterprise_user, client_for
):
    notice = make_notice(author=inspector, approver=supervisor, enterprise=enterprise_user.enterprise)
    url = reverse("reports:notice_pdf", args=[notice.pk])
    assert client_for(enterprise_user).get(url).status_code == 404  # not yet issued
    services.notice_issue(notice=notice, actor=supervisor)
    response = client_for(enterprise_user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(other_enterprise_user).get(url).status_code == 404
    assert client_for(other_enterprise_user).get(reverse("reports:notice_proof", args=[notice.pk])).status_code == 404
    assert client_for(enterprise_user).get(reverse("reports:notice_list")).status_code == 404


@pytest.mark.django_db
def test_staff_pages_and_analyst_is_read_only(inspector, supervisor, analyst, client_for, django_assert_max_num_queries):
    for _ in range(3):
        make_notice(author=inspector, approver=supervisor)
    notice = Notice.objects.first()
    client = client_for(analyst)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:notice_list")).status_code == 200
    page = client.get(reverse("reports:notice_detail", args=[notice.pk]))
    assert page.status_code == 200
    # Evidence references read as in the PDF: set apart, without their [E] mark.
    evidence = [p["text"] for p in notice.fact_paragraphs() if p["evidence"]]
    assert evidence and f'<p class="evidence">{evidence[0]}</p>' in page.content.decode()
    assert "[E]" not in page.content.decode()
    assert client.post(reverse("reports:notice_issue", args=[notice.pk])).status_code == 403
    assert client.post(reverse("reports:notice_approve", args=[notice.pk])).status_code == 403
    response = client_for(supervisor).post(reverse("reports:notice_issue", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


@pytest.mark.django_db
def test_portal_tag_lists_own_notices_with_acknowledge_button(inspector, supervisor, enterprise_user):
    from django.template import Context, Template

    notice = services.notice_issue(
        notice=make_notice(author=inspector, approver=supervisor, enterprise=enterprise_user.enterprise),
        actor=supervisor)
    other = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor),
                                  actor=supervisor)  # another enterprise's
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as reads:
        html = Template("{% load reports_portal %}{% portal_notices user %}").render(
            Context({"user": enterprise_user, "csrf_token": "x"}))
    assert notice.number in html
    assert reverse("reports:notice_acknowledge", args=[notice.pk]) in html
    assert other.number not in html
    # The table's columns only: not the notice's text, nor who drafted and approved it.
    listing = next(q["sql"] for q in reads.captured_queries if 'FROM "reports_notice"' in q["sql"])
    assert '"facts"' not in listing and '"accounts_user"' not in listing


@pytest.mark.django_db
def test_a_supervisor_who_edited_the_draft_cannot_approve_it(inspector, supervisor, admin_user):
    notice = make_notice(author=inspector)
    services.notice_update(notice=notice, actor=supervisor,
                           data={"measures": "（一）立即在导出文件中补加隐式标识。"})
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=notice, actor=supervisor)
    approved = services.notice_approve(notice=notice, actor=admin_user)
    assert approved.approved_by == admin_user


def test_notices_issued_at_one_moment_are_listed_by_number(inspector, supervisor):
    notices = [services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)
               for _ in range(3)]
    # A batch issues a chunk in one transaction, at one moment.
    Notice.objects.filter(pk__in=[n.pk for n in notices]).update(issued_at=notices[0].issued_at)
    draft = make_notice(author=inspector)
    listed = list(notice_list(viewer=supervisor))
    assert listed[0] == draft
    assert [n.serial for n in listed[1:]] == sorted((n.serial for n in notices), reverse=True)


@pytest.mark.django_db
def test_the_notice_list_counts_each_notices_findings_without_grouping_every_notice(
        inspector, supervisor, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    three = make_notice(author=inspector, n=3)
    two = make_notice(author=inspector, n=2)
    with CaptureQueriesContext(connection) as ctx:
        page = client_for(supervisor).get(reverse("reports:notice_list"))
    rows = {n.pk: n.finding_count for n in page.context["page_obj"]}
    assert rows == {three.pk: 3, two.pk: 2}
    # Counted per row shown (a correlated subquery), not by a GROUP BY of every
    # notice with its findings, and the paginator's count reads the notices alone.
    notice_queries = [q["sql"] for q in ctx.captured_queries if '"reports_notice"' in q["sql"]]
    assert notice_queries and not any("GROUP BY" in sql.split("(SELECT")[0] for sql in notice_queries)
    assert any(sql.startswith('SELECT COUNT(*) AS "__count" FROM "reports_notice"')
               and "reports_notice_findings" not in sql for sql in notice_queries)
