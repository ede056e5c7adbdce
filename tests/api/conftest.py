"""Tokens and clients for the API v1 tests."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from api import services
from api.models import TokenScope


def issue_token(user, *, scope=TokenScope.READ_WRITE, days: int = 30, admin=None) -> str:
    """A token's secret for `user` (staff tokens are issued by `admin`)."""
    actor = user if user.role == "enterprise" else admin
    _token, secret = services.token_create(
        user=user, actor=actor, name="test system", scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days))
    return secret


class TokenClient(Client):
    """A test client that sends `Authorization: Bearer <secret>` and reads JSON."""

    def __init__(self, secret: str, **kwargs):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)


@pytest.fixture
def api_for(admin_user):
    """Return a token client acting as `user` (read-write unless scope= says otherwise)."""

    def make(user, **kwargs):
        return TokenClient(issue_token(user, admin=admin_user, **kwargs))

    return make
