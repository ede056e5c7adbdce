"""Law as data in time: provisions resolved at the date of the conduct, binding force respected."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from inspections.models import IssueCode
from legal.citations import cn_number, join_citations
from legal.law import bases_for
from legal.models import Provision
from reports.notices import services
from tests.factories import CampaignFactory, IssueCodeFactory, SampledItemFactory
from tests.reports.factories import make_findings


def code_basis_text(*, code: str, on: datetime.date) -> str:
    """The code's basis at a date as one line (as IssueCode.legal_basis states it): binding provisions, then “参照” references."""
    basis = bases_for(conduct={code: on})[code]
    text = join_citations(basis.violated, "；")
    if basis.references:
        text += ("；" if text else "") + "参照" + join_citations(basis.references, "；")
    return text


TZ = timezone.get_current_timezone()
NOW = datetime.date(2026, 11, 2)


def _notice(inspector, code: str, captured: datetime.datetime | None = None):
    issue_code = IssueCode.objects.get(pk=code)
    findings = make_findings(author=inspector, campaign=CampaignFactory(), code=issue_code, n=1)
    if captured is not None:
        for finding in findings:
            finding.evidence_items.set([SampledItemFactory(inspection=finding.inspection, captured_at=captured)])
    return services.notice_create(enterprise=findings[0].enterprise, campaign=findings[0].campaign,
                                  findings=findings, actor=inspector)


def test_article_numbers_in_chinese():
    assert [cn_number(n) for n in (1, 10, 12, 20, 24, 105, 110, 1019, 1023)] == [
        "一", "十", "十二", "二十", "二十四", "一百零五", "一百一十", "一千零一十九", "一千零二十三"]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "clauses"), [
    ("EXP-03", ["第5.1条"]),  # text
    ("EXP-04", ["第5.2条", "第5.4条"]),  # image, video
    ("EXP-05", ["第5.4条"]),  # video
    ("EXP-06", ["第5.3条"]),  # audio
])
def test_gb45438_clause_map(code, clauses):
    text = code_basis_text(code=code, on=NOW)
    gb = text.split("GB 45438-2025《网络安全技术 人工智能生成合成内容标识方法》")[1]
    assert [c for c in ("第5.1条", "第5.2条", "第5.3条", "第5.4条", "第5.5条", "第5.6条") if c in gb] == clauses
    assert IssueCode.objects.get(pk=code).legal_basis == text


@pytest.mark.django_db
def test_unverified_clauses_are_cited_by_title_and_named_citations_are_corrected():
    assert "关于虚拟场景显式标识的规定" in code_basis_text(code="EXP-07", on=NOW)
    assert "《人工智能生成合成内容标识办法》第六条第二款" in code_basis_text(code="PLT-03", on=NOW)
    assert "标识办法" not in code_basis_text(code="FIL-01", on=NOW)
    for code in IssueCode.objects.values_list("code", flat=True):
        text = code_basis_text(code=code, on=NOW)
        assert "第5.5条" not in text and "第5.6条" not in text
        # A guide is never before “参照”.
        assert "指南" not in text.split("参照")[0]


@pytest.mark.django_db
def test_a_code_resting_only_on_a_guide_cannot_order_rectification(inspector):
    basis = bases_for(conduct={"IMP-10": NOW})["IMP-10"]
    assert not basis.can_order and basis.references
    with pytest.raises(ApplicationError) as error:
        _notice(inspector, "IMP-10")
    assert "IMP-10" in error.value.message


@pytest.mark.django_db
def test_2025_conduct_cites_nothing_that_entered_into_force_later(inspector):
    captured = datetime.datetime(2025, 6, 10, 10, tzinfo=TZ)
    notice = _notice(inspector, "IMP-01", captured)
    assert "《互联网信息服务深度合成管理规定》第十六条" in notice.violations
    assert "标识办法" not in notice.violations and "GB 45438" not in notice.violations
    for provision in notice.provisions.select_related("document"):
        assert provision.starts <= captured.date()


@pytest.mark.django_db
def test_conduct_before_the_rules_cannot_be_drafted_as_a_violation(inspector):
    with pytest.raises(ApplicationError) as error:
        _notice(inspector, "EXP-03", datetime.datetime(2025, 7, 1, 10, tzinfo=TZ))
    assert "2025-07-01" in error.value.message and "2025-09-01" in error.value.message


@pytest.mark.django_db
def test_no_guide_in_the_violated_sentence_and_an_edit_that_puts_one_there_blocks_approval(
        inspector, supervisor):
    notice = _notice(inspector, "IMP-08")
    violated, _sep, rest = notice.violations.partition("。")
    assert "违反" in violated and "指南" not in violated and "TC260" not in violated
    assert "参照《网络安全标准实践指南——人工智能生成合成内容标识 服务提供者编码规则》" in rest
    services.notice_update(notice=notice, actor=inspector, data={
        "violations": "上述行为违反了《人工智能生成合成内容标识 服务提供者编码规则》（TC260 PG-20252A）的规定。"})
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=notice, actor=supervisor)


@pytest.mark.django_db
def test_a_provision_no_longer_in_force_is_not_cited():
    Provision.objects.filter(key="deep-synthesis-16").update(effective_to=datetime.date(2026, 1, 31))
    assert "第十六条" in code_basis_text(code="IMP-01", on=datetime.date(2026, 1, 31))
    assert "第十六条" not in code_basis_text(code="IMP-01", on=datetime.date(2026, 2, 1))


@pytest.mark.django_db
def test_a_code_without_any_basis_is_refused_with_a_reason(inspector):
    code = IssueCodeFactory(code="ZZZ-01", category="GOV")
    findings = make_findings(author=inspector, code=code, n=1)
    with pytest.raises(ApplicationError) as error:
        services.notice_create(enterprise=findings[0].enterprise, campaign=findings[0].campaign,
                               findings=findings, actor=inspector)
    assert "ZZZ-01" in error.value.message
