"""
Recomputing the risk ranking: measure every active enterprise with a few
grouped queries (flat in the number of enterprises), score it, keep the
score in the history and set the enterprise's tier and score, which the
high-risk stratum of a selection plan reads.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from accounts.models import User
from core.audit import audit_event, audit_record, audit_record_many
from enterprises.models import MODALITY_FIELDS, Enterprise, EnterpriseStatus, Service
from inspections.models import CheckResult, Finding, FindingStatus, Inspection, SampledItem
from selfchecks.models import Contradiction
from tipoffs.models import TipOff

from . import scoring
from .models import RiskScore, RiskSettings

BATCH = 500


def measure(*, enterprise_ids: list[int], since: datetime.datetime, today: datetime.date) -> dict:
    """The measurements of each enterprise (scoring.Measurements by id)."""
    found: dict[int, scoring.Measurements] = {pk: scoring.Measurements() for pk in enterprise_ids}
    items = (SampledItem.objects.filter(inspection__enterprise_id__in=enterprise_ids,
                                        captured_at__gte=since, checks_completed_at__isnull=False)
             .order_by().values("inspection__enterprise_id")
             .annotate(n=Count("id", distinct=True),
                       failed=Count("id", filter=Q(checks__result=CheckResult.FAIL), distinct=True)))
    for row in items:
        m = found[row["inspection__enterprise_id"]]
        m.items_checked, m.items_failed = row["n"], row["failed"]
    findings = (Finding.objects.filter(enterprise_id__in=enterprise_ids)
                .exclude(status=FindingStatus.WITHDRAWN).order_by().values("enterprise_id")
                .annotate(n_repeats=Count("id", filter=Q(is_repeat=True, created_at__gte=since)),
                          n_overdue=Count("id", filter=Q(status__in=[FindingStatus.OVERDUE,
                                                                      FindingStatus.ESCALATED]))))
    for finding_row in findings:
        found[finding_row["enterprise_id"]].repeats = finding_row["n_repeats"]
        found[finding_row["enterprise_id"]].overdue = finding_row["n_overdue"]
    for pk, n in (TipOff.objects.filter(enterprise_id__in=enterprise_ids, substantiated=True,
                                        created_at__gte=since)
                  .order_by().values_list("enterprise_id").annotate(n=Count("id"))):
        found[pk].tipoffs = n
    # Findings counted once each, however many declarations they contradict.
    for pk, n in (Contradiction.objects.filter(enterprise_id__in=enterprise_ids,
                                               finding__created_at__gte=since)
                  .exclude(finding__status=FindingStatus.WITHDRAWN)
                  .order_by().values_list("enterprise_id").annotate(n=Count("finding_id", distinct=True))):
        found[pk].contradictions = n
    modalities: dict[int, set] = defaultdict(set)
    for service_row in (Service.objects.filter(enterprise_id__in=enterprise_ids).order_by()
                        .values("enterprise_id", *MODALITY_FIELDS.values())):
        modalities[service_row["enterprise_id"]] |= {
            m for m, f in MODALITY_FIELDS.items() if service_row[f]}
    for pk, volume in (Service.objects.filter(enterprise_id__in=enterprise_ids).order_by()
                       .values_list("enterprise_id").annotate(v=Sum("monthly_aigc_volume"))):
        found[pk].monthly_volume = volume or 0
    for pk, kinds in modalities.items():
        found[pk].modalities = len(kinds)
    done = [Inspection.Status.COMPLETED, Inspection.Status.CLOSED]
    for pk, last in (Inspection.objects.filter(enterprise_id__in=enterprise_ids, status__in=done)
                     .order_by().values_list("enterprise_id").annotate(last=Max("planned_date"))):
        found[pk].days_since_inspection = (today - last).days
    return found


@transaction.atomic
def risk_recompute(*, actor: User | None = None, enterprise_ids: list[int] | None = None) -> int:
    """
    Score every active enterprise (or the ones given), keep the scores and
    set the enterprises' tier and score; audit each change of tier or score
    and the run itself. Return how many enterprises were scored.
    """
    settings = RiskSettings.current()
    weights = settings.weights()
    thresholds = {"high_from": settings.high_from, "low_below": settings.low_below,
                  "window_days": settings.window_days}
    now = timezone.now()
    today = timezone.localdate()
    since = now - datetime.timedelta(days=settings.window_days)
    queryset = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("pk")
    if enterprise_ids is not None:
        queryset = queryset.filter(pk__in=enterprise_ids)
    count = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        measured = measure(enterprise_ids=chunk, since=since, today=today)
        enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in=chunk).only(
            "pk", "name", "risk_tier", "risk_score")}
        scores, changed, events = [], [], []
        for pk in chunk:
            result = scoring.score(measured[pk], weights=weights, high_from=settings.high_from,
                                   low_below=settings.low_below)
            scores.append(RiskScore(enterprise_id=pk, computed_at=now, score=result.score,
                                    tier=result.tier, factors=result.factors, weights=weights,
                                    thresholds=thresholds))
            enterprise = enterprises[pk]
            if (enterprise.risk_tier, enterprise.risk_score) != (result.tier, result.score):
                before = {"risk_tier": enterprise.risk_tier, "risk_score": enterprise.risk_score}
                enterprise.risk_tier, enterprise.risk_score = result.tier, result.score
                changed.append(enterprise)
                events.append(audit_event(actor=actor, action="enterprise.risk", obj=enterprise,
                                          before=before, after={"risk_tier": result.tier,
                                                                "risk_score": result.score}))
        RiskScore.objects.bulk_create(scores, batch_size=BATCH)
        Enterprise.objects.bulk_update(changed, ["risk_tier", "risk_score"], batch_size=BATCH)
        audit_record_many(events)
        count += len(chunk)
    audit_record(actor=actor, action="risk_settings.recompute", obj=settings,
                 after={"enterprises": count, "weights": weights, **thresholds})
    return count
