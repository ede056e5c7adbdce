"""
The campaign summary report (PDF): scope, selection plans (frame, strata,
seed), sample sizes and their rule, results by issue category and content
modality with charts, enterprises with outcomes, and the overdue list.
All figures are aggregated in the database.
"""


from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User
from enterprises.models import Modality
from inspections import sampling
from inspections.models import (
    OPEN_STATUSES,
    Campaign,
    Finding,
    FindingStatus,
    Inspection,
    InspectionService,
    IssueCategory,
    LabelVerdict,
    PlanEntry,
    SampledItem,
    SamplingRule,
)
from inspections.selectors import origin_breakdown

from .. import pdf
from ..notices.models import Notice
from ..texts import cn_date
from .figures import bar_chart_svg

VIOLATING_VERDICTS = (LabelVerdict.NONCOMPLIANT, LabelVerdict.NOT_FOUND)


def campaign_report_context(*, campaign: Campaign) -> dict:
    today = timezone.localdate()
    inspections = Inspection.objects.filter(campaign=campaign)
    status_counts = dict(inspections.values_list("status").annotate(n=Count("id")))
    findings = Finding.objects.filter(campaign=campaign)

    plans = []
    strata: dict[int, dict[str, int]] = {}
    for entry in (PlanEntry.objects.filter(plan__campaign=campaign).values("plan_id", "stratum")
                  .annotate(n=Count("id"))):
        strata.setdefault(entry["plan_id"], {})[entry["stratum"]] = entry["n"]
    for plan in campaign.plans.all().order_by("created_at"):
        plans.append({"plan": plan, "frame": len(plan.frame_enterprise_ids or []),
                      "strata": strata.get(plan.pk, {})})

    samples = [
        {**sample, "label": SamplingRule(sample["rule"]).label}
        for sample in InspectionService.objects.filter(inspection__campaign=campaign).values("rule")
        .annotate(services=Count("id"), lots=Sum("lot_size"), n=Sum("sample_size"))
        .order_by("rule")
    ]

    by_category = dict(findings.exclude(status=FindingStatus.WITHDRAWN)
                       .values_list("issue_code__category").annotate(n=Count("id")))
    category_rows = [(f"{c.value} {c.label}", by_category.get(c.value, 0)) for c in IssueCategory
                     if by_category.get(c.value)]

    modality_rows = []
    for by_modality in (SampledItem.objects.filter(inspection__campaign=campaign).values("modality")
                        .annotate(n=Count("id"),
                                  bad=Count("id", filter=Q(label_verdict__in=VIOLATING_VERDICTS)))
                        .order_by("modality")):
        n, bad = by_modality["n"], by_modality["bad"]
        interval = sampling.wilson_interval(bad, n) if n else None
        low, high = (interval.low, interval.high) if interval else (0.0, 0.0)
        modality_rows.append({
            "label": Modality(by_modality["modality"]).label, "n": n, "bad": bad,
            "rate": 100 * bad / n if n else 0, "low": 100 * low, "high": 100 * high,
        })

    notices_by_enterprise: dict[int, list[str]] = {}
    for enterprise_id, number in (Notice.objects.filter(campaign=campaign).exclude(number="")
                                  .order_by("serial").values_list("enterprise_id", "number")):
        notices_by_enterprise.setdefault(enterprise_id, []).append(number)
    open_values = [s.value for s in OPEN_STATUSES]
    enterprises = [
        {**row, "notices": "、".join(notices_by_enterprise.get(row["enterprise_id"], [])),
         "outcome": "无问题" if not row["n_findings"] else "已整改" if not row["n_open"] else "整改中"}
        for row in inspections.values("enterprise_id", "enterprise__name", "enterprise__uscc")
        .annotate(n_inspections=Count("id", distinct=True),
                  n_findings=Count("findings", distinct=True),
                  n_open=Count("findings", filter=Q(findings__status__in=open_values), distinct=True),
                  n_closed=Count("findings", filter=Q(findings__status=FindingStatus.ACCEPTED), distinct=True))
        .order_by("enterprise__name")
    ]

    overdue = list(
        findings.filter(Q(status__in=[FindingStatus.OVERDUE, FindingStatus.ESCALATED])
                        | Q(status__in=open_values, deadline__lt=today))
        .select_related("enterprise", "issue_code").order_by("deadline")[:500]
    )
    return {
        "origins": origin_breakdown(inspections=inspections, findings=findings),
        "campaign": campaign, "today": cn_date(today),
        "period": f"{cn_date(campaign.starts_on)}至{cn_date(campaign.ends_on)}",
        "inspection_total": sum(status_counts.values()), "status_counts": status_counts,
        "enterprise_total": len(enterprises),
        "item_total": sum(r["n"] for r in modality_rows),
        "finding_total": findings.count(),
        "notice_total": sum(len(v) for v in notices_by_enterprise.values()),
        "plans": plans, "samples": samples, "aql": campaign.aql,
        "detection_rate": campaign.detection_rate, "detection_confidence": campaign.detection_confidence,
        "category_chart": bar_chart_svg(category_rows, title="问题类别分布（条）"),
        "modality_chart": bar_chart_svg([(r["label"], round(r["rate"], 1)) for r in modality_rows],
                                        title="各模态标识不合规率（%）", unit="%", color="#c0392b"),
        "categories": category_rows, "modalities": modality_rows,
        "enterprises": enterprises, "overdue": overdue,
    }


def campaign_report_pdf(*, campaign: Campaign, viewer: User) -> bytes:
    return pdf.render_campaign_report(campaign_report_context(campaign=campaign))


def build_export(*, viewer: User, params: dict) -> tuple[bytes, str, str, None]:
    """
    Build the campaign report PDF of a background job (core.exports) as
    `viewer`: at national scale it lays out thousands of enterprises, far
    too long for a request.
    """
    from inspections.selectors import campaign_list

    campaign = campaign_list(viewer=viewer).get(pk=params["campaign_id"])
    data = campaign_report_pdf(campaign=campaign, viewer=viewer)
    return data, f"campaign-report-{campaign.code}.pdf", "application/pdf", None
