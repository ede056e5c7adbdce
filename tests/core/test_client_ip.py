from django.test import RequestFactory

from core.audit import client_ip


def test_it_uses_the_remote_address_without_a_proxy(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"


def test_it_trusts_only_the_entry_the_proxy_appended(settings):
    settings.PROXY_COUNT = 1
    # The client forged the first entry; nginx appended the real address.
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2"
    )
    assert client_ip(request) == "203.0.113.7"
