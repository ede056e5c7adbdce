"""Staff pages of administrative cases: the case file, its steps, records and documents."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.access import editor_required, staff_required
from core.audit import audit_history
from core.downloads import attachment_response
from core.pages import refusals
from core.pagination import paginate
from enterprises.models import Enterprise
from inspections.models import Finding

from . import deadlines, documents, forms, records, selectors, services
from .models import Case, CaseDocument, CaseRecord, RecordOfficer, RecusalApplication

if TYPE_CHECKING:
    from .views_evidence import PreserveForm

PAGE_SIZE = 50


@require_GET
@staff_required
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None)
    cases = selectors.case_list(viewer=request.user, filters=form.filters() if request.GET else {})
    page = paginate(cases, PAGE_SIZE, request.GET.get("page"))
    limits = deadlines.limits_by_code()
    # The preservation limit reads each case's evidence: one query for the page.
    prefetch_related_objects(page.object_list, "evidence")
    for case in page.object_list:
        running = [d for d in deadlines.case_deadlines(case, limits=limits) if d.state == "running"]
        case.next_deadline = min(running, key=lambda d: d.due) if running else None
    return render(request, "cases/case_list.html", {
        "form": form, "page_obj": page,
    })


@require_http_methods(["GET", "POST"])
@editor_required
def case_propose(request):
    finding = None
    if request.GET.get("finding", "").isdigit():
        finding = get_object_or_404(Finding.objects.select_related("enterprise"), pk=request.GET["finding"])
        enterprise = finding.enterprise
    else:
        raw = request.POST.get("enterprise") or request.GET.get("enterprise", "")
        if not str(raw).isdigit():
            raise Http404
        enterprise = get_object_or_404(Enterprise, pk=raw)
    initial = {"enterprise": enterprise.pk, "findings": [finding.pk] if finding else [],
               "team": [request.user.pk]}
    form = forms.ProposeForm(request.POST or None, enterprise=enterprise, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form):
            case = services.case_propose(
                enterprise=enterprise, actor=request.user, source=data["source"], cause=data["cause"],
                facts=data["facts"], clue_found_on=data["clue_found_on"],
                findings=list(data["findings"]), team=list(data["team"]))
            messages.success(request, _("Case proposed; a supervisor decides on the filing."))
            return redirect(case.get_absolute_url())
    return render(request, "cases/case_propose.html", {"form": form, "enterprise": enterprise})


@dataclass(frozen=True)
class RecordRow:
    """A record on the case page: the viewer's line on it, if any, and the party's form."""

    record: CaseRecord
    mine: RecordOfficer | None
    party_form: forms.PartyConfirmationForm


@dataclass(frozen=True)
class DocumentRow:
    """A document on the case page and the form that records its service."""

    document: CaseDocument
    service_form: forms.ServiceForm


def _detail_context(request, case, bound: dict | None = None) -> dict:
    bound = bound or {}
    viewer = request.user
    recs = [
        RecordRow(
            record=record,
            mine=next((o for o in record.officers.all() if o.officer_id == viewer.pk), None),
            party_form=bound.get(f"party-{record.pk}")
            or forms.PartyConfirmationForm(auto_id=f"id_p{record.pk}_%s"),
        )
        for record in selectors.case_records(viewer=viewer, case=case)
    ]
    docs = [
        DocumentRow(
            document=doc,
            service_form=bound.get(f"serve-{doc.pk}")
            or forms.ServiceForm(case=case, auto_id=f"id_s{doc.pk}_%s"),
        )
        for doc in selectors.case_documents(viewer=viewer, case=case)
    ]
    recusals = list(case.recusals.select_related("officer", "decided_by"))
    for application in recusals:
        application.form = bound.get(f"recusal-{application.pk}") or forms.RecusalDecisionForm(
            auto_id=f"id_r{application.pk}_%s")

    def form(name, cls, **kwargs):
        return bound.get(name) or cls(auto_id=f"id_{name}_%s", **kwargs)

    return {
        "case": case, "deadlines": deadlines.case_deadlines(case), "records": recs, "documents": docs,
        "submissions": case.submissions.prefetch_related("attachments").select_related("submitted_by"),
        "recusals": recusals, "team": case.team.select_related("officer"),
        "events": audit_history(case)[:50],
        "reason_form": form("reason", forms.ReasonForm),
        "prior_form": form("prior", forms.PriorNoticeForm, case=case),
        "decide_form": form("decide", forms.DecideForm),
        "transfer_form": form("transfer", forms.TransferForm),
        "perform_form": form("perform", forms.PerformanceForm),
        "record_form": form("record", forms.RecordForm, case=case),
        "interview_form": form("interview", forms.InterviewNoticeForm),
        "hearing_form": form("hearing", forms.HearingNoticeForm),
        "on_team": case.team.filter(officer=viewer, active=True).exists(),
        "evidence_items": case.evidence.select_related("item", "preserved_by", "second_officer"),
        "awaiting_decision": case.evidence.filter(noticed_on__isnull=False, decided_on__isnull=True).exists(),
        "preserve_form": bound.get("preserve") or _preserve_form(case, viewer),
    }


def _preserve_form(case: Case, viewer: User) -> "PreserveForm":
    from .views_evidence import preserve_form

    return preserve_form(case, viewer)


@require_GET
@staff_required
def case_detail(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _run(request, case, call, *, ok: str, bound: dict | None = None):
    """
    Take one step; refused, the case page comes back with the bound form as
    typed. The page holds many forms, so the refusal is flashed as well.
    """
    with refusals(request, *(bound or {}).values(), flash=True):
        call()
        messages.success(request, ok)
        return redirect(case.get_absolute_url())
    if bound:
        return render(request, "cases/case_detail.html",
                      _detail_context(request, selectors.case_get(viewer=request.user, pk=case.pk), bound))
    return redirect(case.get_absolute_url())


def _invalid(request, case, name, form):
    messages.error(request, _("Please correct the errors below."))
    return render(request, "cases/case_detail.html", _detail_context(request, case, {name: form}))


@require_POST
@editor_required
def case_step(request, pk: int, step: str):
    """One simple step of the lifecycle: file, start, close, resume, withdraw, suspend, extend."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    actor = request.user
    simple = {
        "file": (lambda: services.case_file(case=case, actor=actor), _("Case filed.")),
        "start": (lambda: services.case_start_investigation(case=case, actor=actor),
                  _("Investigation started.")),
        "close": (lambda: services.case_close(case=case, actor=actor), _("Case closed.")),
        "resume": (lambda: services.case_resume(case=case, actor=actor), _("Case resumed.")),
    }
    if step in simple:
        call, ok = simple[step]
        return _run(request, case, call, ok=ok)
    reasoned: dict[str, tuple[Callable[..., Any], str]] = {
        "withdraw": (services.case_withdraw, _("Case withdrawn.")),
        "suspend": (services.case_suspend, _("Case suspended.")),
        "extend": (lambda case, actor, reason: services.case_extend(case=case, actor=actor, reason=reason),
                   _("Handling period extended.")),
    }
    if step not in reasoned:
        raise Http404
    form = forms.ReasonForm(request.POST, auto_id="id_reason_%s")
    if not form.is_valid():
        return _invalid(request, case, "reason", form)
    service, ok = reasoned[step]
    return _run(request, case, lambda: service(case=case, actor=actor, reason=form.cleaned_data["reason"]),
                ok=ok, bound={"reason": form})


