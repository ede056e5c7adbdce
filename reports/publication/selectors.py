"""
Reads of published inspection results (双随机、一公开). The public pages read
the snapshot tables only; `campaign_results` is the staff-side read that a
publication is built from.
"""

from django.db import connection
from django.db.models import Case, CharField, Count, FilteredRelation, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from inspections.models import FindingStatus, Inspection, InspectionOrigin

from .models import PublishedOutcome, PublishedResult, ResultPublication

OVERDUE_STATUSES = (FindingStatus.OVERDUE, FindingStatus.ESCALATED)
# Inspections whose result is final enough to publish.
PUBLISHABLE = (Inspection.Status.COMPLETED, Inspection.Status.CLOSED)


def _outcomes(inspections: QuerySet, campaign) -> QuerySet:
    """Annotate grouped inspection rows with problems found and the outcome."""
    problems = ~Q(own__status=FindingStatus.WITHDRAWN)
    return (
        # The join names the campaign too (an inspection's findings are all
        # of its campaign), so it reads that campaign's findings by index
        # instead of scanning every finding.
        inspections.annotate(own=FilteredRelation("findings", condition=Q(findings__campaign=campaign)))
        .annotate(
            problems=Count("own", filter=problems),
            overdue=Count("own", filter=Q(own__status__in=OVERDUE_STATUSES)),
            open=Count("own", filter=problems & ~Q(own__status=FindingStatus.ACCEPTED)),
        )
        .annotate(outcome=Case(
            When(problems=0, then=Value(PublishedOutcome.NO_PROBLEMS)),
            When(overdue__gt=0, then=Value(PublishedOutcome.OVERDUE)),
            When(open__gt=0, then=Value(PublishedOutcome.RECTIFYING)),
            default=Value(PublishedOutcome.RECTIFIED), output_field=CharField(),
        ))
    )


def _finished(campaign) -> QuerySet:
    # 双随机 results are about random inspections only: targeted inspections
    # and re-verifications are never published as such.
    return Inspection.objects.filter(campaign=campaign, origin=InspectionOrigin.RANDOM,
                                     follow_up_of__isnull=True, status__in=PUBLISHABLE)


def _publishable(campaign) -> QuerySet:
    """
    Finished inspections whose findings have all been notified (or
    withdrawn): a finding still "open" is an internal draft the enterprise
    has not even seen, so its inspection waits for the next publication.
    """
    return _finished(campaign).exclude(findings__status=FindingStatus.OPEN)


def campaign_results_held_back(*, campaign) -> int:
    """Finished inspections not published yet because a finding of theirs is not notified."""
    return campaign_results_overview(campaign=campaign)[1]


def campaign_results(*, campaign) -> QuerySet:
    """
    One row per publishable inspection of the campaign (finished, findings
    notified, follow-ups excluded): enterprise, USCC, date, problems found
    (withdrawn findings do not count) and the outcome, in one grouped query.
    """
    return _outcomes(
        _publishable(campaign).values("pk", "enterprise__name", "enterprise__uscc", "planned_date"), campaign
    ).order_by("enterprise__name", "pk")


def campaign_results_summary(*, campaign) -> dict[str, int]:
    """How many inspections would be published with each outcome (counted in the database)."""
    return campaign_results_overview(campaign=campaign)[0]


def campaign_results_overview(*, campaign) -> tuple[dict[str, int], int]:
    """
    (inspections that would be published, per outcome; finished inspections
    held back because a finding of theirs is still open), from ONE pass over
    the campaign's finished inspections and their findings: an inspection
    with an open finding is held back, the others count by outcome. The
    findings are read from the (campaign, status, inspection) index alone.
    """
    grouped = _outcomes(_finished(campaign).values("pk"), campaign).annotate(
        drafts=Count("own", filter=Q(own__status=FindingStatus.OPEN)))
    # Grouped by inspection only: no enterprise join, no ordering.
    sql, params = grouped.order_by().query.sql_with_params()
    counts = {outcome: 0 for outcome in PublishedOutcome.values}
    held_back = 0
    with connection.cursor() as cursor:
        # The ORM cannot group by an annotation that is itself an aggregate.
        cursor.execute(f"SELECT results.drafts > 0, results.outcome, COUNT(*) FROM ({sql}) results "
                       "GROUP BY results.drafts > 0, results.outcome", params)
        for held, outcome, n in cursor.fetchall():
            if held:
                held_back += n
            else:
                counts[outcome] = n
    return counts, held_back


def publication_for(*, campaign) -> ResultPublication | None:
    return ResultPublication.objects.filter(campaign=campaign).select_related("published_by").first()


def publication_list() -> QuerySet[ResultPublication]:
    """Every publication, newest first: public."""
    return ResultPublication.objects.order_by("-published_at", "-id")


def publication_get(*, campaign_pk: int) -> ResultPublication:
    """A campaign's publication, or 404 when its results are not public."""
    return get_object_or_404(ResultPublication, campaign_id=campaign_pk)


def publication_outcome_counts(*, publication: ResultPublication) -> dict[str, int]:
    counts = {outcome: 0 for outcome in PublishedOutcome.values}
    counts.update(publication.results.values_list("outcome").annotate(n=Count("id")).order_by())
    return counts


def published_results(*, publication: ResultPublication, q: str = "", outcome: str = "") -> QuerySet[PublishedResult]:
    """A publication's rows, searched by enterprise name or USCC, in name order."""
    rows = publication.results.all()
    q = q.strip()
    if q:
        rows = rows.filter(Q(enterprise_name__icontains=q) | Q(uscc=q.upper()))
    if outcome in PublishedOutcome.values:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("enterprise_name", "id")
