"""
What the record says an inspection did: the items actually sampled and
checked (per service and modality), the days it actually ran, the officers
who acted. Documents state these figures, never the plan's.

Read-only; a fixed number of queries however many inspections or items.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from enterprises.models import Modality

from .models import CheckResult, Inspection, ItemCheck, SampledItem

# Inspections a document may state facts of: the work is over.
FINISHED_STATUSES = (Inspection.Status.COMPLETED, Inspection.Status.CLOSED)

MODALITY_ZH: dict[str, str] = {
    Modality.TEXT: "文本", Modality.IMAGE: "图片", Modality.AUDIO: "音频",
    Modality.VIDEO: "视频", Modality.VIRTUAL_SCENE: "虚拟场景",
}


@dataclass(frozen=True)
class SampleRow:
    """Items of one service and one modality: recorded, and fully checked."""

    service: str
    modality: str
    sampled: int
    checked: int

    @property
    def modality_label(self) -> str:
        """The modality in the reader's language."""
        return str(Modality(self.modality).label) if self.modality in Modality.values else self.modality

    @property
    def modality_zh(self) -> str:
        return MODALITY_ZH.get(self.modality, self.modality)


@dataclass
class InspectionRecord:
    """The recorded figures of one or more inspections of one enterprise."""

    inspection_ids: list[int]
    unfinished: list[Inspection]
    first_day: datetime.date | None
    last_day: datetime.date | None
    rows: list[SampleRow] = field(default_factory=list)
    officers: list[str] = field(default_factory=list)
    # Items with a failed check, per (inspection, issue code).
    failed: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def failed_by_code(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (_inspection, code), n in self.failed.items():
            totals[code] = totals.get(code, 0) + n
        return totals

    @property
    def sampled(self) -> int:
        return sum(r.sampled for r in self.rows)

    @property
    def checked(self) -> int:
        return sum(r.checked for r in self.rows)

    @property
    def services(self) -> list[str]:
        return list(dict.fromkeys(r.service for r in self.rows))

    def counts(self) -> set[int]:
        """Every count the record holds, totals and breakdowns."""
        numbers = {self.sampled, self.checked}
        for row in self.rows:
            numbers |= {row.sampled, row.checked}
        by_service: dict[str, list[int]] = {}
        for row in self.rows:
            totals = by_service.setdefault(row.service, [0, 0])
            totals[0] += row.sampled
            totals[1] += row.checked
        for sampled, checked in by_service.values():
            numbers |= {sampled, checked}
        return numbers | set(self.failed.values()) | set(self.failed_by_code.values())


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def inspection_record(*, inspection_ids: list[int]) -> InspectionRecord:
    """
    The record of the given inspections. The period runs from the earliest
    of the recorded start and the first capture to the latest of the
    recorded completion and the last capture, so it covers every act the
    record holds.
    """
    inspections = list(Inspection.objects.filter(pk__in=inspection_ids)
                       .prefetch_related("officers").order_by("pk"))
    items = SampledItem.objects.filter(inspection_id__in=inspection_ids)
    span = items.aggregate(first=Min("captured_at"), last=Max("captured_at"))
    starts = [i.started_at for i in inspections if i.started_at] + ([span["first"]] if span["first"] else [])
    ends = [end for i in inspections if (end := i.completed_at or i.closed_at)]
    ends += [span["last"]] if span["last"] else []
    rows = [
        SampleRow(service=row["service__name"] or "", modality=row["modality"],
                  sampled=row["sampled"], checked=row["checked"])
        for row in items.values("service__name", "modality").annotate(
            sampled=Count("pk"), checked=Count("pk", filter=Q(checks_completed_at__isnull=False)),
        ).order_by("service__name", "modality")
    ]
    failed = {
        (row["item__inspection_id"], row["issue_code_id"]): row["n"]
        for row in ItemCheck.objects.filter(item__inspection_id__in=inspection_ids, result=CheckResult.FAIL)
        .values("item__inspection_id", "issue_code_id").annotate(n=Count("item_id", distinct=True))
        .order_by("item__inspection_id", "issue_code_id")
    }
    officers: list[str] = []
    for inspection in inspections:
        for officer in sorted(inspection.officers.all(), key=lambda o: o.pk):
            name = officer.get_full_name() or officer.username
            if name not in officers:
                officers.append(name)
    return InspectionRecord(
        inspection_ids=[i.pk for i in inspections],
        unfinished=[i for i in inspections if i.status not in FINISHED_STATUSES],
        first_day=_local_day(min(starts)) if starts else None,
        last_day=_local_day(max(ends)) if ends else None,
        rows=rows,
        officers=officers,
        failed=failed,
    )


def conduct_days(findings) -> dict[int, datetime.date]:
    """
    The day of each finding's conduct: when its evidence was captured (the
    earliest item), else when the inspection started, else its planned day.
    The law applied is the law in force that day. `findings` must have
    their evidence items and inspection loaded.
    """
    days = {}
    for finding in findings:
        captured = [item.captured_at for item in finding.evidence_items.all()]
        inspection = finding.inspection
        if captured:
            days[finding.pk] = timezone.localdate(min(captured))
        elif inspection.started_at:
            days[finding.pk] = timezone.localdate(inspection.started_at)
        else:
            days[finding.pk] = inspection.planned_date
    return days
