"""
Reads of administrative cases, scoped to the viewer. Supervisors, analysts
and admins see every case; an inspector the cases they proposed or are on
the team of; an enterprise user its own enterprise's cases once filed, and
only the documents served on it. Anyone else: nothing.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from core.access import scope_to_enterprise
from reports.notices.models import PROOF_TITLE
from reports.notices.selectors import IssuedFile

from .models import Case, CaseDocument, CaseRecord, CaseStatus, SubmissionAttachment

# The enterprise sees a case from its filing on; a proposal never filed is internal.
PARTY_HIDDEN = (CaseStatus.PROPOSED,)


def _staff_scope(queryset: QuerySet, viewer: User, *, field: str = "") -> QuerySet:
    prefix = f"{field}__" if field else ""
    if viewer.role in (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN):
        return queryset
    if viewer.role == Role.INSPECTOR:
        return queryset.filter(
            Q(**{f"{prefix}team__officer": viewer}) | Q(**{f"{prefix}proposed_by": viewer})
        ).distinct()
    return queryset.none()


def case_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Case]:
    filters = filters or {}
    if not viewer.is_authenticated:
        return Case.objects.none()
    queryset = Case.objects.select_related("enterprise", "proposed_by").order_by("-created_at", "-id")
    if viewer.role == Role.ENTERPRISE:
        queryset = scope_to_enterprise(queryset, viewer).exclude(status__in=PARTY_HIDDEN).exclude(
            status=CaseStatus.WITHDRAWN, filed_on__isnull=True)
    else:
        queryset = _staff_scope(queryset, viewer)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("q"):
        queryset = queryset.filter(Q(number__icontains=filters["q"])
                                   | Q(enterprise__name__icontains=filters["q"]))
    return queryset


def case_get(*, viewer: User, pk: int) -> Case:
    return get_object_or_404(
        case_list(viewer=viewer).select_related("filed_by").prefetch_related(
            "team__officer", "findings__issue_code"),
        pk=pk,
    )


def case_documents(*, viewer: User, case: Case) -> QuerySet[CaseDocument]:
    documents = case.documents.select_related("issued_by").order_by("issued_at", "id")
    if viewer.role == Role.ENTERPRISE:
        return documents.filter(to_party=True)
    return documents


def document_get(*, viewer: User, pk: int) -> CaseDocument:
    document = get_object_or_404(CaseDocument.objects.select_related("case"), pk=pk)
    case = case_get(viewer=viewer, pk=document.case_id)
    if viewer.role == Role.ENTERPRISE and not document.to_party:
        from django.http import Http404

        raise Http404
    document.case = case
    return document


def case_records(*, viewer: User, case: Case) -> QuerySet[CaseRecord]:
    return case.records.prefetch_related("officers__officer").order_by("created_at", "id")


def attachment_get(*, viewer: User, pk: int) -> SubmissionAttachment:
    attachment = get_object_or_404(SubmissionAttachment.objects.select_related("submission"), pk=pk)
    case_get(viewer=viewer, pk=attachment.submission.case_id)
    return attachment




def issued_case_file_by_sha256(*, sha256: str) -> IssuedFile | None:
    """
    Public (the verification page, registered in CasesConfig.ready()): the
    case document served on the party, or its proof of service, whose
    stored PDF has this SHA-256. Internal forms are not looked up.
    """
    from .documents import TITLES

    found = (CaseDocument.objects.filter(to_party=True).filter(Q(sha256=sha256) | Q(proof_sha256=sha256))
             .only("kind", "number", "facts", "issued_at", "sha256", "signer_sha256", "proof_signer_sha256")
             .first())
    if found is None:
        return None
    title, signer = TITLES[found.kind], found.signer_sha256
    if found.sha256 != sha256:
        title, signer = f"{PROOF_TITLE}（{title}）", found.proof_signer_sha256
    return IssuedFile(title, found.number, found.facts.get("party", {}).get("name", ""),
                      timezone.localdate(found.issued_at), found.facts.get("agency", ""), signer)
