"""
Demo data for inspections (a core.demo step): the 2025 and 2026 Qinglang
campaigns, a drawn and approved plan each (through the real services, so
the draw is reproducible and audited), about 300 inspections, sampled items
with checks, and findings in every state with deadlines around today.
Items, checks and findings are bulk-inserted to keep seeding fast.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from . import selectors, workdays
from .models import (
    Campaign,
    Channel,
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    IssueCode,
    ItemCheck,
    OfficerConflict,
    SampledItem,
    SamplingRule,
    Severity,
)
from .services import campaigns as campaign_services
from .services import findings as finding_services
from .services import plans

FAIL_RATE = {"IMP": 0.025, "EXP": 0.02, "PLT": 0.02, "CNT": 0.002, "TMP": 0.001}
# Escalated is not among them: a finding is escalated by a recorded step
# (an interview, a warning), which the rectification demo step takes.
PAST_DEADLINE = [FindingStatus.ACCEPTED, FindingStatus.OVERDUE, FindingStatus.OVERDUE,
                 FindingStatus.REPORT_SUBMITTED, FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN]
BEFORE_DEADLINE = [FindingStatus.OPEN, FindingStatus.NOTIFIED, FindingStatus.NOTIFIED,
                   FindingStatus.REPORT_SUBMITTED, FindingStatus.CHANGES_REQUESTED]


def _campaigns(supervisor: User, team: list[User]) -> tuple[Campaign, Campaign]:
    focus = list(IssueCode.objects.filter(category__in=["EXP", "IMP", "PLT", "FIL"]))
    c2025 = campaign_services.campaign_create(actor=supervisor, fields={
        "name": "2025年“清朗·整治AI技术滥用”专项行动", "code": "QL2025-AITECH",
        "agency": "北京市互联网信息办公室", "notice_prefix": "京网信改",
        "starts_on": datetime.date(2025, 4, 30), "ends_on": datetime.date(2025, 7, 31),
        "legal_basis": "《人工智能生成合成内容标识办法》；中央网信办《关于开展“清朗·整治AI技术滥用”专项行动的通知》",
        "sampling_rule": SamplingRule.GB2828, "aql": Decimal("2.5"),
        "detection_rate": Decimal("0.05"), "detection_confidence": Decimal("0.95"),
        "status": Campaign.Status.CLOSED,
    }, focus_codes=focus, team=team)
    focus = list(IssueCode.objects.filter(category__in=["EXP", "IMP", "PLT", "CNT", "GOV"]))
    c2026 = campaign_services.campaign_create(actor=supervisor, fields={
        "name": "2026年“清朗·整治AI应用乱象”专项行动", "code": "QL2026-AIAPP",
        "agency": "北京市互联网信息办公室", "notice_prefix": "京网信改",
        "starts_on": datetime.date(2026, 4, 30), "ends_on": datetime.date(2026, 12, 31),
        "legal_basis": "《人工智能生成合成内容标识办法》；GB 45438-2025；中央网信办《关于开展“清朗·整治AI应用乱象”专项行动的通知》",
        "sampling_rule": SamplingRule.ZERO_ACCEPTANCE, "aql": Decimal("1.0"),
        "detection_rate": Decimal("0.10"), "detection_confidence": Decimal("0.90"),
        "status": Campaign.Status.ACTIVE,
    }, focus_codes=focus, team=team)
    return c2025, c2026


def _plan(campaign: Campaign, drawer: User, supervisor: User, officers: list[User], *, seed, random_n, verification_n, first, last):
    """An inspector records and draws the plan, the supervisor approves it (four eyes)."""
    plan = plans.plan_create(campaign=campaign, actor=drawer, officer_pool=officers, fields={
        "name": f"{campaign.name} 双随机抽查计划", "frame_filters": {},
        "high_risk_mode": "all", "high_risk_k": 0, "random_n": random_n,
        "verification_n": verification_n, "officers_per_inspection": 2,
        "method": "remote", "first_date": first, "last_date": last,
    })
    # A fixed seed keeps the demo the same on every run (no form can do this).
    plans.plan_draw(plan=plan, actor=drawer, seed_source=lambda: seed)
    return plans.plan_approve(plan=plan, actor=supervisor)


def seed_inspections(ctx: dict) -> None:
    rng = ctx["rng"]
    today: datetime.date = ctx["today"]
    users = ctx["users"]
    enterprises = ctx["enterprises"]
    supervisor = users["supervisor"]
    officers = [users[name] for name in ("inspector", "inspector2", "inspector3", "inspector4")
                if name in users] + [supervisor]
    for enterprise in rng.sample(list(enterprises), min(3, len(enterprises))):
        OfficerConflict.objects.get_or_create(
            officer=officers[0], enterprise=enterprise,
            defaults={"reason": "近亲属在该企业任职，依法回避"})
    c2025, c2026 = _campaigns(supervisor, team=[o for o in officers if o.role == "inspector"])
    active = [e for e in enterprises if e.status == "active"]
    n_medium = sum(1 for e in active if e.risk_tier == "medium")
    n_low = sum(1 for e in active if e.risk_tier == "low")
    drawer = officers[0]
    old = _plan(c2025, drawer, supervisor, officers, seed=20250430, random_n=n_medium,
                verification_n=int(n_low * 0.6), first=datetime.date(2025, 5, 12), last=datetime.date(2025, 7, 25))
    new = _plan(c2026, drawer, supervisor, officers, seed=20260430, random_n=n_medium,
                verification_n=int(n_low * 0.8), first=datetime.date(2026, 9, 1), last=datetime.date(2026, 12, 18))
    _statuses(old, new, today, rng)
    findings = _items_checks_findings(old + new, today, rng, officers)
    _finding_states(findings, today, rng)


def _statuses(old, new, today, rng) -> None:
    now = timezone.now()
    for inspection in old:
        inspection.status = Inspection.Status.CLOSED
    for inspection in new:
        age = (today - inspection.planned_date).days
        if age > 20:
            inspection.status = (Inspection.Status.CLOSED if rng.random() < 0.3
                                 else Inspection.Status.COMPLETED)
        elif age > 2:
            inspection.status = (Inspection.Status.COMPLETED if rng.random() < 0.5
                                 else Inspection.Status.IN_PROGRESS)
        elif age >= 0:
            inspection.status = Inspection.Status.DUE
        else:
            inspection.status = Inspection.Status.PLANNED
    for inspection in old + new:
        # The record holds the days the work was done (documents state
        # them): it starts on the planned day and ends the next day.
        start = timezone.make_aware(datetime.datetime.combine(inspection.planned_date, datetime.time(9)))
        if inspection.status in (Inspection.Status.IN_PROGRESS, Inspection.Status.COMPLETED,
                                 Inspection.Status.CLOSED):
            inspection.started_at = min(now, start)
        if inspection.status in (Inspection.Status.COMPLETED, Inspection.Status.CLOSED):
            inspection.completed_at = min(now, start + datetime.timedelta(days=1, hours=8))
    Inspection.objects.bulk_update(old + new, ["status", "started_at", "completed_at"])


def _items_checks_findings(inspections, today, rng, officers) -> list[Finding]:
    inspections = [i for i in inspections if i.status in (
        Inspection.Status.IN_PROGRESS, Inspection.Status.COMPLETED, Inspection.Status.CLOSED)]
    ids = [i.pk for i in inspections]
    loaded = {i.pk: i for i in Inspection.objects.filter(pk__in=ids).select_related(
        "enterprise", "campaign").prefetch_related("sampled_services__service", "officers")}
    code_cache: dict[tuple, list[IssueCode]] = {}
    items: list[SampledItem] = []
    item_meta = []
    for inspection in (loaded[pk] for pk in ids):
        complete = inspection.status != Inspection.Status.IN_PROGRESS
        day = inspection.planned_date
        captured = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        team = list(inspection.officers.all()) or officers[:1]
        for position, sampled in enumerate(inspection.sampled_services.all()):
            modalities = sampled.service.modalities or ["text"]
            # The first service of a finished 2026 inspection gets its full
            # sample; the others a few items, so both states appear.
            full = complete and position == 0 and sampled.sample_size <= 60
            n = sampled.sample_size if full else min(sampled.sample_size, rng.randint(2, 5))
            for k in range(n):
                modality = modalities[k % len(modalities)]
                items.append(SampledItem(
                    inspection=inspection, service=sampled.service, modality=modality,
                    content_ref=f"{sampled.service.url or 'https://example.cn/'}content/{inspection.pk}-{k + 1}",
                    channel=rng.choice(Channel.values), captured_at=captured + datetime.timedelta(minutes=k),
                    captured_by=team[k % len(team)],
                    checks_completed_at=captured if (complete or rng.random() < 0.6) else None,
                ))
                item_meta.append(inspection)
    items = SampledItem.objects.bulk_create(items, batch_size=1000)
    checks: list[ItemCheck] = []
    # The failing items of each inspection and issue code: one finding each.
    failures: dict[tuple[int, str], tuple[Inspection, IssueCode, list[SampledItem]]] = {}
    for item, inspection in zip(items, item_meta, strict=True):
        key = (item.modality, tuple(inspection.enterprise.roles))
        if key not in code_cache:
            code_cache[key] = selectors.applicable_codes(modality=item.modality,
                                                        roles=inspection.enterprise.roles)
        if item.checks_completed_at is None:
            continue
        for code in code_cache[key]:
            failed = rng.random() < FAIL_RATE.get(code.category, 0.01)
            checks.append(ItemCheck(
                item=item, issue_code=code,
                result=CheckResult.FAIL if failed else (
                    CheckResult.NOT_APPLICABLE if rng.random() < 0.05 else CheckResult.PASS),
                # Demo items carry no files, so every answer is the inspector's.
                source=ItemCheck.Source.MANUAL, checked_by=item.captured_by,
                note=f"{code.title_zh}（抽检样本 {item.content_ref}）" if failed else "",
            ))
            if failed:
                failures.setdefault((inspection.pk, code.pk), (inspection, code, []))[2].append(item)
    ItemCheck.objects.bulk_create(checks, batch_size=2000)
    return _findings(failures, rng)


def _findings(failures, rng) -> list[Finding]:
    findings, evidence, created_times = [], [], []
    for inspection, code, failed_items in failures.values():
        if inspection.status == Inspection.Status.IN_PROGRESS and rng.random() < 0.5:
            continue  # not yet written up
        created = timezone.make_aware(datetime.datetime.combine(
            workdays.add_working_days(inspection.planned_date, rng.randint(1, 3)).date,
            datetime.time(15, 30)))
        deadline, deadline_at, estimated = finding_services.compute_deadline(
            start=created, period=code.default_period, unit=code.period_unit)
        findings.append(Finding(
            inspection=inspection, enterprise=inspection.enterprise, campaign=inspection.campaign,
            issue_code=code, severity=code.default_severity, legal_basis=code.legal_basis,
            description=f"{code.title_zh}，抽检样本中有{len(failed_items)}条存在该问题。",
            period=code.default_period, period_unit=code.period_unit, deadline=deadline,
            deadline_at=deadline_at, deadline_estimated=estimated,
            created_by=inspection.officers.all()[0] if inspection.officers.all() else None,
        ))
        created_times.append(created)
        evidence.append(failed_items)
    findings = Finding.objects.bulk_create(findings, batch_size=500)
    for finding, created in zip(findings, created_times, strict=True):
        finding.created_at = created
    Finding.objects.bulk_update(findings, ["created_at"], batch_size=500)
    Through = Finding.evidence_items.through
    Through.objects.bulk_create([Through(finding_id=f.pk, sampleditem_id=i.pk)
                                 for f, items in zip(findings, evidence, strict=True)
                                 for i in items[:5]], batch_size=2000)
    return findings


def _finding_states(findings, today, rng) -> None:
    now = timezone.now()
    earlier: dict[tuple[int, str], Finding] = {}
    for finding in sorted(findings, key=lambda f: f.created_at):
        key = (finding.enterprise_id, finding.issue_code_id)
        if finding.campaign.starts_on.year == 2025:
            finding.status = rng.choice([FindingStatus.ACCEPTED] * 14 + [FindingStatus.WITHDRAWN])
            earlier.setdefault(key, finding)
        else:
            past = finding.deadline < today
            finding.status = rng.choice(PAST_DEADLINE if past else BEFORE_DEADLINE)
            if key in earlier:
                finding.is_repeat, finding.repeat_of = True, earlier[key]
                finding.severity = {Severity.LOW: Severity.MEDIUM}.get(finding.severity, Severity.HIGH)
        if finding.status != FindingStatus.OPEN:
            finding.notified_at = finding.created_at + datetime.timedelta(days=1)
        if finding.status in (FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN):
            finding.closed_at = min(now, finding.created_at + datetime.timedelta(days=12))
        if finding.status == FindingStatus.WITHDRAWN:
            finding.deadline_change_reason = ""
    Finding.objects.bulk_update(findings, ["status", "notified_at", "closed_at", "is_repeat",
                                           "repeat_of", "severity"], batch_size=500)