@require_POST
@editor_required
def case_prior_notice(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.PriorNoticeForm(request.POST, case=case, auto_id="id_prior_%s")
    if not form.is_valid():
        return _invalid(request, case, "prior", form)
    return _run(request, case, lambda: services.case_issue_prior_notice(
        case=case, actor=request.user, **form.cleaned_data), ok=_("Prior notice issued."),
        bound={"prior": form})


@require_POST
@editor_required
def case_decide(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.DecideForm(request.POST, auto_id="id_decide_%s")
    if not form.is_valid():
        return _invalid(request, case, "decide", form)
    return _run(request, case, lambda: services.case_decide(
        case=case, actor=request.user, **form.cleaned_data), ok=_("Decision issued."),
        bound={"decide": form})


@require_POST
@editor_required
def case_transfer(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.TransferForm(request.POST, auto_id="id_transfer_%s")
    if not form.is_valid():
        return _invalid(request, case, "transfer", form)
    return _run(request, case, lambda: services.case_transfer(
        case=case, actor=request.user, **form.cleaned_data),
        ok=_("Case transferred to public security; the administrative case is closed."),
        bound={"transfer": form})


@require_POST
@editor_required
def case_perform(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.PerformanceForm(request.POST, auto_id="id_perform_%s")
    if not form.is_valid():
        return _invalid(request, case, "perform", form)
    return _run(request, case, lambda: services.case_record_performance(
        case=case, actor=request.user, **form.cleaned_data), ok=_("Performance recorded."),
        bound={"perform": form})


@require_POST
@editor_required
def record_create(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.RecordForm(request.POST, case=case, auto_id="id_record_%s")
    if not form.is_valid():
        return _invalid(request, case, "record", form)
    data = form.cleaned_data
    return _run(request, case, lambda: records.record_create(
        case=case, actor=request.user, kind=data["kind"], place=data["place"],
        started_at=data["started_at"], ended_at=data["ended_at"], content=data["content"],
        officer_list=list(data["officers"]), person=data["person"],
        person_position=data["person_position"]),
        ok=_("Record made. Show it to the party, then each officer confirms it."),
        bound={"record": form})


def _record(request, pk: int) -> CaseRecord:
    record = get_object_or_404(CaseRecord, pk=pk)
    record.case = selectors.case_get(viewer=request.user, pk=record.case_id)
    return record


@require_POST
@editor_required
def record_party(request, pk: int):
    record = _record(request, pk)
    form = forms.PartyConfirmationForm(request.POST, auto_id=f"id_p{record.pk}_%s")
    if not form.is_valid():
        return _invalid(request, record.case, f"party-{record.pk}", form)
    return _run(request, record.case, lambda: records.record_party_confirmation(
        record=record, actor=request.user, **form.cleaned_data), ok=_("The party's answer is noted."),
        bound={f"party-{record.pk}": form})


@require_POST
@editor_required
def record_confirm(request, pk: int):
    record = _record(request, pk)
    return _run(request, record.case, lambda: records.record_confirm(record=record, actor=request.user),
                ok=_("You have confirmed the record."))


@require_POST
@editor_required
def interview_notice(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.InterviewNoticeForm(request.POST, auto_id="id_interview_%s")
    if not form.is_valid():
        return _invalid(request, case, "interview", form)
    return _run(request, case, lambda: records.interview_notice_issue(
        case=case, actor=request.user, **form.cleaned_data), ok=_("Interview notice issued."),
        bound={"interview": form})


@require_POST
@editor_required
def hearing_notice(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.HearingNoticeForm(request.POST, auto_id="id_hearing_%s")
    if not form.is_valid():
        return _invalid(request, case, "hearing", form)
    return _run(request, case, lambda: records.hearing_notice_issue(
        case=case, actor=request.user, **form.cleaned_data), ok=_("Hearing notice issued."),
        bound={"hearing": form})


@require_POST
@editor_required
def document_serve(request, pk: int):
    document = selectors.document_get(viewer=request.user, pk=pk)
    form = forms.ServiceForm(request.POST, case=document.case, auto_id=f"id_s{document.pk}_%s")
    if not form.is_valid():
        return _invalid(request, document.case, f"serve-{document.pk}", form)
    data = dict(form.cleaned_data)
    method, served_at, servers = data.pop("method"), data.pop("served_at"), list(data.pop("servers"))
    return _run(request, document.case, lambda: documents.record_service(
        document=document, actor=request.user, method=method, served_at=served_at, servers=servers,
        **data), ok=_("Service recorded."), bound={f"serve-{document.pk}": form})


@require_POST
@editor_required
def recusal_declare(request, pk: int):
    """An officer declares their own conflict of interest (自行回避)."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    form = forms.ReasonForm(request.POST, auto_id="id_reason_%s")
    if not form.is_valid():
        return _invalid(request, case, "reason", form)
    return _run(request, case, lambda: services.recusal_apply(
        case=case, actor=request.user, officer=request.user, reason=form.cleaned_data["reason"]),
        ok=_("Recusal declared; a supervisor decides."), bound={"reason": form})


@require_POST
@editor_required
def recusal_decide(request, pk: int):
    application = get_object_or_404(RecusalApplication, pk=pk)
    case = selectors.case_get(viewer=request.user, pk=application.case_id)
    form = forms.RecusalDecisionForm(request.POST, auto_id=f"id_r{application.pk}_%s")
    if not form.is_valid():
        return _invalid(request, case, f"recusal-{application.pk}", form)
    return _run(request, case, lambda: services.recusal_decide(
        application=application, actor=request.user, **form.cleaned_data),
        ok=_("Recusal decided."), bound={f"recusal-{application.pk}": form})


@require_GET
@staff_required
def document_download(request, pk: int):
    document = selectors.document_get(viewer=request.user, pk=pk)
    return attachment_response(document.pdf, filename=f"{document.number}.pdf",
                               content_type="application/pdf")


@require_GET
@staff_required
def document_proof(request, pk: int):
    document = selectors.document_get(viewer=request.user, pk=pk)
    return attachment_response(document.proof, filename=f"送达回证 {document.number}.pdf")


@require_GET
@staff_required
def attachment_download(request, pk: int):
    attachment = selectors.attachment_get(viewer=request.user, pk=pk)
    return attachment_response(attachment.file, filename=attachment.original_name,
                               content_type=attachment.content_type)
