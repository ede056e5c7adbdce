"""
Reads of notices and batch runs, scoped to the viewer. Staff see those of
the campaigns they see (an inspector: the campaigns assigned); an
enterprise user sees only its own enterprise's ISSUED notices; anyone else
nothing.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.access import is_staff_user
from core.filters import apply_filters
from core.pagination import count_of
from core.timeline import TimelineEntry
from core.tones import tone
from inspections.models import Campaign, Finding, FindingStatus
from inspections.selectors import scope_to_campaigns

from .filters import NoticeFilter
from .models import NOTICE_TITLE, PROOF_TITLE, BatchIssue, Notice, NoticeStatus

ISSUED_STATUSES = (NoticeStatus.ISSUED, NoticeStatus.SERVED)


def _is_staff(viewer: User) -> bool:
    return is_staff_user(viewer)


def _is_enterprise(viewer: User) -> bool:
    return bool(viewer.is_authenticated and viewer.role == Role.ENTERPRISE and viewer.enterprise_id)


def notice_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Notice]:
    """
    Notices the viewer may see, drafts first then newest, with what list
    pages show, narrowed by NoticeFilter's parameters in `filters`
    (ValidationError for a bad value).
    """
    # The count per row as a correlated subquery: computed for the page's rows
    # only (and left out of the paginator's count), never a GROUP BY of every
    # notice with its findings.
    queryset = Notice.objects.select_related(
        "enterprise", "campaign", "created_by", "approved_by"
    ).annotate(finding_count=count_of(Notice.findings.through.objects.all(), link="notice"))
    if _is_staff(viewer):
        queryset = scope_to_campaigns(queryset, viewer)
    elif _is_enterprise(viewer):
        queryset = queryset.filter(enterprise_id=cast(int, viewer.enterprise_id), status__in=ISSUED_STATUSES)
    else:
        queryset = queryset.none()
    queryset = apply_filters(NoticeFilter, data=filters, queryset=queryset, viewer=viewer)
    # Drafts first, then by issue time; notices issued in one batch share it,
    # so their numbers order them (an issued notice always has one, so where
    # the nulls of the serial go does not matter: the order is the index's).
    return queryset.order_by(F("issued_at").desc(nulls_first=True), "-serial", "-created_at", "-id")


def notice_get(*, viewer: User, pk: int) -> Notice:
    """One notice the viewer may see, or 404."""
    return get_object_or_404(notice_list(viewer=viewer), pk=pk)


def notice_findings(*, notice: Notice) -> QuerySet[Finding]:
    """The notice's findings in the order its page and its document list them."""
    return (notice.findings.select_related("issue_code", "inspection")
            .prefetch_related("inspection__officers").order_by("issue_code_id", "pk"))


def notice_candidate_findings(*, viewer: User, campaign: Campaign, enterprise_id: int) -> QuerySet[Finding]:
    """Open findings of one enterprise in one campaign that no notice covers yet."""
    if not _is_staff(viewer):
        return Finding.objects.none()
    covered = Notice.findings.through.objects.filter(finding_id=OuterRef("pk"))
    return (
        Finding.objects.filter(campaign=campaign, enterprise_id=enterprise_id,
                               status=FindingStatus.OPEN)
        .exclude(Exists(covered))
        .select_related("issue_code", "inspection")
        .order_by("inspection__planned_date", "issue_code_id")
    )


def notice_enterprises_with_candidates(*, viewer: User, campaign: Campaign):
    """(enterprise id, name, number of open uncovered findings) for the drafting picker."""
    if not _is_staff(viewer):
        return []
    covered = Notice.findings.through.objects.filter(finding_id=OuterRef("pk"))
    return list(
        Finding.objects.filter(campaign=campaign, status=FindingStatus.OPEN)
        .exclude(Exists(covered))
        .values("enterprise_id", "enterprise__name")
        .annotate(n=Count("id"))
        .order_by("enterprise__name")
    )


