from django.urls import reverse

from .access import is_staff_user
from .navigation import SECTIONS


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}
    if is_staff_user(user):
        path = request.path
        items = []
        for section in SECTIONS:
            if section.roles and user.role not in section.roles and user.role != "admin":
                continue
            url = reverse(section.url_name)
            items.append({"label": section.label, "url": url, "active": path.startswith(url)})
        context["nav_sections"] = items
    return context
