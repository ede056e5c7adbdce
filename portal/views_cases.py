"""
The enterprise's administrative cases in the portal: its case documents,
every period that runs against it, and its statement and defence, hearing
request or recusal application, submitted before the deadline.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import deadlines, documents, selectors, services
from cases.documents import ATTACHMENTS_MAX
from cases.forms import PartyRecusalForm, SubmissionForm
from cases.models import CaseStatus, LimitCode, SubmissionKind
from core.access import enterprise_user_required
from core.audit import client_ip
from core.downloads import attachment_response
from core.pages import refusals
from core.uploads import MultipleFileField
from legal.models import CONSENT_STATEMENT
from legal.services import consent_in_force


class PortalSubmissionForm(SubmissionForm):
    attachments = MultipleFileField(label=gettext_lazy("Attachments (optional)"), required=False,
                                    max_files=ATTACHMENTS_MAX)

    def __init__(self, *args, hearing_right: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        if not hearing_right and isinstance(kind, forms.ChoiceField):
            kind.choices = [(SubmissionKind.STATEMENT.value, SubmissionKind.STATEMENT.label)]


@require_GET
@enterprise_user_required
def case_list(request):
    cases = selectors.case_list(viewer=request.user)
    return render(request, "portal/case_list.html", {"cases": cases})


def _open_for_submissions(case) -> bool:
    return case.status in (CaseStatus.PRIOR_NOTICE, CaseStatus.DEFENCE) \
        and case.prior_notice_served_on is not None


@require_http_methods(["GET", "POST"])
@enterprise_user_required
def case_detail(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    submission_form = PortalSubmissionForm(hearing_right=case.hearing_right, auto_id="id_sub_%s")
    recusal_form = PartyRecusalForm(case=case, auto_id="id_rec_%s")
    if request.method == "POST":
        if request.POST.get("form") == "recusal":
            recusal_form = PartyRecusalForm(request.POST, case=case, auto_id="id_rec_%s")
            if recusal_form.is_valid():
                with refusals(request, recusal_form):
                    services.recusal_apply(case=case, actor=request.user,
                                           officer=recusal_form.cleaned_data["officer"],
                                           reason=recusal_form.cleaned_data["reason"])
                    messages.success(request, _("Your application for recusal has been sent."))
                    return redirect("portal:case_detail", pk=case.pk)
        else:
            submission_form = PortalSubmissionForm(request.POST, request.FILES,
                                                   hearing_right=case.hearing_right,
                                                   auto_id="id_sub_%s")
            if submission_form.is_valid():
                data = submission_form.cleaned_data
                with refusals(request, submission_form):
                    services.party_submit(case=case, actor=request.user, kind=data["kind"],
                                          text=data["text"], files=data["attachments"])
                    messages.success(request, _("Submitted. The case team has been told."))
                    return redirect("portal:case_detail", pk=case.pk)
    party_limits = [d for d in deadlines.case_deadlines(case) if d.party]
    statement = next((d for d in party_limits if d.code == LimitCode.STATEMENT), None)
    return render(request, "portal/case_detail.html", {
        "case": case,
        "documents": selectors.case_documents(viewer=request.user, case=case),
        "deadlines": party_limits,
        "submissions": case.submissions.prefetch_related("attachments"),
        "can_submit": _open_for_submissions(case) and statement is not None and not statement.expired
        and statement.state == "running",
        "submission_form": submission_form,
        "recusal_form": recusal_form,
        "team": case.team.filter(active=True).select_related("officer"),
        "consent": consent_in_force(enterprise_id=case.enterprise_id),
        "consent_statement": CONSENT_STATEMENT,
    })


@require_GET
@enterprise_user_required
def document_download(request, pk: int):
    document = selectors.document_get(viewer=request.user, pk=pk)
    return attachment_response(document.pdf, filename=f"{document.number}.pdf",
                               content_type="application/pdf")


@require_POST
@enterprise_user_required
def document_acknowledge(request, pk: int):
    """Receipt acknowledged in the portal: electronic service, under the enterprise's consent."""
    document = selectors.document_get(viewer=request.user, pk=pk)
    with refusals(request):
        documents.document_acknowledge(document=document, actor=request.user, ip_address=client_ip(request),
                                       consent=request.POST.get("consent") == "1")
        messages.success(request, _("Receipt acknowledged. The date of service is recorded."))
    return redirect("portal:case_detail", pk=document.case_id)
