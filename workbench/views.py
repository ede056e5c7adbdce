"""Each officer's home page: the work that waits for them, each row linking to its action."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.models import Role
from core.access import staff_required

from . import selectors


@require_GET
@staff_required
def home(request):
    user = request.user
    if user.role == Role.ANALYST:
        return redirect("reports:analytics_index")
    context = {"unread": selectors.unread_notifications(viewer=user)}
    if user.is_supervisor:
        context.update(selectors.supervisor_work(viewer=user))
        return render(request, "workbench/supervisor.html", context)
    context.update(selectors.inspector_work(viewer=user))
    return render(request, "workbench/inspector.html", context)
