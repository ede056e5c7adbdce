"""Every case document renders from the record with its required elements."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from cases import documents, records, services
from cases.models import DocumentKind, Outcome, RecordKind, SubmissionKind
from cases.pdf import render_html
from tests.cases.factories import confirmed_record, investigating_case, officer, serve_on_paper
from tests.conftest import require_service
from tests.factories import EnterpriseUserFactory

pytestmark = pytest.mark.django_db

# What each document must say, besides its title, number, the party and the
# officers with their certificate numbers (行政处罚法 Arts. 44, 59, 64; the
# CAC's document forms).
REQUIRED = {
    DocumentKind.FILING_APPROVAL: ["案由", "发现线索日期", "负责人审批意见", "同意立案"],
    DocumentKind.INSPECTION_RECORD: ["时间", "地点", "出示执法证件", "确认无误并签名", "服务器时间"],
    DocumentKind.QUESTIONING_RECORD: ["被询问人", "如实陈述", "确认无误并签名"],
    DocumentKind.INTERVIEW_NOTICE: ["接受约谈", "约谈事项", "不是行政处罚", "回避"],
    DocumentKind.INTERVIEW_RECORD: ["到场人员", "确认无误并签名"],
    DocumentKind.PRIOR_NOTICE: ["经查", "拟对你单位作出如下行政处罚", "罚款人民币10,000.00元",
                                "陈述和申辩", "个工作日内", "要求举行听证", "不因你单位陈述、申辩而给予更重的处罚",
                                "申请回避"],
    DocumentKind.HEARING_NOTICE: ["举行听证", "听证主持人", "非本案调查人员", "委托一至二人代理", "申请回避"],
    DocumentKind.HEARING_RECORD: ["确认无误并签名"],
    DocumentKind.PENALTY_DECISION: ["经查", "证据证明", "决定对你单位作出如下行政处罚", "罚款人民币8,000.00元",
                                    "十五日内", "申请行政复议", "60日", "提起行政诉讼", "6个月",
                                    "陈述、申辩"],
    DocumentKind.NO_PENALTY_DECISION: ["不予行政处罚", "申请行政复议", "提起行政诉讼"],
    DocumentKind.TRANSFER: ["涉嫌构成犯罪", "第二十七条", "移送理由", "公安局"],
    DocumentKind.CLOSING_REPORT: ["处理结果", "案卷文书"],
}


@pytest.fixture
def team():
    return [officer("王执法", cert="京网执0001"), officer("李执法", cert="京网执0002")]


def _serve(document, actor):
    return serve_on_paper(document, servers=[actor, *[a.officer for a in document.case.team.all()
                                                      if a.officer_id != actor.pk]])


def _penalty_case_with_everything(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    records.interview_notice_issue(case=case, actor=team[0], when=timezone.now() + datetime.timedelta(days=3),
                                   place="本机关第一会议室", matters="就标识问题进行约谈。")
    confirmed_record(case, team=team, kind=RecordKind.QUESTIONING, person="李四")
    confirmed_record(case, team=team, kind=RecordKind.INTERVIEW, person="王五")
    case = services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="fine",
                                            intended_amount=Decimal("10000"), hearing_right=True,
                                            grounds="《人工智能生成合成内容标识办法》第十三条")
    _serve(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), team[0])
    party = EnterpriseUserFactory(enterprise=enterprise)
    services.party_submit(case=case, actor=party, kind=SubmissionKind.STATEMENT, text="我方已整改。")
    services.party_submit(case=case, actor=party, kind=SubmissionKind.HEARING_REQUEST, text="要求听证。")
    host = officer("赵主持")
    case.refresh_from_db()
    records.hearing_notice_issue(case=case, actor=supervisor, host=host, place="本机关听证室",
                                 when=timezone.now() + datetime.timedelta(days=15))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        confirmed_record(case, team=team, kind=RecordKind.HEARING, person="王五")
        case.refresh_from_db()
        case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY, penalty="fine",
                                    amount=Decimal("8000"), decision_text="责令改正，并处罚款。")
        _serve(case.documents.get(kind=DocumentKind.PENALTY_DECISION), team[0])
        case = services.case_record_performance(case=case, actor=team[0], performed_on=timezone.localdate(),
                                                note="已缴纳罚款。")
        return services.case_close(case=case, actor=supervisor)


def _check(document, enterprise, team):
    html = render_html(document.facts)
    assert documents.TITLES[document.kind] in html and document.number in html
    assert enterprise.name in html
    for o in team:
        assert o.certificate_number in html, (document.kind, o.certificate_number)
    for element in REQUIRED[document.kind]:
        assert element in html, (document.kind, element)
    assert document.pdf.read(5) == b"%PDF-"
    return html


def test_every_document_of_a_penalty_case(enterprise, supervisor, team):
    case = _penalty_case_with_everything(enterprise, supervisor, team)
    kinds = {}
    for document in case.documents.all():
        kinds[document.kind] = _check(document, enterprise, team)
    expected = set(REQUIRED) - {DocumentKind.NO_PENALTY_DECISION, DocumentKind.TRANSFER}
    assert expected <= set(kinds)
    # Numbered per kind, all different.
    numbers = list(case.documents.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert enterprise.uscc in kinds[DocumentKind.PENALTY_DECISION]


def test_no_penalty_and_transfer_documents(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.NO_PENALTY,
                                decision_text="违法行为轻微并及时改正。")
    _check(case.documents.get(kind=DocumentKind.NO_PENALTY_DECISION), enterprise, team)
    other = investigating_case(enterprise, team=team, supervisor=supervisor)
    other = services.case_transfer(case=other, actor=supervisor, transferred_to="北京市公安局海淀分局",
                                   reason="数量巨大，涉嫌犯罪。")
    _check(other.documents.get(kind=DocumentKind.TRANSFER), enterprise, team)
    closing = _check(other.documents.get(kind=DocumentKind.CLOSING_REPORT), enterprise, team)
    assert "行政处罚程序终结" in closing


def test_a_document_never_changes_after_issuance(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    form = case.documents.get(kind=DocumentKind.FILING_APPROVAL)
    sha = form.sha256
    case.facts = "后来补充的事实。"
    case.save()
    form.refresh_from_db()
    assert form.sha256 == sha and "后来补充的事实。" not in str(form.facts)


def test_the_pdf_carries_the_text(enterprise, supervisor, team):
    require_service("pdftotext", shutil.which("pdftotext") is not None, "poppler-utils missing")
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    record = case.documents.get(kind=DocumentKind.INSPECTION_RECORD)
    text = subprocess.run(["pdftotext", record.pdf.path, "-"], capture_output=True, text=True).stdout
    assert "现场检查笔录" in text and "京网执0001" in text and "京网执0002" in text


def _case_without_findings(enterprise, supervisor, team):
    from tests.cases.factories import proposed_case

    case = proposed_case(enterprise, team=team, findings=[], source="targeted")
    case = services.case_file(case=case, actor=supervisor)
    case = services.case_start_investigation(case=case, actor=team[0])
    confirmed_record(case, team=team)
    case.refresh_from_db()
    return case


def test_a_case_without_findings_names_its_conduct_and_its_documents_say_what_was_violated(
        enterprise, supervisor, team):
    from core.exceptions import ApplicationError
    from inspections.models import IssueCode

    case = _case_without_findings(enterprise, supervisor, team)
    # Without the conduct, no document could say which provision was violated (行政处罚法 Art. 59).
    with pytest.raises(ApplicationError, match="IMP|conduct|行为"):
        services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="warning",
                                         grounds="《互联网信息服务深度合成管理规定》第二十二条")
    case.refresh_from_db()
    assert case.status == "investigating" and not case.documents.filter(kind=DocumentKind.PRIOR_NOTICE).exists()
    codes = list(IssueCode.objects.filter(code__in=["IMP-01", "EXP-01"]))
    case = services.case_issue_prior_notice(
        case=case, actor=supervisor, intended_penalty="warning",
        grounds="《互联网信息服务深度合成管理规定》第二十二条", conduct_codes=codes,
        conduct_on=timezone.localdate() - datetime.timedelta(days=3))
    notice = render_html(case.documents.get(kind=DocumentKind.PRIOR_NOTICE).facts)
    assert "上述行为违反了" in notice and "《人工智能生成合成内容标识办法》第四条第一款、第五条第一款" in notice
    assert "参照" not in notice.split("上述行为违反了")[1].split("。")[0]
    _serve(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), team[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        case.refresh_from_db()
        case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY, penalty="warning",
                                    decision_text="责令立即改正。")
    decision = render_html(case.documents.get(kind=DocumentKind.PENALTY_DECISION).facts)
    assert "上述行为违反了" in decision and "《人工智能生成合成内容标识办法》第四条第一款、第五条第一款" in decision


def test_conduct_named_before_the_measures_cites_only_what_was_in_force(enterprise, supervisor, team):
    from inspections.models import IssueCode

    case = _case_without_findings(enterprise, supervisor, team)
    case = services.case_issue_prior_notice(
        case=case, actor=supervisor, intended_penalty="warning",
        grounds="《互联网信息服务深度合成管理规定》第二十二条",
        conduct_codes=list(IssueCode.objects.filter(code="IMP-01")), conduct_on=datetime.date(2025, 6, 2))
    violated = render_html(case.documents.get(kind=DocumentKind.PRIOR_NOTICE).facts).split("上述行为违反了")[1]
    violated = violated.split("。")[0]
    # The Measures and GB 45438 entered into force on 2025-09-01.
    assert "互联网信息服务深度合成管理规定" in violated
    assert "人工智能生成合成内容标识办法" not in violated and "GB 45438" not in violated


def test_conduct_more_than_two_years_before_its_discovery_is_not_punished(enterprise, supervisor, team):
    from core.exceptions import ApplicationError
    from inspections.models import IssueCode

    case = _case_without_findings(enterprise, supervisor, team)
    found = case.clue_found_on
    with pytest.raises(ApplicationError, match="二年|two years"):
        services.case_issue_prior_notice(
            case=case, actor=supervisor, intended_penalty="warning", grounds="《互联网信息服务深度合成管理规定》第二十二条",
            conduct_codes=list(IssueCode.objects.filter(code="IMP-01")),
            conduct_on=found.replace(year=found.year - 3))
    case.refresh_from_db()
    assert case.status == "investigating" and case.conduct_on is None
