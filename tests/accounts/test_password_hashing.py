"""
Passwords are stored with Argon2id at Django's parameters (memory-hard, above
OWASP's minimum), not with a weaker or faster setting; a password hashed
earlier with PBKDF2 still lets its owner in and is rewritten as Argon2id at
that log-in.
"""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from config import settings as production
from tests.factories import UserFactory

PASSWORD = "Correct-horse-battery-2026"


@pytest.fixture
def production_hashers(settings):
    # The suite hashes with MD5 for speed (tests/conftest.py); these tests use the real list.
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_at_least_owasp_parameters(production_hashers):
    encoded = make_password(PASSWORD)
    params = identify_hasher(encoded).decode(encoded)
    assert params["algorithm"] == "argon2"
    assert params["variety"] == "argon2id"
    # OWASP's minimum for Argon2id: 19 MiB of memory and 2 passes.
    assert params["memory_cost"] >= 19 * 1024
    assert params["time_cost"] >= 2
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)


def test_a_pbkdf2_password_still_logs_in_and_is_upgraded_to_argon2(production_hashers, client, db):
    user = UserFactory(username="older", role="inspector")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = client.post(reverse("accounts:login"), {"username": "older", "password": PASSWORD},
                           secure=True)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_a_wrong_password_is_refused_and_leaves_the_hash_alone(production_hashers, client, db):
    user = UserFactory(username="older", role="inspector")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = client.post(reverse("accounts:login"), {"username": "older", "password": "wrong"},
                           secure=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