def notice_by_verification_code(*, code: str) -> Notice | None:
    """Public: the issued notice with this code (no login)."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return _with_correction(Notice.objects.filter(verification_code=code, status__in=ISSUED_STATUSES).only(
        *PUBLIC_NOTICE_FIELDS).first())


@dataclass
class IssuedFile:
    """
    An issued PDF on record (a notice, its proof of service, a case
    document…) as the public verification page shows it: what it is, its
    number, party and date, and the certificate that signed it.
    """

    title: str
    number: str
    party_name: str
    issue_date: datetime.date | None
    agency: str
    signer_sha256: str
    notice_id: int | None = None  # the notice it is, or is the proof of service of
    corrected_by_number: str | None = None


# Higher apps add their issued documents to the public verification page
# through look-ups registered in their AppConfig.ready(), as the timeline's
# sources are: source(sha256=...) -> IssuedFile | None.
IssuedFileSource = Callable[..., IssuedFile | None]
ISSUED_FILE_SOURCES: list[IssuedFileSource] = []


def register_issued_file_source(source: IssuedFileSource) -> None:
    if source not in ISSUED_FILE_SOURCES:
        ISSUED_FILE_SOURCES.append(source)


PUBLIC_NOTICE_FIELDS = ("number", "party_name", "issue_date", "verification_code", "pdf_sha256", "agency",
                        "signer_sha256", "proof_sha256", "proof_signer_sha256")


def notice_by_pdf_hash(*, sha256: str) -> Notice | None:
    """Public: the issued notice whose stored PDF has this SHA-256."""
    return _with_correction(Notice.objects.filter(pdf_sha256=sha256, status__in=ISSUED_STATUSES).only(
        *PUBLIC_NOTICE_FIELDS).first())


def notice_file(notice: Notice) -> IssuedFile:
    """The notice (read by a public look-up) as the verification page shows it."""
    return IssuedFile(NOTICE_TITLE, notice.number, notice.party_name, notice.issue_date, notice.agency,
                      notice.signer_sha256, notice.pk, notice.corrected_by_number)


def issued_file_by_sha256(*, sha256: str) -> IssuedFile | None:
    """
    Public: the issued document whose stored PDF has this SHA-256: a
    notice, a notice's proof of service (signed at issuance, and again when
    service fills it in), or a document of a registered source.
    """
    notice = notice_by_pdf_hash(sha256=sha256)
    if notice is not None:
        return notice_file(notice)
    notice = _with_correction(Notice.objects.filter(proof_sha256=sha256, status__in=ISSUED_STATUSES).only(
        *PUBLIC_NOTICE_FIELDS).first())
    if notice is not None:
        return IssuedFile(f"{PROOF_TITLE}（{NOTICE_TITLE}）", notice.number, notice.party_name, notice.issue_date,
                          notice.agency, notice.proof_signer_sha256, notice.pk, notice.corrected_by_number)
    for source in ISSUED_FILE_SOURCES:
        found = source(sha256=sha256)
        if found is not None:
            return found
    return None


def _with_correction(notice: Notice | None) -> Notice | None:
    """
    Attach the number of the issued notice that corrects this one, if any:
    the public page must not present a replaced notice as the current one.
    """
    if notice is not None:
        notice.corrected_by_number = (
            Notice.objects.filter(supersedes=notice, status__in=ISSUED_STATUSES)
            .values_list("number", flat=True).first()
        )
    return notice


def campaign_notice_counts(*, viewer: User, campaign: Campaign) -> dict:
    if not _is_staff(viewer):
        return {}
    rows = Notice.objects.filter(campaign=campaign).values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in NoticeStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def batch_list(*, viewer: User, campaign: Campaign) -> QuerySet[BatchIssue]:
    if not _is_staff(viewer):
        return BatchIssue.objects.none()
    return BatchIssue.objects.filter(campaign=campaign).select_related("started_by")


def batch_get(*, viewer: User, pk: int) -> BatchIssue:
    return get_object_or_404(
        scope_to_campaigns(BatchIssue.objects.select_related("campaign"), viewer), pk=pk)


def notice_timeline_entries(*, viewer: User, enterprise_id: int, limit: int = 60) -> list[TimelineEntry]:
    """
    An enterprise's issued notices for its timeline (core.timeline source):
    issued, then served or acknowledged. Read through notice_list, so an
    inspector sees the notices of the campaigns assigned only.
    """
    staff = _is_staff(viewer)
    notices = (notice_list(viewer=viewer).filter(enterprise_id=enterprise_id, status__in=ISSUED_STATUSES)
               .order_by("-issued_at", "-id")
               # What an entry shows, not the notice's text and parties.
               .select_related(None).only("issued_at", "served_at", "number", "acknowledged_by"))[:limit]
    entries = []
    for notice in notices:
        if notice.issued_at is None:  # issuing sets it; never None in these statuses
            continue
        url = reverse("reports:notice_detail", args=[notice.pk]) if staff else ""
        entries.append(TimelineEntry(notice.issued_at, "notice", _("Notice issued"), notice.number, url,
                                     tone(NoticeStatus.ISSUED, "notice")))
        if notice.served_at:
            title = _("Notice acknowledged") if notice.acknowledged_by_id else _("Notice served")
            entries.append(TimelineEntry(notice.served_at, "notice", title, notice.number, url,
                                         tone(NoticeStatus.SERVED, "notice")))
    return entries


def notice_record_view(*, notice: Notice) -> dict:
    """The recorded figures beside a draft's text, and what in the facts contradicts them."""
    from ..notices.facts import notice_facts_check

    record, problems = notice_facts_check(notice)
    return {"record": record, "problems": problems,
            "failed_by_code": sorted(record.failed_by_code.items())}
