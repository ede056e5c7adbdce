"""Service (送达): consent to electronic service, every element of the proof, deadlines from service."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from inspections.models import FindingStatus, IssueCode
from inspections.services.findings import findings_mark_overdue
from legal.models import ElectronicServiceConsent, ServiceMethod, ServiceRecord
from reports.models import NoticeStatus
from reports.notices import services
from tests.reports.factories import make_notice, pdf_text

TZ = timezone.get_current_timezone()
ISSUED = datetime.datetime(2026, 11, 2, 10, tzinfo=TZ)  # a Monday
SERVED = datetime.datetime(2026, 11, 5, 15, tzinfo=TZ)  # the Thursday after


def _issued(inspector, supervisor, enterprise=None):
    with time_machine.travel(ISSUED, tick=False):
        notice = make_notice(author=inspector, approver=supervisor, enterprise=enterprise)
        return services.notice_issue(notice=notice, actor=supervisor)


@pytest.mark.django_db
def test_the_notice_counts_from_receipt_and_prints_no_date(inspector, supervisor):
    notice = _issued(inspector, supervisor)
    text = pdf_text(notice.pdf.read()).replace("\n", "")
    assert "自收到本通知之日起15个工作日内" in text
    # The period does not run before service: no reminder, never overdue.
    finding = notice.findings.first()
    assert finding.status == FindingStatus.NOTIFIED and finding.deadline_from is None
    with time_machine.travel(ISSUED + datetime.timedelta(days=60), tick=False):
        assert findings_mark_overdue() == 0


@pytest.mark.django_db
def test_electronic_service_needs_recorded_consent(inspector, supervisor, enterprise_user, client_for):
    notice = _issued(inspector, supervisor, enterprise_user.enterprise)
    with time_machine.travel(SERVED, tick=False):
        with pytest.raises(ApplicationError):
            services.notice_acknowledge(notice=notice, actor=enterprise_user)
        response = client_for(enterprise_user).post(
            reverse("reports:notice_acknowledge", args=[notice.pk]), {"consent": "1"},
            REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    consent = ElectronicServiceConsent.objects.get(enterprise=enterprise_user.enterprise)
    assert consent.given_by == enterprise_user and consent.given_at == SERVED
    notice.refresh_from_db()
    record = notice.service_record
    assert record.method == ServiceMethod.ELECTRONIC and record.consent == consent
    assert notice.status == NoticeStatus.SERVED and notice.served_at == SERVED
    # 15 working days from Thursday 2026-11-05 (not from issuance on 11-02).
    for finding in notice.findings.all():
        assert finding.deadline_from == SERVED and finding.deadline == datetime.date(2026, 11, 26)
    proof = pdf_text(notice.proof_pdf.read()).replace("\n", "")
    assert "电子送达" in proof and "确认同意电子送达" in proof and "2026年11月26日前" in proof
    assert "LabelWatch" not in proof


@pytest.mark.django_db
def test_a_24_hour_order_runs_from_service(inspector, supervisor, enterprise_user):
    IssueCode.objects.filter(pk="IMP-01").update(default_period=24, period_unit="hours")
    with time_machine.travel(ISSUED, tick=False):
        notice = make_notice(author=inspector, approver=supervisor, enterprise=enterprise_user.enterprise)
        notice.findings.update(period=24, period_unit="hours")
        notice = services.notice_issue(notice=notice, actor=supervisor)
    with time_machine.travel(SERVED, tick=False):
        notice = services.notice_acknowledge(notice=notice, actor=enterprise_user, consent=True)
    assert notice.deadline_at == SERVED + datetime.timedelta(hours=24)
    assert all(f.deadline_at == SERVED + datetime.timedelta(hours=24) for f in notice.findings.all())


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "details", "servers", "expect"), [
    (ServiceMethod.DIRECT, {"recipient": "张三"}, 1, None),  # two officers serve in person
    (ServiceMethod.DIRECT, {"recipient": "", }, 2, None),  # who signed
    (ServiceMethod.LEFT, {"refusal": "拒绝签收"}, 2, None),  # witnesses
    (ServiceMethod.POST, {"recipient": "李四", "by_agent": True, "agent_relation": "收发员"}, 1, None),
    (ServiceMethod.ENTRUSTED, {}, 1, None),
    (ServiceMethod.PUBLIC, {}, 1, None),
])
def test_paper_service_records_every_element_or_is_refused(inspector, second_inspector, supervisor,
                                                          method, details, servers, expect):
    notice = _issued(inspector, supervisor)
    with pytest.raises(ApplicationError):
        services.notice_record_service(notice=notice, actor=inspector, method=method, served_at=SERVED,
                                       servers=[inspector, second_inspector][:servers], **details)
    assert not ServiceRecord.objects.exists()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


@pytest.mark.django_db
def test_proof_of_service_holds_the_recipient_agent_witnesses_and_server_lines(
        inspector, second_inspector, supervisor):
    left = _issued(inspector, supervisor)
    with time_machine.travel(SERVED + datetime.timedelta(hours=1), tick=False):
        left = services.notice_record_service(
            notice=left, actor=inspector, method=ServiceMethod.LEFT, served_at=SERVED,
            servers=[inspector, second_inspector], refusal="法定代表人拒绝签收", witnesses="物业管理员王五",
            place="北京市海淀区示例路8号")
    proof = pdf_text(left.proof_pdf.read()).replace("\n", "")
    assert "留置送达" in proof and "法定代表人拒绝签收" in proof and "物业管理员王五" in proof
    assert "2026年11月5日15时00分" in proof and "北京市海淀区示例路8号" in proof
    assert proof.count("（签名）＿＿＿＿＿＿") == 2 and "王检查" in proof and "刘检查" in proof

    post = _issued(inspector, supervisor)
    with time_machine.travel(SERVED + datetime.timedelta(hours=1), tick=False):
        post = services.notice_record_service(
            notice=post, actor=inspector, method=ServiceMethod.POST, served_at=SERVED, servers=[inspector],
            recipient="赵六", by_agent=True, agent_relation="本单位收发员", agent_reason="受送达人指定代收",
            note="EMS EA123456789CN")
    proof = pdf_text(post.proof_pdf.read()).replace("\n", "")
    assert "代收人" in proof and "赵六" in proof and "本单位收发员" in proof and "受送达人指定代收" in proof
    for finding in post.findings.all():
        assert finding.deadline_from == SERVED


@pytest.mark.django_db
def test_a_server_id_no_database_can_hold_is_a_form_error_not_a_500(client_for, inspector, supervisor):
    from django.urls import reverse

    notice = _issued(inspector, supervisor)
    response = client_for(inspector).post(reverse("reports:notice_serve", args=[notice.pk]), {
        "method": ServiceMethod.DIRECT, "served_at": "2026-11-05T15:00", "servers": ["99999999999999999999"]})
    assert response.status_code in (200, 302)
    notice.refresh_from_db()
    assert notice.served_at is None
