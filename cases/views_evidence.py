"""Case pages for evidence: register an item on the spot, confirm it, issue the notice."""

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from core.access import editor_required
from core.audit import client_ip
from core.forms import empty_choice
from core.pages import refusals
from inspections.models import SampledItem

from . import evidence, selectors
from .models import Case, PreservedEvidence


class SampledItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SampledItem) -> str:
        return f"{obj.content_ref[:80]} · {obj.captured_at:%Y-%m-%d}"


class PreserveForm(forms.Form):
    item = SampledItemChoiceField(label=gettext_lazy("Sampled item"), queryset=SampledItem.objects.none(),
                                  empty_label=empty_choice())
    second_officer = forms.ModelChoiceField(label=gettext_lazy("Second officer"),
                                            queryset=User.objects.none(), empty_label=empty_choice())
    device = forms.CharField(label=gettext_lazy("Capture device"), max_length=200)
    network = forms.CharField(label=gettext_lazy("Capture network"), max_length=200)

    def __init__(self, *args, case: Case | None = None, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            item, second_officer = self.fields["item"], self.fields["second_officer"]
            assert isinstance(item, forms.ModelChoiceField)
            assert isinstance(second_officer, forms.ModelChoiceField)
            # The enterprise's latest items: a bounded list to pick from on a tablet.
            latest = SampledItem.objects.filter(
                inspection__enterprise_id=case.enterprise_id).order_by("-captured_at").values("pk")[:200]
            item.queryset = SampledItem.objects.filter(pk__in=latest).order_by("-captured_at")
            officers = User.objects.filter(case_assignments__case=case, case_assignments__active=True)
            second_officer.queryset = officers.exclude(pk=user.pk) if user is not None else officers


def preserve_form(case: Case, user: User, data: QueryDict | None = None) -> PreserveForm:
    return PreserveForm(data, case=case, user=user, auto_id="id_ev_%s")


@require_POST
@editor_required
def evidence_preserve(request, pk: int):
    from .views import _detail_context

    case = selectors.case_get(viewer=request.user, pk=pk)
    form = preserve_form(case, request.user, request.POST)
    if form.is_valid():
        # The case page holds many forms: the refusal is flashed as well.
        with refusals(request, form, flash=True):
            evidence.evidence_preserve(
                case=case, actor=request.user, item=form.cleaned_data["item"],
                second_officer=form.cleaned_data["second_officer"],
                device=form.cleaned_data["device"], network=form.cleaned_data["network"],
                browser=request.META.get("HTTP_USER_AGENT", "")[:300], ip_address=client_ip(request))
            messages.success(request, _("Evidence registered; the second officer confirms it."))
            return redirect(case.get_absolute_url())
    context = _detail_context(request, case)
    context["preserve_form"] = form
    return render(request, "cases/case_detail.html", context)


@require_POST
@editor_required
def evidence_confirm(request, pk: int):
    entry = get_object_or_404(PreservedEvidence, pk=pk)
    case = selectors.case_get(viewer=request.user, pk=entry.case_id)
    with refusals(request):
        evidence.evidence_confirm(evidence=entry, actor=request.user)
        messages.success(request, _("You have confirmed the evidence."))
    return redirect(case.get_absolute_url())


@require_POST
@editor_required
def preservation_notice(request, pk: int):
    case = selectors.case_get(viewer=request.user, pk=pk)
    with refusals(request):
        evidence.preservation_notice_issue(case=case, actor=request.user)
        messages.success(request, _("Preservation notice issued."))
    return redirect(case.get_absolute_url())


@require_POST
@editor_required
def preservation_decision(request, pk: int):
    """A supervisor's decision on the preserved items (行政处罚法 Art. 56)."""
    case = selectors.case_get(viewer=request.user, pk=pk)
    decision = request.POST.get("decision", "")[:2000]
    with refusals(request):
        count = evidence.preservation_decide(case=case, actor=request.user, decision=decision)
        messages.success(request, _("Decision recorded on %(n)d preserved items.") % {"n": count})
    return redirect(case.get_absolute_url())
