import re

import pytest
from django.core import mail


def confirmation_path(message) -> str:
    """The confirmation link of a captured email, as a path the test client can open."""
    match = re.search(r"https?://[^/\s]+(/newsletter/confirm/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture(autouse=True)
def _no_client_rate_limit(settings):
    """These tests send many signups from one client; the per-client limit has its own test."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks, doorbell_rings):
    """POST the signup form like a reader would, then let a worker send what it queued;
    returns the response."""

    def post(email="reader@example.com", topics="both", **extra):
        data = {"email": email, "topics": topics, "consent": "on", "website": "", **extra}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/newsletter/", data)
        doorbell_rings.run()
        return response

    return post


@pytest.fixture
def confirmation_emails():
    def sent_to(address):
        return [message for message in mail.outbox if address in message.to]

    return sent_to
