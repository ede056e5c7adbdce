"""
Demo data for self-inspections (a core.demo step, order 60, after the
rectification loop and before the risk ranking, which counts
contradictions): the supervisor launches the 2026 campaign's self-inspection
for the enterprises of the campaign; about two thirds answer and submit
(some items not compliant, with plans), the reviewers accept some and ask
changes of others; qiye's enterprise has a draft half answered; a few
enterprises let the due date pass. A few enterprises declared compliant
items that the campaign's inspections had found violated: the
contradiction check flags them.

Everything goes through selfchecks.services (audited, notified). Only the
dates are moved afterwards, so that the declarations precede the
inspections as they would have in a real campaign.
"""

import datetime

from django.utils import timezone

from enterprises.demo import demo_contact_account
from inspections.models import Campaign, Finding, FindingStatus, OfficerConflict

from . import services
from .models import Answer, ReportStatus, Scope, SelfInspection, SelfReport

CAMPAIGN_CODE = "QL2026-AIAPP"
TITLE = "2026年“清朗·整治AI技术滥用”生成合成内容标识自查"
INSTRUCTIONS = ("请对照检查清单逐项自查本企业全部生成合成服务的标识情况，如实填报，上传能证明结论的材料"
                "（截图、元数据读取结果、制度文件等）；对不符合项须制定整改计划并明确起止日期。")
# Days before the launch's due date at which the declarations are dated.
DECLARED_DAYS_AGO = 75
NOTE = {
    Answer.COMPLIANT: "已抽查近30日生成内容各100条，均符合要求，附抽查记录。",
    Answer.NOT_APPLICABLE: "本企业未提供该类服务，不适用。",
    Answer.NONCOMPLIANT: "自查发现部分存量内容未按要求标识。",
}
PLAN = "对存量内容完成补标，上线发布前自动校验，未通过的不予发布；由合规负责人签字确认。"


def seed_selfchecks(ctx: dict) -> None:
    users = ctx.get("users", {})
    campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
    if campaign is None or "supervisor" not in users:
        return
    rng, today = ctx["rng"], timezone.localdate()
    supervisor = users["supervisor"]
    if not services.scope_enterprise_ids(campaign=campaign, scope=Scope.CAMPAIGN, filters={}):
        return  # a registry too small for the campaign to have reached anyone
    launch = services.selfinspection_launch(
        campaign=campaign, actor=supervisor, title=TITLE, instructions=INSTRUCTIONS,
        due_date=today + datetime.timedelta(days=2), scope=Scope.CAMPAIGN, remind_days=3)
    qiye = users.get("qiye")
    reviewers = [users[n] for n in ("inspector", "inspector2", "supervisor") if n in users]
    found = _found_codes(campaign)
    reports = list(launch.reports.select_related("enterprise").order_by("pk"))
    for index, report in enumerate(reports):
        featured = qiye is not None and report.enterprise_id == qiye.enterprise_id
        roll = rng.random()
        if featured:
            _answer(report, qiye, rng, found.get(report.enterprise_id, set()), share=0.5)
            continue
        if roll < 0.12:
            continue  # not started: will turn overdue below for some
        actor = demo_contact_account(report.enterprise)
        # About one enterprise in eight with findings declared a found item compliant.
        untruthful = index % 8 == 0
        _answer(report, actor, rng, found.get(report.enterprise_id, set()), untruthful=untruthful)
        if roll < 0.25:
            continue  # a draft, not yet submitted
        services.report_submit(report=report, actor=actor)
        if roll < 0.45:
            continue  # waiting for review
        reviewer = _reviewer(reviewers, report.enterprise_id)
        if roll < 0.55:
            services.report_review(report=report, actor=reviewer, accept=False,
                                   comment="不符合项的整改计划缺少完成日期依据，请补充整改方案及佐证材料。",
                                   resubmit_by=today + datetime.timedelta(days=10))
        else:
            services.report_review(report=report, actor=reviewer, accept=True)
    _backdate(launch, today)
    services.reports_remind_and_mark_overdue(today=today)
    contradictions = services.contradictions_detect()
    if ctx.get("stdout"):
        counts = {s: launch.reports.filter(status=s).count() for s in ReportStatus.values}
        ctx["stdout"].write(f"  self-inspection of {len(reports)} enterprises: "
                            + ", ".join(f"{n} {s}" for s, n in counts.items())
                            + f"; {contradictions} contradictions")


def _found_codes(campaign: Campaign) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for enterprise_id, code in (Finding.objects.filter(campaign=campaign)
                                .exclude(status=FindingStatus.WITHDRAWN)
                                .values_list("enterprise_id", "issue_code_id")):
        found.setdefault(enterprise_id, set()).add(code)
    return found


def _reviewer(reviewers: list, enterprise_id: int):
    conflicted = set(OfficerConflict.objects.filter(enterprise_id=enterprise_id)
                     .values_list("officer_id", flat=True))
    return next((r for r in reviewers if r.pk not in conflicted), reviewers[-1])


def _answer(report: SelfReport, actor, rng, found: set[str], *, untruthful: bool = False,
            share: float = 1.0) -> None:
    """Answer (a share of) the checklist: found items honestly, but for one if untruthful."""
    today = timezone.localdate()
    answers = {}
    items = list(report.items.all())
    # An untruthful enterprise hides one of the problems the inspectors found.
    hidden = min(found) if untruthful and found else None
    for item in items[:max(1, int(len(items) * share))]:
        if item.issue_code_id in found:
            answer = Answer.COMPLIANT if item.issue_code_id == hidden else Answer.NONCOMPLIANT
        else:
            roll = rng.random()
            answer = (Answer.NOT_APPLICABLE if roll < 0.1 else Answer.NONCOMPLIANT if roll < 0.16
                      else Answer.COMPLIANT)
        values: dict[str, object] = {"answer": answer, "note": NOTE[answer]}
        if answer == Answer.NONCOMPLIANT:
            values.update(plan_measures=PLAN, plan_start=today,
                          plan_due=today + datetime.timedelta(days=rng.choice([15, 20, 30])))
        answers[item.pk] = values
    services.report_save(report=report, actor=actor, answers=answers, front={
        "responsible_person": actor.get_full_name() or "合规负责人",
        "contact_phone": actor.phone or "", "declaration": share >= 1.0,
        "summary": "已组织各产品线对照清单完成自查，不符合项已制定整改计划。" if share >= 1.0 else "",
    })


def _backdate(launch: SelfInspection, today: datetime.date) -> None:
    """
    Date the launch and the declarations before the later inspections of
    the campaign, as they were in the story; the reports sent back for
    changes were due again three days ago and were not resubmitted.
    """
    launched = timezone.now() - datetime.timedelta(days=DECLARED_DAYS_AGO + 10)
    SelfInspection.objects.filter(pk=launch.pk).update(created_at=launched)
    declared = timezone.now() - datetime.timedelta(days=DECLARED_DAYS_AGO)
    reports = SelfReport.objects.filter(self_inspection=launch)
    reports.filter(submitted_at__isnull=False).update(submitted_at=declared)
    reports.filter(reviewed_at__isnull=False).update(
        reviewed_at=declared + datetime.timedelta(days=8))
    reports.filter(status=ReportStatus.CHANGES_REQUESTED).update(
        due_date=today - datetime.timedelta(days=3))
