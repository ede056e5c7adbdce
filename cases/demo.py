"""
Demo cases (a core.demo step, order 50, after the rectification loop): one
administrative case in each state a user meets (proposed, filed,
investigating with confirmed records and preserved evidence, prior notice
served with the enterprise's statement from the portal, decided and
served, transferred to public security, closed), all made through the
cases services so every step is checked, numbered, rendered and audited.

The demo's conflicts of interest are drawn at random (inspections.demo), so
each team is the first two certified officers who need not stand down for
the enterprise; an enterprise without two such officers is passed over.
The demo officers receive law-enforcement certificate numbers here.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from enterprises.demo import demo_contact_account
from enterprises.models import Enterprise
from inspections.models import Finding, FindingStatus, IssueCode, OfficerConflict, SampledItem
from reports.notices import citing

from . import documents, evidence, records, services
from .models import Case, CaseSource, DocumentKind, Outcome, PartyConfirmation, RecordKind

# The states shown, in the order they are made; the first goes to qiye's
# enterprise (the portal demo login) when it can.
SCENARIOS = ["prior_notice", "proposed", "filed", "investigating", "served", "transferred", "closed"]
CERTIFICATE_VALID_YEARS = 5
CAUSE = "未按规定对人工智能生成合成内容添加标识"
TARGETED_FACTS = ("专项检查中，执法人员抽检你单位提供的人工智能生成合成服务输出的内容，"
                  "发现部分内容未添加显式标识，文件元数据中未写入隐式标识。")
# The conduct TARGETED_FACTS describe, named for the prior notice (the case has no findings).
TARGETED_CONDUCT = ("EXP-01", "IMP-01")
INSPECTION_NOTE = ("执法人员在当事人经营场所调取了生成合成服务的后台配置和内容样本，"
                   "当事人现场演示了内容生成和下载流程，下载所得文件未见显式标识，元数据中未见隐式标识。")
QUESTIONING_NOTE = ("问：你单位生成合成服务是否对输出内容添加标识？\n"
                    "答：显式标识只在网页端显示，下载文件和接口输出的内容没有添加，元数据也没有写入。\n"
                    "问：以上所述是否属实？\n答：属实。")
# The penalty provision of the legal-citation data (reports, use “penalty”).
PENALTY_GROUNDS = "《互联网信息服务深度合成管理规定》第二十二条的规定"
STATEMENT = ("我单位对告知书所述事实无异议。发现问题后已于当日停止相关下载功能，"
             "并已完成显式标识和隐式标识的技术改造，请求从轻处理。")


def seed_cases(ctx: dict) -> None:
    users = ctx.get("users", {})
    supervisor = users.get("supervisor")
    officers = [users[n] for n in ("inspector", "inspector2", "inspector3", "inspector4") if n in users]
    if supervisor is None or len(officers) < 2:
        return
    today = ctx.get("today") or timezone.localdate()
    _certify([*officers, supervisor], today)
    qiye = users.get("qiye")
    enterprises = _enterprises(ctx, qiye)
    made: dict[str, Case] = {}
    for scenario in SCENARIOS:
        while enterprises:
            enterprise = enterprises.pop(0)
            team = _team(officers, enterprise)
            if team is not None:
                made[scenario] = _make(scenario, enterprise, team, supervisor, qiye)
                break
    ctx["cases"] = made
    if ctx.get("stdout"):
        ctx["stdout"].write("  cases: " + ", ".join(f"{case.get_status_display()}"
                                                     for case in made.values()))


def _certify(staff: list, today: datetime.date) -> None:
    """Demo officers hold a law-enforcement certificate valid for some years."""
    until = today.replace(year=today.year + CERTIFICATE_VALID_YEARS)
    for n, user in enumerate(staff, start=1):
        if not user.is_certified_on(today):
            user.certificate_number = f"1100002026{n:04d}"
            user.certificate_valid_until = until
            user.save(update_fields=["certificate_number", "certificate_valid_until"])


def _enterprises(ctx: dict, qiye) -> list[Enterprise]:
    """qiye's enterprise first, then the others in a seeded order, none with a case yet."""
    with_case = set(Case.objects.values_list("enterprise_id", flat=True))
    pool = [e for e in ctx.get("enterprises") or Enterprise.objects.order_by("pk")
            if e.pk not in with_case]
    featured = [e for e in pool if qiye is not None and e.pk == qiye.enterprise_id]
    others = [e for e in pool if e not in featured]
    ctx["rng"].shuffle(others)
    return featured + others


def _team(officers: list, enterprise: Enterprise) -> list | None:
    conflicted = set(OfficerConflict.objects.filter(enterprise=enterprise)
                     .values_list("officer_id", flat=True))
    free = [o for o in officers if o.pk not in conflicted]
    return free[:2] if len(free) >= 2 else None


def _findings(enterprise: Enterprise) -> list[Finding]:
    """Findings that may go to a case and that a binding provision in force covered."""
    candidates = [
        f for f in Finding.objects.filter(enterprise=enterprise, status__in=services.CASE_FINDING_STATUSES)
        .select_related("issue_code", "inspection").prefetch_related("evidence_items").order_by("pk")[:50]
        if f.status in (FindingStatus.OVERDUE, FindingStatus.ESCALATED) or services.is_serious(f)
    ]
    bases = citing.notice_bases(candidates)
    return [f for f in candidates if bases[f.pk].can_order][:3]


