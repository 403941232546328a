"""Admin login throttling: repeated failures lock a username and an address out for a while."""

import time
from http import HTTPStatus

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.test import Client

from core.admin_login import lockout_seconds
from tests.factories import StaffFactory
from tests.support.concurrency import run_at_once
from tests.support.processes import wait_for
from tests.support.services import require_postgresql

pytestmark = pytest.mark.django_db

URL = "/admin/login/"
PASSWORD = "correct horse battery staple"
LOCKED = "ログインの失敗が続いたため"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 5
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 20
    settings.ADMIN_LOGIN_WINDOW_SECONDS = 900
    settings.ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS = 60
    settings.ADMIN_LOGIN_MAX_LOCKOUT_SECONDS = 900


def login(client, username, password, ip="203.0.113.7"):
    return client.post(
        URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_five_bad_passwords_lock_the_username_even_for_the_right_one(client):
    StaffFactory(username="yamada")
    for _ in range(5):
        response = login(client, "yamada", "wrong")
        assert response.status_code == HTTPStatus.OK
        assert LOCKED not in response.content.decode()

    response = login(client, "yamada", PASSWORD)

    assert response.status_code == HTTPStatus.OK
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock follows the username to another address, whatever its case.
    assert LOCKED in login(client, "YAMADA", PASSWORD, ip="198.51.100.9").content.decode()


def test_other_people_can_still_log_in_from_the_same_address(client):
    StaffFactory(username="yamada")
    StaffFactory(username="suzuki")
    for _ in range(5):
        login(client, "yamada", "wrong")

    response = login(client, "suzuki", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"


def test_one_address_guessing_many_usernames_is_locked_out(client, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 3
    StaffFactory(username="suzuki")
    for name in ("a", "b", "c"):
        login(client, name, "wrong")

    assert LOCKED in login(client, "suzuki", PASSWORD).content.decode()
    assert login(client, "suzuki", PASSWORD, ip="198.51.100.9").status_code == HTTPStatus.FOUND


def test_a_successful_login_clears_the_usernames_failures(client):
    StaffFactory(username="yamada")
    for _ in range(4):
        login(client, "yamada", "wrong")
    assert login(client, "yamada", PASSWORD).status_code == HTTPStatus.FOUND
    client.logout()
    for _ in range(4):
        login(client, "yamada", "wrong")
    assert login(client, "yamada", PASSWORD).status_code == HTTPStatus.FOUND


def test_the_first_lock_is_short(client, settings):
    settings.ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS = 1
    StaffFactory(username="yamada")
    for _ in range(5):
        login(client, "yamada", "wrong")
    assert LOCKED in login(client, "yamada", PASSWORD).content.decode()

    # A refused attempt does not extend the lock, so trying until it lets us in is fair.
    wait_for(
        lambda: login(client, "yamada", PASSWORD).status_code == HTTPStatus.FOUND,
        timeout=5,
        message="still locked long after the one-second window",
    )


def test_each_lockout_in_a_day_doubles_up_to_the_cap(settings):
    """Strangers who know a username can keep it locked only briefly at first, never forever."""
    settings.ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS = 60
    settings.ADMIN_LOGIN_MAX_LOCKOUT_SECONDS = 900
    assert [lockout_seconds(level) for level in range(1, 7)] == [60, 120, 240, 480, 900, 900]


def test_the_second_lockout_lasts_longer_than_the_first(client, settings):
    # Lockouts of 2 s and then 4 s: long enough that a loaded machine's slow requests
    # cannot outlast the second one before the test looks at it.
    settings.ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS = 2
    StaffFactory(username="yamada")
    for _ in range(6):
        login(client, "yamada", "wrong")
    time.sleep(2.2)
    # The first lockout (2 s) is over: five more guesses, then the second lockout (4 s).
    for _ in range(5):
        assert LOCKED not in login(client, "yamada", "wrong").content.decode()
    assert LOCKED in login(client, "yamada", PASSWORD).content.decode()
    time.sleep(2.2)
    assert LOCKED in login(client, "yamada", PASSWORD).content.decode()
    wait_for(
        lambda: login(client, "yamada", PASSWORD).status_code == HTTPStatus.FOUND,
        timeout=8,
        message="the second lockout never ended",
    )


def test_an_ipv6_client_is_one_client_for_its_whole_64(client, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 3
    StaffFactory(username="suzuki")
    for number, name in enumerate(("a", "b", "c"), start=1):
        login(client, name, "wrong", ip=f"2001:db8:1:2::{number}")

    assert LOCKED in login(client, "suzuki", PASSWORD, ip="2001:db8:1:2:ffff::9").content.decode()
    assert login(client, "suzuki", PASSWORD, ip="2001:db8:1:3::1").status_code == HTTPStatus.FOUND


def test_with_the_counters_down_the_login_is_refused_and_says_why(client, settings):
    StaffFactory(username="yamada")
    settings.CACHES = {
        **settings.CACHES,
        "counters": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/8",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }

    response = login(client, "yamada", PASSWORD)

    assert response.status_code == HTTPStatus.OK
    assert "ログイン回数を確認できないため" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_never_try_more_passwords_than_the_limit(monkeypatch):
    """20 guesses at once from 20 addresses: exactly 5 passwords are checked, never more."""
    require_postgresql()
    StaffFactory(username="yamada")
    checked = []
    original = ModelBackend.authenticate

    def slow_authenticate(self, *args, **kwargs):
        # A production password hash takes this long; the tests' MD5 hasher does not.
        time.sleep(0.2)
        return original(self, *args, **kwargs)

    def count_checked(sender, **kwargs):
        checked.append(kwargs["credentials"]["username"])

    monkeypatch.setattr(ModelBackend, "authenticate", slow_authenticate)
    user_login_failed.connect(count_checked, dispatch_uid="count-checked")
    addresses = iter(f"203.0.113.{number}" for number in range(1, 21))
    try:
        statuses = run_at_once(
            lambda: login(Client(), "yamada", "wrong", ip=next(addresses)).status_code,
            times=20,
        )
    finally:
        user_login_failed.disconnect(dispatch_uid="count-checked")

    assert statuses == [HTTPStatus.OK] * 20
    assert len(checked) == 5
