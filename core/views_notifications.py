"""A user's own notifications: list, open (marks read), mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .notification_filters import NotificationFilter
from .notifications import notification_list, notification_mark_all_read, notification_mark_read


@require_GET
@login_required
def notifications(request):
    filters = NotificationFilter(request.GET, viewer=request.user)
    # A bad value shows its error over an empty list.
    valid = filters.is_valid()
    queryset = notification_list(viewer=request.user, filters=request.GET) if valid else []
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {
        "page_obj": page, "form": filters.form,
        "unread_only": valid and filters.form.cleaned_data.get("unread") is True,
    })


@require_POST
@login_required
def notification_read(request, pk: int):
    """Mark one notification read and follow its link (own notifications only)."""
    notification = get_object_or_404(notification_list(viewer=request.user), pk=pk)
    notification_mark_read(notification=notification)
    target = notification.url if request.POST.get("follow") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


@require_POST
@login_required
def notifications_read_all(request):
    count = notification_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("core:notifications")