def _party(enterprise: Enterprise, qiye) -> User:
    if qiye is not None and qiye.enterprise_id == enterprise.pk:
        return qiye
    return demo_contact_account(enterprise)


def _make(scenario: str, enterprise: Enterprise, team: list, supervisor, qiye) -> Case:
    findings = _findings(enterprise)
    if findings:
        serious = any(services.is_serious(f) for f in findings)
        source = CaseSource.SERIOUS if serious else CaseSource.OVERDUE
        facts = "检查发现下列问题，" + ("情节严重，依法立案调查。" if serious else "经责令限期改正，期限届满仍未改正。")
    else:
        source, facts = CaseSource.TARGETED, TARGETED_FACTS
    case = services.case_propose(enterprise=enterprise, actor=team[0], source=source, cause=CAUSE,
                                 facts=facts, clue_found_on=timezone.localdate(), findings=findings,
                                 team=team)
    if scenario == "proposed":
        return case
    case = services.case_file(case=case, actor=supervisor)
    if scenario == "filed":
        return case
    case = services.case_start_investigation(case=case, actor=team[0])
    _record(case, team, RecordKind.INSPECTION, person="", confirmation=PartyConfirmation.SIGNED)
    if scenario == "investigating":
        _record(case, team, RecordKind.QUESTIONING, person="张明", confirmation=PartyConfirmation.REFUSED)
        _preserve(case, team, supervisor)
        records.interview_notice_issue(
            case=case, actor=team[0], when=timezone.now() + datetime.timedelta(days=7),
            place="本机关第一会议室", matters="就生成合成内容标识问题及整改安排进行约谈。")
        return case
    if scenario == "transferred":
        return services.case_transfer(case=case, actor=supervisor, transferred_to="北京市公安局网络安全保卫总队",
                                      reason="调查发现当事人提供的服务被用于批量制作、传播虚假信息，"
                                             "数量巨大，涉嫌构成犯罪。")
    party = _party(enterprise, qiye)
    if scenario == "closed":
        case = services.case_decide(case=case, actor=supervisor, outcome=Outcome.NO_PENALTY,
                                    decision_text="当事人违法行为轻微并及时改正，没有造成危害后果。")
        _serve_on_paper(case, DocumentKind.NO_PENALTY_DECISION, team)
        return services.case_close(case=Case.objects.get(pk=case.pk), actor=supervisor)
    _record(case, team, RecordKind.QUESTIONING, person="张明", confirmation=PartyConfirmation.SIGNED)
    case = services.case_issue_prior_notice(
        case=Case.objects.get(pk=case.pk), actor=supervisor, intended_penalty="warning",
        grounds=PENALTY_GROUNDS, conduct_on=case.clue_found_on,
        conduct_codes=list(IssueCode.objects.filter(code__in=TARGETED_CONDUCT)))
    # Served electronically: the enterprise acknowledges it in the portal, consenting.
    notice = case.documents.get(kind=DocumentKind.PRIOR_NOTICE)
    documents.document_acknowledge(document=notice, actor=party, consent=True)
    case = services.party_submit(case=Case.objects.get(pk=case.pk), actor=party, kind="statement",
                                 text=STATEMENT).case
    if scenario == "prior_notice":
        return Case.objects.get(pk=case.pk)
    case = services.case_decide(case=Case.objects.get(pk=case.pk), actor=supervisor, outcome=Outcome.PENALTY,
                                penalty="warning", decision_text="责令当事人立即改正违法行为。")
    _serve_on_paper(case, DocumentKind.PENALTY_DECISION, team)
    return Case.objects.get(pk=case.pk)


def _record(case: Case, team: list, kind: str, *, person: str, confirmation: str) -> None:
    now = timezone.now()
    content = INSPECTION_NOTE if kind == RecordKind.INSPECTION else QUESTIONING_NOTE
    record = records.record_create(
        case=case, actor=team[0], kind=kind, place=case.enterprise.address or "当事人经营场所",
        started_at=now - datetime.timedelta(hours=1), ended_at=now - datetime.timedelta(minutes=10),
        content=content, officer_list=team, person=person or "王磊",
        person_position="合规负责人" if kind == RecordKind.INSPECTION else "技术负责人")
    note = "被询问人核对笔录后拒绝签名，执法人员二人在场见证并注明。" if confirmation == PartyConfirmation.REFUSED else ""
    records.record_party_confirmation(record=record, actor=team[0], confirmation=confirmation,
                                      refusal_note=note)
    for officer in team:
        record = records.record_confirm(record=record, actor=officer)


def _preserve(case: Case, team: list, supervisor) -> None:
    item = (SampledItem.objects.filter(inspection__enterprise_id=case.enterprise_id)
            .order_by("-captured_at", "-pk").first())
    if item is None:
        return
    entry = evidence.evidence_preserve(case=case, actor=team[0], item=item, second_officer=team[1],
                                       device="执法记录平板（华为 MatePad 11）", network="单位执法专网",
                                       browser="Chromium")
    evidence.evidence_confirm(evidence=entry, actor=team[1])
    evidence.preservation_notice_issue(case=case, actor=supervisor)


def _serve_on_paper(case: Case, kind: str, team: list) -> None:
    document = case.documents.get(kind=kind)
    documents.record_service(document=document, actor=team[0], method="direct", served_at=timezone.now(),
                             servers=team, recipient="王磊")
