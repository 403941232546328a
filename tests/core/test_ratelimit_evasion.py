"""Limits cannot be dodged by a new IPv6 address, a +tag, dots or a forged header (issue 14, 7)."""

import pytest
from django.test import RequestFactory

from core.normalization import mailbox_key
from core.ratelimit import client_ip, client_network, submission_rate_limit


@pytest.fixture(autouse=True)
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_IP_LIMIT = 2
    settings.RATELIMIT_EMAIL_LIMIT = 2


def test_ipv6_addresses_of_one_64_share_one_limit():
    addresses = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:DB8:1:2:0:0:0:abcd"]
    waits = [
        submission_rate_limit(form="consultation", ip=address, email=f"p{index}@example.com")
        for index, address in enumerate(addresses)
    ]
    assert waits[:2] == [None, None]
    assert waits[2]
    # The next /64 is somebody else.
    assert (
        submission_rate_limit(form="consultation", ip="2001:db8:1:3::1", email="q@example.com")
        is None
    )


def test_ipv4_addresses_still_count_one_by_one():
    assert client_network("203.0.113.7") != client_network("203.0.113.8")
    assert client_network("::ffff:203.0.113.7") == client_network("203.0.113.7")
    assert client_network("2001:db8:1:2::1") == client_network("2001:db8:1:2:aaaa::1")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Taro.Yamada+jobs@gmail.com", "taroyamada@gmail.com"),
        ("t.a.r.o.yamada@GoogleMail.com", "taroyamada+x@gmail.com"),
        ("Hanako+news@example.com", "hanako@EXAMPLE.com"),
        ("ｈａｎａｋｏ＋ａ＠example.com", "hanako@example.com"),
    ],
)
def test_one_mailbox_has_one_key(one, other):
    assert mailbox_key(one) == mailbox_key(other)


def test_dots_matter_outside_gmail():
    assert mailbox_key("taro.yamada@example.com") != mailbox_key("taroyamada@example.com")


def test_the_email_limit_counts_per_mailbox():
    spellings = ["taroyamada@gmail.com", "Taro.Yamada+1@gmail.com", "t.aroyamada+2@googlemail.com"]
    waits = [
        submission_rate_limit(form="consultation", ip=f"203.0.113.{index}", email=email)
        for index, email in enumerate(spellings)
    ]
    assert waits[:2] == [None, None]
    assert waits[2]


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "198.51.100.1"


def test_the_right_most_hop_our_proxies_did_not_add_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        # forged by the client, then the client as the CDN saw it, then the CDN as the LB saw it
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.1",
    )
    assert client_ip(request) == "203.0.113.7"
