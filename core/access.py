"""
Access helpers that every selector and view builds on.

Rule of the house: an enterprise user asking for a staff page, or for any
object of another enterprise, gets 404 (never 403), so the portal does not
even reveal what exists. Staff asking for a page or an action their role may
not use at all get 403, with the rule in words ("只有负责人可以执行此操作。");
a step their role may not take on a page they may use is refused like any
rule (`NotPermitted` through `core.pages.refusals`: the message, then back).
Both are raised by `require_supervisor` / `require_editor`, the one way to
refuse by role.
"""

from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from accounts.models import STAFF_ROLES, Role, User

from .exceptions import NotPermitted

_M = TypeVar("_M", bound=Model)

SUPERVISORS_ONLY = _("Only a supervisor may do this.")
EDITORS_ONLY = _("Only inspectors and supervisors may do this.")


def is_staff_user(user: User) -> bool:
    return bool(user.is_authenticated and user.role in STAFF_ROLES)


def require_supervisor(user: User | None, message: str | None = None) -> None:
    """Refuse (`NotPermitted`) unless `user` is a supervisor (or an admin)."""
    if not (user is not None and user.is_authenticated and user.is_supervisor):
        raise NotPermitted(message or SUPERVISORS_ONLY)


def require_editor(user: User | None, message: str | None = None) -> None:
    """Refuse (`NotPermitted`) unless `user` may change data: inspectors, supervisors, admins."""
    if not (user is not None and user.is_authenticated and user.can_edit):
        raise NotPermitted(message or EDITORS_ONLY)


def staff_required(view=None, *, require=None):
    """
    Require a logged-in staff user; enterprise users get 404. With `require`
    (`require_supervisor`, `require_editor`), staff of other roles get 403
    naming the rule.
    """

    def decorator(view_func):
        @login_required
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not is_staff_user(request.user):
                raise Http404
            if require is not None:
                require(request.user)
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view else decorator


def editor_required(view):
    """Staff who may change data (inspectors, supervisors, admins)."""
    return staff_required(require=require_editor)(view)


def supervisor_required(view):
    """Supervisors (and admins)."""
    return staff_required(require=require_supervisor)(view)


def enterprise_user_required(view_func):
    """Portal pages: only enterprise users; staff get 404 too."""

    @login_required
    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.ENTERPRISE or not request.user.enterprise_id:
            raise Http404
        return view_func(request, *args, **kwargs)

    return wrapped


def scope_to_enterprise(queryset: QuerySet[_M], user: User, *,
                        field: str = "enterprise") -> QuerySet[_M]:
    """
    Scope any queryset by the viewer: staff see everything, an enterprise user
    only rows whose `field` is its own enterprise, anyone else nothing.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.role in STAFF_ROLES:
        return queryset
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        lookup = "pk" if field == "pk" else f"{field}_id" if "__" not in field else field
        return queryset.filter(**{lookup: user.enterprise_id})
    return queryset.none()


class StaffOnly(BasePermission):
    """
    DRF twin of `staff_required`: anonymous requests fail authentication
    (403 with session auth), enterprise users get 404 like on the pages.
    """

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not is_staff_user(request.user):
            raise NotFound
        return True
