"""
Access helpers that every selector and view builds on.

Rule of the house: an enterprise user asking for a staff page, or for any
object of another enterprise, gets 404 (never 403), so the portal does not
even reveal what exists. Staff asking for something their role may not do
get 403.
"""

from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from accounts.models import STAFF_ROLES, Role, User

_M = TypeVar("_M", bound=Model)


def is_staff_user(user: User) -> bool:
    return bool(user.is_authenticated and user.role in STAFF_ROLES)


def staff_required(view=None, *, roles: frozenset | set | tuple | None = None):
    """
    Require a logged-in staff user; enterprise users get 404. With `roles`,
    staff outside those roles get 403 (admins always pass).
    """

    def decorator(view_func):
        @login_required
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not is_staff_user(request.user):
                raise Http404
            if roles and request.user.role not in roles and request.user.role != Role.ADMIN:
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view else decorator


def editor_required(view):
    """Staff who may change data (inspectors, supervisors, admins)."""
    return staff_required(roles={Role.INSPECTOR, Role.SUPERVISOR})(view)


def supervisor_required(view):
    return staff_required(roles={Role.SUPERVISOR})(view)


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
