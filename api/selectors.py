"""Reads of the API app: a user's own tokens."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import ApiToken


def token_list(*, viewer: User) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first (nobody lists another's)."""
    if not viewer.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=viewer).order_by("-created_at", "-id")


def token_get(*, viewer: User, pk: int) -> ApiToken:
    return get_object_or_404(token_list(viewer=viewer), pk=pk)
