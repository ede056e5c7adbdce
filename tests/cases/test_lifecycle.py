"""The case lifecycle: legal and illegal transitions, each through its service."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from cases import lifecycle, services
from cases.models import (
    Case,
    CaseDocument,
    CaseStatus,
    DocumentKind,
    Outcome,
    PartySubmission,
    SubmissionKind,
)
from core.exceptions import ApplicationError, IllegalTransition
from core.models import AuditEvent
from inspections.models import FindingStatus
from tests.cases.factories import (
    investigating_case,
    officer,
    proposed_case,
    serious_finding,
    serve_on_paper,
)
from tests.factories import EnterpriseUserFactory, FindingFactory

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def team():
    return [officer("王执法"), officer("李执法")]


def _serve(document, actor, day=None):
    return serve_on_paper(document, servers=[actor, *[a.officer for a in document.case.team.all()
                                                      if a.officer_id != actor.pk]], day=day)


def test_it_walks_the_whole_penalty_procedure(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    assert case.status == S.INVESTIGATING and case.number.startswith("京网信立〔")
    case = services.case_issue_prior_notice(
        case=case, actor=supervisor, intended_penalty="fine", intended_amount=Decimal("10000"),
        grounds="《人工智能生成合成内容标识办法》第十三条")
    notice = case.documents.get(kind=DocumentKind.PRIOR_NOTICE)
    _serve(notice, team[0])
    case.refresh_from_db()
    assert case.prior_notice_served_on == timezone.localdate()
    user = EnterpriseUserFactory(enterprise=enterprise)
    services.party_submit(case=case, actor=user, kind=SubmissionKind.STATEMENT, text="我们已经整改。")
    case.refresh_from_db()
    assert case.status == S.DEFENCE
    case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY, penalty="fine",
                                amount=Decimal("8000"), decision_text="罚款。")
    assert case.status == S.DECIDED
    decision = case.documents.get(kind=DocumentKind.PENALTY_DECISION)
    _serve(decision, team[0])
    case.refresh_from_db()
    assert case.status == S.SERVED
    case = services.case_record_performance(case=case, actor=team[0],
                                            performed_on=timezone.localdate(), note="已缴纳罚款。")
    case = services.case_close(case=case, actor=supervisor)
    assert case.status == S.CLOSED
    assert case.documents.filter(kind=DocumentKind.CLOSING_REPORT).count() == 1
    actions = list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
                   .values_list("action", flat=True))
    for step in ("proposed", "filed", "investigating", "prior_notice", "defence", "decided",
                 "served", "performed", "closed"):
        assert f"case.{step}" in actions


def test_it_refuses_every_move_the_table_does_not_allow(enterprise, team):
    case = proposed_case(enterprise, team=team)
    for status in S.values:
        allowed = lifecycle.can_transition(S.PROPOSED, status)
        assert allowed is (status in (S.FILED, S.WITHDRAWN))
    with pytest.raises(IllegalTransition):
        services.case_start_investigation(case=case, actor=team[0])
    assert Case.objects.get(pk=case.pk).status == S.PROPOSED


def test_closed_and_withdrawn_are_final():
    assert lifecycle.CASE_TRANSITIONS[S.CLOSED] == frozenset()
    assert lifecycle.CASE_TRANSITIONS[S.WITHDRAWN] == frozenset()


def test_filing_needs_a_supervisor_other_than_the_proposer(enterprise, supervisor, team):
    case = proposed_case(enterprise, team=team)
    with pytest.raises(ApplicationError):
        services.case_file(case=case, actor=team[1])
    sup = officer("赵主管", role="supervisor")
    own = proposed_case(enterprise, team=[sup, team[0]], actor=sup,
                        findings=[serious_finding(enterprise, code="CNT-02")])
    with pytest.raises(ApplicationError, match="other than the proposer"):
        services.case_file(case=own, actor=sup)
    services.case_file(case=case, actor=supervisor)
    case.refresh_from_db()
    assert case.status == S.FILED and case.filed_by == supervisor


def test_filing_escalates_the_findings_and_issues_the_approval_form(enterprise, supervisor, team):
    finding = serious_finding(enterprise)
    case = proposed_case(enterprise, team=team, findings=[finding])
    services.case_file(case=case, actor=supervisor)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ESCALATED
    form = CaseDocument.objects.get(case=case, kind=DocumentKind.FILING_APPROVAL)
    assert form.pdf.read(5) == b"%PDF-" and form.to_party is False


def test_a_penalty_needs_the_prior_notice(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    with pytest.raises(ApplicationError, match="prior notice"):
        services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY, penalty="warning",
                             decision_text="警告。")
    assert Case.objects.get(pk=case.pk).status == S.INVESTIGATING


def test_the_decision_waits_for_the_statement_period(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="warning",
                                     grounds="《标识办法》第十三条")
    _serve(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), team[0])
    case.refresh_from_db()
    with pytest.raises(ApplicationError, match="state and defend"):
        services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY,
                             penalty="warning", decision_text="警告。")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14)):
        case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY,
                                    penalty="warning", decision_text="警告。")
    assert case.status == S.DECIDED


def test_the_penalty_is_never_heavier_than_announced(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="fine",
                                     intended_amount=Decimal("5000"), grounds="第十三条")
    _serve(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), team[0])
    case.refresh_from_db()
    services.party_submit(case=case, actor=EnterpriseUserFactory(enterprise=enterprise),
                          kind=SubmissionKind.STATEMENT, text="申辩意见。")
    case.refresh_from_db()
    with pytest.raises(ApplicationError, match="Art. 45"):
        services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY, penalty="fine",
                             amount=Decimal("6000"), decision_text="罚款。")
    with pytest.raises(ApplicationError, match="new prior notice"):
        services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY,
                             penalty="suspension", decision_text="停业。")


def test_no_penalty_needs_no_prior_notice_and_closes_after_service(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.NO_PENALTY,
                                decision_text="违法行为轻微并及时改正，没有造成危害后果。")
    _serve(case.documents.get(kind=DocumentKind.NO_PENALTY_DECISION), team[0])
    case.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.case_record_performance(case=case, actor=team[0],
                                         performed_on=timezone.localdate(), note="x")
    case = services.case_close(case=case, actor=supervisor)
    assert case.status == S.CLOSED


def test_a_served_penalty_is_performed_before_closing(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="warning",
                                     grounds="第十三条")
    _serve(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), team[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14)):
        case = services.case_decide(case=Case.objects.get(pk=case.pk), actor=supervisor,
                                    outcome=Outcome.PENALTY, penalty="warning", decision_text="警告。")
        _serve(case.documents.get(kind=DocumentKind.PENALTY_DECISION), team[0])
        with pytest.raises(ApplicationError, match="performed"):
            services.case_close(case=Case.objects.get(pk=case.pk), actor=supervisor)


def test_transfer_to_public_security_ends_the_administrative_case(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = services.case_transfer(case=case, actor=supervisor, transferred_to="北京市公安局海淀分局",
                                  reason="传播淫秽内容，数量巨大，涉嫌犯罪。")
    case.refresh_from_db()
    assert case.status == S.CLOSED and case.outcome == Outcome.TRANSFERRED
    assert case.closed_on == timezone.localdate()
    kinds = set(case.documents.values_list("kind", flat=True))
    assert {DocumentKind.TRANSFER, DocumentKind.CLOSING_REPORT} <= kinds
    assert DocumentKind.PENALTY_DECISION not in kinds
    # Nothing runs on afterwards: no deadlines, no decision, no statement.
    from cases.deadlines import case_deadlines

    assert [d for d in case_deadlines(case) if d.state == "running"] == []
    with pytest.raises(IllegalTransition):
        services.case_decide(case=case, actor=supervisor, outcome=Outcome.PENALTY, penalty="fine",
                             amount=Decimal("1"), decision_text="x")
    with pytest.raises(ApplicationError):
        services.party_submit(case=case, actor=EnterpriseUserFactory(enterprise=enterprise),
                              kind=SubmissionKind.STATEMENT, text="x")
    assert PartySubmission.objects.filter(case=case).count() == 0
    transfer = case.documents.get(kind=DocumentKind.TRANSFER)
    assert transfer.to_party is False


def test_withdrawal_and_suspension_need_reasons(enterprise, supervisor, team):
    case = proposed_case(enterprise, team=team)
    with pytest.raises(ApplicationError):
        services.case_withdraw(case=case, actor=supervisor, reason=" ")
    services.case_file(case=case, actor=supervisor)
    with pytest.raises(ApplicationError):
        services.case_suspend(case=case, actor=supervisor, reason="")
    case = services.case_suspend(case=case, actor=supervisor, reason="等待鉴定结论。")
    assert case.status == S.SUSPENDED and case.suspended_from == S.FILED
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        case = services.case_resume(case=case, actor=supervisor)
    assert case.status == S.FILED and case.suspended_days == 10
    case = services.case_withdraw(case=case, actor=supervisor, reason="违法事实不能成立。")
    assert case.status == S.WITHDRAWN
    with pytest.raises(IllegalTransition):
        services.case_start_investigation(case=case, actor=team[0])


def test_an_ordinary_finding_does_not_go_to_a_case_before_its_deadline(enterprise, team):
    finding = FindingFactory(inspection__enterprise=enterprise, enterprise=enterprise,
                             status=FindingStatus.NOTIFIED)
    with pytest.raises(ApplicationError, match="neither past its deadline nor serious"):
        proposed_case(enterprise, team=team, findings=[finding], source="overdue")
    finding.status = FindingStatus.OVERDUE
    finding.save()
    case = proposed_case(enterprise, team=team, findings=[finding], source="overdue")
    assert case.status == S.PROPOSED


def test_a_repeat_finding_goes_to_a_case_at_once(enterprise, team):
    finding = FindingFactory(inspection__enterprise=enterprise, enterprise=enterprise,
                             status=FindingStatus.NOTIFIED, is_repeat=True)
    assert proposed_case(enterprise, team=team, findings=[finding]).status == S.PROPOSED
