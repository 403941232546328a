"""Admin login throttling: repeated failures lock a username and an address out for a while."""

from http import HTTPStatus

import pytest

from tests.factories import StaffFactory
from tests.support.processes import wait_for

pytestmark = pytest.mark.django_db

URL = "/admin/login/"
PASSWORD = "correct horse battery staple"
LOCKED = "ログインの失敗が続いたため"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 5
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP = 20
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 900


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


def test_the_lock_ends_after_the_window(client, settings):
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 1
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
