"""
Reads of typical-issues bulletins, scoped to the viewer: staff see those of
the campaigns they see; an enterprise user only the issued bulletins sent to
its enterprise; anyone else nothing.
"""

from typing import TYPE_CHECKING, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from core.access import is_staff_user
from core.pagination import count_of
from inspections.models import Campaign, Finding, FindingStatus
from inspections.selectors import scope_to_campaigns

from .models import Bulletin, BulletinRecipient

if TYPE_CHECKING:
    from ..notices.selectors import IssuedFile


def _is_staff(viewer: User) -> bool:
    return is_staff_user(viewer)


def _is_enterprise(viewer: User) -> bool:
    return bool(viewer.is_authenticated and viewer.role == Role.ENTERPRISE and viewer.enterprise_id)


def bulletin_list(*, viewer: User) -> QuerySet[Bulletin]:
    """Staff: all bulletins; enterprise users: issued bulletins sent to their enterprise."""
    queryset = Bulletin.objects.select_related("campaign", "created_by")
    if _is_staff(viewer):
        # Counted per bulletin by correlated subqueries (index reads), not by
        # a GROUP BY of every bulletin with its ten thousand recipients.
        return scope_to_campaigns(queryset, viewer).annotate(
            recipient_count=count_of(BulletinRecipient.objects.all(), link="bulletin"),
            opened_count=count_of(BulletinRecipient.objects.filter(first_opened_at__isnull=False),
                                  link="bulletin"),
        )
    if _is_enterprise(viewer):
        return queryset.filter(
            Exists(BulletinRecipient.objects.filter(bulletin=OuterRef("pk"),
                                                    enterprise_id=cast(int, viewer.enterprise_id))),
            status=Bulletin.Status.ISSUED,
        )
    return queryset.none()


def bulletin_get(*, viewer: User, pk: int) -> Bulletin:
    return get_object_or_404(bulletin_list(viewer=viewer), pk=pk)


def bulletin_recipients(*, bulletin: Bulletin) -> QuerySet[BulletinRecipient]:
    return bulletin.recipients.select_related("enterprise", "first_opened_by").order_by(
        "first_opened_at", "enterprise__name"
    )


def bulletin_receipt_counts(*, bulletin: Bulletin) -> dict[str, int]:
    """How many enterprises the bulletin went to and how many of them opened it, in one query."""
    return bulletin.recipients.aggregate(
        total=Count("pk"), opened=Count("pk", filter=Q(first_opened_at__isnull=False)))


def bulletin_candidate_findings(*, viewer: User, campaign: Campaign) -> QuerySet[Finding]:
    if not _is_staff(viewer):
        return Finding.objects.none()
    return (
        Finding.objects.filter(campaign=campaign)
        .exclude(status=FindingStatus.WITHDRAWN)
        .select_related("issue_code", "enterprise")
        .order_by("issue_code_id", "enterprise__name")
    )


def bulletin_file_by_sha256(*, sha256: str) -> "IssuedFile | None":
    """Public (the verification page): the issued bulletin whose stored PDF has this SHA-256."""
    from ..notices.selectors import IssuedFile

    bulletin = Bulletin.objects.filter(status=Bulletin.Status.ISSUED, pdf_sha256=sha256).only(
        "title", "addressee", "issue_date", "agency", "signer_sha256").first()
    if bulletin is None:
        return None
    return IssuedFile(bulletin.title, "", bulletin.addressee, bulletin.issue_date, bulletin.agency,
                      bulletin.signer_sha256)
