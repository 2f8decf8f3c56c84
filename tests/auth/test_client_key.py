"""The client key of a sign-in attempt: forwarded addresses count only from trusted proxies."""

from __future__ import annotations

import pytest

from ttcm.config import ConfigError, Settings
from ttcm.web.client import client_key

LOOPBACK = "127.0.0.1,::1"  # uvicorn's default FORWARDED_ALLOW_IPS


def test_a_direct_client_is_its_own_address_whatever_it_forwards() -> None:
    assert client_key("203.0.113.7", None, (), LOOPBACK) == "203.0.113.7"
    assert client_key("203.0.113.7", "198.51.100.1", (), LOOPBACK) == "203.0.113.7"


def test_a_forwarded_header_from_loopback_is_ignored_unless_loopback_is_trusted() -> None:
    # uvicorn already swapped the loopback peer for the header's value; we undo that
    assert client_key("198.51.100.9", "198.51.100.9", (), LOOPBACK) == "127.0.0.1"
    assert client_key("198.51.100.9", "10.0.0.1, 198.51.100.9", (), LOOPBACK) == "127.0.0.1"
    trusted = ("127.0.0.1/32",)
    assert client_key("198.51.100.9", "198.51.100.9", trusted, LOOPBACK) == "198.51.100.9"


def test_a_configured_proxy_is_believed_and_spoofed_hops_before_it_are_not() -> None:
    proxies = ("10.0.0.0/8",)
    # the client put a fake address first; the proxy appended the real one
    assert client_key("10.0.0.5", "6.6.6.6, 203.0.113.7", proxies, "") == "203.0.113.7"
    assert client_key("10.0.0.5", "203.0.113.7, 10.0.0.9", proxies, "") == "203.0.113.7"
    assert client_key("10.0.0.5", "not-an-ip", proxies, "") == "10.0.0.5 (bad forwarded value)"
    assert client_key("10.0.0.5", None, proxies, "") == "10.0.0.5"


def test_loopback_clients_are_not_one_unknown_bucket_with_missing_addresses() -> None:
    assert client_key("127.0.0.1", None, (), LOOPBACK) == "127.0.0.1"
    assert client_key(None, None, (), LOOPBACK) == "no-address"


def test_the_setting_is_validated() -> None:
    got = Settings.load({"TTCM_TRUSTED_PROXIES": "10.0.0.5, 192.168.0.0/16"}, secrets_file=None)
    assert got.trusted_proxies == ("10.0.0.5/32", "192.168.0.0/16")
    assert Settings.load({}, secrets_file=None).trusted_proxies == ()
    for bad in ("10.0.0.300", "localhost", "10.0.0.1,,", "<script>"):
        with pytest.raises(ConfigError, match="TTCM_TRUSTED_PROXIES must be"):
            Settings.load({"TTCM_TRUSTED_PROXIES": bad}, secrets_file=None)
