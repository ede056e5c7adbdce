import pytest
from django.test import RequestFactory

from core.audit import client_ip


def _request(forwarded: str, remote: str):
    return RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)


def test_it_uses_the_remote_address_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("6.6.6.6", "10.0.0.2")) == "10.0.0.2"


def test_it_trusts_only_the_entry_the_proxy_appended(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # The client forged the first entry; nginx appended the real address.
    assert client_ip(_request("6.6.6.6, 203.0.113.7", "127.0.0.1")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(_request("6.6.6.6, 203.0.113.7, 10.1.2.3", "127.0.0.1")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["6.6.6.6", "6.6.6.6, 127.0.0.1", "not-an-ip", ""])
def test_a_request_straight_from_an_untrusted_address_is_that_address(settings, forwarded):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request(forwarded, "198.51.100.9")) == "198.51.100.9"


def test_garbage_where_the_client_address_belongs_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("x, not-an-ip", "127.0.0.1")) == "127.0.0.1"
