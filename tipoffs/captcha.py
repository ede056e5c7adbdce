"""
An offline CAPTCHA for the public tip-off form: a small sum written in
Chinese numerals, signed (no server state until it is used), valid for 30
minutes and usable once. Nothing is fetched from outside.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "tipoffs.captcha"
MAX_AGE = 30 * 60
NUMERALS = "零一二三四五六七八九十"


def _digest(nonce: str, answer: int) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{SALT}:{nonce}:{answer}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def new_challenge() -> tuple[str, str]:
    """A (question, token) pair; the token carries no readable answer."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, a + b)}, salt=SALT)
    return f"{NUMERALS[a]}加{NUMERALS[b]}等于几？", token


def check(token: str, answer) -> bool:
    """True once for a right answer to a fresh challenge; False otherwise."""
    try:
        data = signing.loads(str(token)[:500], salt=SALT, max_age=MAX_AGE)
        value = int(str(answer).strip()[:3])
    except (signing.BadSignature, ValueError, TypeError):
        return False
    if not isinstance(data, dict):
        return False
    nonce = str(data.get("n", ""))
    # One attempt per question, right or wrong: a replayed or guessed token fails.
    if not cache.add(f"{SALT}:{nonce}", 1, MAX_AGE):
        return False
    return hmac.compare_digest(str(data.get("d", "")), _digest(nonce, value))
