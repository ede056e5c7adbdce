"""
Demo data for notices and bulletins (a core.demo step, order 30, after the
inspections step): rectification notices of the 2026 campaign drafted from
the enterprises' open findings, approved, issued in one batch (real
numbers, WeasyPrint PDFs, findings moved to "notified"), some served, and a
typical-issues bulletin sent to every enterprise in scope.

Everything goes through the reports and inspections services, so the
audit trail, numbering and notifications are the real ones. The demo logins
qiye and qiye2 always get an issued notice.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from enterprises.demo import demo_contact_account
from inspections import selectors as inspection_selectors
from inspections.models import (
    Campaign,
    Channel,
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    ItemCheck,
)
from inspections.services import findings as finding_services
from inspections.services import inspections as inspection_services
from legal.law import bases_for

from .bulletins import services as bulletin_services
from .notices import citing as notice_citing
from .notices import services
from .notices.models import Notice, NoticeStatus, ServiceMethod

CAMPAIGN_CODE = "QL2026-AIAPP"
NOTICE_TARGET = 20  # enterprises that get a notice
DRAFTS = 3  # of them left as drafts
APPROVED_ONLY = 3  # approved, waiting for the next batch
ACKNOWLEDGED = 3  # other parties that acknowledge in the portal (besides qiye)
MAX_FINDINGS_PER_NOTICE = 4
BULLETIN_FINDINGS = 8
# Issue categories the inspectors prefer when they record a finding by hand.
PREFERRED_CATEGORIES = ("EXP", "IMP", "PLT")


def seed_notices(ctx: dict) -> None:
    campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
    users = ctx["users"]
    if campaign is None or "supervisor" not in users:
        return
    rng = ctx["rng"]
    supervisor = users["supervisor"]
    inspectors = [users[n] for n in ("inspector", "inspector2", "inspector3", "inspector4") if n in users]
    featured = [users[n] for n in ("qiye", "qiye2") if n in users and users[n].enterprise_id]
    groups = _open_findings(campaign, [u.enterprise for u in featured], rng, supervisor,
                            inspectors, target=NOTICE_TARGET)
    if not groups:
        return
    featured_ids = {u.enterprise_id for u in featured}
    ordered = [e for e in groups if e in featured_ids]
    others = sorted(e for e in groups if e not in featured_ids)
    rng.shuffle(others)
    ordered += others[: max(0, NOTICE_TARGET - len(ordered))]
    # The last non-featured enterprises stay behind: drafts, then approved only.
    # With a small registry (seed_demo --enterprises), at least half are issued.
    others_ordered = [e for e in ordered if e not in featured_ids]
    held_back = min(DRAFTS + APPROVED_ONLY, len(others_ordered) // 2)
    behind = others_ordered[len(others_ordered) - held_back:]
    drafts, approved_only = set(behind[:DRAFTS]), set(behind[DRAFTS:])

    notices: dict[int, Notice] = {}
    for enterprise_id in ordered:
        findings = groups[enterprise_id][:MAX_FINDINGS_PER_NOTICE]
        author = _author(findings[0].inspection, inspectors, supervisor)
        for inspection in {f.inspection_id: f.inspection for f in findings}.values():
            _complete(inspection, _officer(inspection, supervisor))
        notices[enterprise_id] = services.notice_create(
            enterprise=findings[0].enterprise, campaign=campaign, findings=findings, actor=author)
    # All drafts but one were handed to the supervisors: their home shows them waiting.
    for enterprise_id in sorted(drafts)[1:]:
        notices[enterprise_id] = services.notice_submit(notice=notices[enterprise_id],
                                                        actor=notices[enterprise_id].created_by)
    for enterprise_id, notice in notices.items():
        if enterprise_id not in drafts and enterprise_id not in approved_only:
            notices[enterprise_id] = services.notice_approve(notice=notice, actor=supervisor)

    # Issue every approved notice through the batch path (rendered in chunks).
    batch = services.batch_issue_start(campaign=campaign, actor=supervisor)
    services.batch_issue_run(batch_id=batch.pk)
    for enterprise_id in approved_only:
        services.notice_approve(notice=notices[enterprise_id], actor=supervisor)

    issued = list(Notice.objects.filter(pk__in=batch.notice_ids).select_related("enterprise")
                  .order_by("number"))
    _serve(issued, featured, rng, (inspectors[:2] + [supervisor])[:2])
    _bulletin(campaign, supervisor, issued, rng, featured)
    ctx["notices"] = list(Notice.objects.filter(campaign=campaign).order_by("pk"))
    if ctx.get("stdout"):
        counts = {s: sum(n.status == s for n in ctx["notices"]) for s in NoticeStatus.values}
        ctx["stdout"].write("  notices: " + ", ".join(f"{n} {s}" for s, n in counts.items()))


# --- findings to notify ------------------------------------------------------------


def _author(inspection: Inspection, inspectors: list[User], supervisor: User) -> User:
    """An inspector of the inspection drafts its notice (never the approving supervisor)."""
    officers = [o for o in inspection.officers.all() if o.pk != supervisor.pk and o.can_edit]
    return officers[0] if officers else (inspectors[0] if inspectors else supervisor)


def _complete(inspection: Inspection, officer: User) -> None:
    """The officers finish an inspection before its notice is drafted (facts come from it)."""
    inspection.refresh_from_db()
    if inspection.status == Inspection.Status.DUE:
        inspection = inspection_services.inspection_transition(
            inspection=inspection, to_status=Inspection.Status.IN_PROGRESS, actor=officer)
    if inspection.status == Inspection.Status.IN_PROGRESS:
        inspection_services.inspection_transition(
            inspection=inspection, to_status=Inspection.Status.COMPLETED, actor=officer)


def _uncovered_open(campaign: Campaign) -> dict[int, list[Finding]]:
    groups: dict[int, list[Finding]] = {}
    findings = list(Finding.objects.filter(campaign=campaign, status=FindingStatus.OPEN, notices__isnull=True)
                    .select_related("inspection", "enterprise").prefetch_related("evidence_items")
                    .order_by("enterprise_id", "issue_code_id", "pk"))
    # Only what a notice may order: a binding provision in force at the
    # conduct (IMP-10, resting on a guide only, stays a finding).
    bases = notice_citing.notice_bases(findings)
    for finding in findings:
        if bases[finding.pk].can_order:
            groups.setdefault(finding.enterprise_id, []).append(finding)
    return groups


def _open_findings(campaign, featured, rng, supervisor: User, inspectors, *, target) -> dict[int, list[Finding]]:
    """
    Open findings by enterprise, enough for `target` notices where the data
    allows: the open findings left by the inspections step, then failed
    checks not yet written up, then inspections carried out now (always for
    the demo logins' enterprises when they have none).
    """
    _write_up_failed_checks(campaign, supervisor)
    groups = _uncovered_open(campaign)
    now = timezone.now()
    for enterprise in featured:
        if enterprise.pk not in groups:
            inspection = _inspection_to_carry_out(campaign, enterprise.pk)
            if inspection is not None:
                _carry_out(inspection, rng, supervisor, now)
    due = list(Inspection.objects.filter(campaign=campaign, status=Inspection.Status.DUE)
               .exclude(enterprise_id__in=_uncovered_open(campaign)).order_by("planned_date", "pk"))
    for inspection in due[: max(0, target - len(_uncovered_open(campaign)))]:
        _carry_out(inspection, rng, supervisor, now)
    return _uncovered_open(campaign)


def _write_up_failed_checks(campaign: Campaign, supervisor: User) -> None:
    """Failed checks of the campaign with no finding yet for their inspection and code."""
    written = set(Finding.objects.filter(campaign=campaign).values_list("inspection_id", "issue_code_id"))
    checks = (ItemCheck.objects.filter(result=CheckResult.FAIL, item__inspection__campaign=campaign)
              .select_related("item__inspection", "issue_code").order_by("item__inspection_id",
                                                                         "issue_code_id", "item_id"))
    for check in checks:
        key = (check.item.inspection_id, check.issue_code_id)
        if key in written:
            continue
        written.add(key)
        finding_services.finding_create_from_check(
            check=check, actor=_officer(check.item.inspection, supervisor))


def _officer(inspection: Inspection, supervisor: User) -> User:
    officers = [o for o in inspection.officers.all() if o.can_edit and o.pk != supervisor.pk]
    return officers[0] if officers else supervisor


def _inspection_to_carry_out(campaign: Campaign, enterprise_id: int) -> Inspection | None:
    return (Inspection.objects.filter(campaign=campaign, enterprise_id=enterprise_id, status__in=[
        Inspection.Status.PLANNED, Inspection.Status.DUE, Inspection.Status.IN_PROGRESS])
        .order_by("planned_date", "pk").first())


def _carry_out(inspection: Inspection, rng, supervisor: User, now: datetime.datetime) -> list[Finding]:
    """
    Sample one content item of the inspection's first service, answer its
    checks (one or two fail) and write the failures up as findings.
    """
    officer = _officer(inspection, supervisor)
    if inspection.status == Inspection.Status.PLANNED:
        inspection = inspection_services.inspection_transition(
            inspection=inspection, to_status=Inspection.Status.DUE, actor=officer,
            note="根据投诉举报线索提前开展检查")
    sampled = inspection.sampled_services.select_related("service").order_by("pk").first()
    service = sampled.service if sampled else inspection.enterprise.services.order_by("pk").first()
    modality = (service.modalities if service else None) or ["text"]
    modality = rng.choice(modality)
    base = service.url if service and service.url else "https://example.cn/"
    item = inspection_services.item_create(
        inspection=inspection, actor=officer, modality=modality,
        content_ref=f"{base.rstrip('/')}/content/{inspection.pk}-demo-1",
        channel=rng.choice(Channel.values), captured_at=now - datetime.timedelta(hours=3),
        service=service,
    )
    codes = inspection_selectors.applicable_codes(modality=modality, roles=inspection.enterprise.roles)
    if not codes:
        return []
    # Problems a notice may order (a binding provision in force today).
    bases = bases_for(conduct={c.pk: timezone.localdate(now) for c in codes})
    orderable = [c for c in codes if bases[c.pk].can_order] or codes
    preferred = [c for c in orderable if c.category in PREFERRED_CATEGORIES] or orderable
    failing = rng.sample(preferred, min(len(preferred), rng.choice([1, 1, 2])))
    results: dict[str, tuple[str, str]] = {
        c.pk: (CheckResult.FAIL, f"{c.title_zh}（抽检样本 {item.content_ref}）") if c in failing
        else (CheckResult.PASS, "")
        for c in codes
    }
    inspection_services.item_checks_save(item=item, actor=officer, results=results)
    return [
        finding_services.finding_create_from_check(check=check, actor=officer)
        for check in item.checks.filter(result=CheckResult.FAIL).select_related("issue_code", "item")
        .order_by("issue_code_id")
    ]


# --- service and bulletin -------------------------------------------------------------


def _serve(issued: list[Notice], featured: list, rng, staff: list) -> None:
    """
    qiye acknowledges in the portal, and so do the compliance contacts of a
    few other parties; two are served in person or by post; the rest (qiye2
    among them) have not yet acknowledged receipt.
    """
    featured_by_enterprise = {u.enterprise_id: u for u in featured}
    first = featured[0].enterprise_id if featured else None
    others = [n for n in issued if n.enterprise_id not in featured_by_enterprise]
    # They consent to electronic service as they acknowledge (recorded: who, when, IP).
    for notice in [n for n in issued if n.enterprise_id == first]:
        services.notice_acknowledge(notice=notice, actor=featured_by_enterprise[first], consent=True,
                                    ip_address=f"198.51.100.{rng.randint(2, 250)}")
    for notice in others[:ACKNOWLEDGED]:
        services.notice_acknowledge(notice=notice, actor=demo_contact_account(notice.enterprise), consent=True,
                                    ip_address=f"198.51.100.{rng.randint(2, 250)}")
    servers = staff[:2]
    paper: list[tuple[str, dict[str, str | bool]]] = [
        (ServiceMethod.DIRECT, {"recipient": "企业合规负责人", "note": "由执法人员当面送达"}),
        (ServiceMethod.POST, {"recipient": "企业收发室", "by_agent": True, "agent_relation": "本单位收发人员",
                              "agent_reason": "受送达人指定的代收人", "note": "EMS挂号邮寄，邮件号EA123456789CN，回执已归档"}),
    ]
    for notice, (method, details) in zip(others[ACKNOWLEDGED:], paper, strict=False):
        services.notice_record_service(notice=notice, actor=staff[0], method=method,
                                       served_at=timezone.now(), servers=servers, **details)


def _bulletin(campaign: Campaign, supervisor: User, issued: list[Notice], rng, featured: list) -> None:
    """A typical-issues bulletin: one or two findings per issue code, anonymised."""
    findings = list(Finding.objects.filter(notices__in=issued).select_related("issue_code")
                    .order_by("issue_code_id", "pk"))
    if not findings:
        return
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.issue_code_id, []).append(finding)
    chosen = []
    for code in sorted(by_code):
        chosen.extend(by_code[code][:2])
    rng.shuffle(chosen)
    bulletin = bulletin_services.bulletin_create(
        campaign=campaign, actor=supervisor, findings=chosen[:BULLETIN_FINDINGS],
        title=f"关于{campaign.starts_on.year}年人工智能生成合成内容标识典型问题的通报",
    )
    bulletin = bulletin_services.bulletin_issue(bulletin=bulletin, actor=supervisor)
    if featured:
        bulletin_services.bulletin_mark_opened(bulletin=bulletin, user=featured[0])


def seed_analytics(ctx: dict) -> None:
    """
    Compute the analytics roll-ups once the demo exists. In production Celery
    beat brings them up to date every 2 minutes; the embedded demo has no beat.
    """
    from .analytics.services import analytics_rollups_refresh

    analytics_rollups_refresh()


def seed_publication(ctx: dict) -> None:
    """
    Publish the closed 2025 campaign's results (双随机、一公开), so the public
    results page has something to show; the 2026 campaign, still running,
    stays unpublished.
    """
    from .publication.services import campaign_results_publish

    campaign = Campaign.objects.filter(code="QL2025-AITECH").first()
    supervisor = ctx["users"].get("supervisor")
    if campaign is None or supervisor is None:
        return
    campaign_results_publish(campaign=campaign, actor=supervisor)
