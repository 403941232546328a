"""A worker keeps one connection to the mail server, and never trusts one that failed."""

import smtplib

import pytest
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from outbox.models import Email
from outbox.services import TransientEmailError, email_queue_rendered, email_send

pytestmark = pytest.mark.django_db


class FakeSMTP:
    """A mail server's connection: it remembers the messages and can drop or refuse."""

    opened: list["FakeSMTP"] = []
    refuse_next = False

    def __init__(self, host, port, **options):
        self.open, self.messages = True, []
        FakeSMTP.opened.append(self)

    def starttls(self, context=None):
        pass

    def login(self, username, password):
        pass

    def noop(self):
        if not self.open:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return (250, b"OK")

    def sendmail(self, from_address, recipients, message):
        if not self.open or FakeSMTP.refuse_next:
            FakeSMTP.refuse_next = False
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.messages.append(message)
        return {}

    def quit(self):
        self.close()

    def close(self):
        self.open = False


class FakeSMTPBackend(SMTPBackend):
    @property
    def connection_class(self):
        return FakeSMTP


@pytest.fixture
def mail_server(settings):
    FakeSMTP.opened, FakeSMTP.refuse_next = [], False
    settings.MAILERS = {
        "default": {
            "BACKEND": f"{__name__}.FakeSMTPBackend",
            "OPTIONS": {"host": "mail.example", "port": 587, "use_tls": False},
        }
    }
    return FakeSMTP


def _queued(number: int) -> Email:
    return email_queue_rendered(
        key=f"test:{number}",
        kind="lead_confirmation",
        to=[f"person{number}@example.com"],
        subject="ご相談を受け付けました",
        body_text="本文",
    )


def test_one_connection_carries_many_emails(mail_server):
    """Three emails, one connection: no handshake and login per email."""
    for number in range(3):
        assert email_send(email_id=_queued(number).id) == Email.Status.SENT
    assert len(mail_server.opened) == 1
    assert len(mail_server.opened[0].messages) == 3


def test_a_connection_the_server_dropped_is_replaced_before_the_next_email(mail_server):
    """An idle connection closed by the server costs no retry: the next email opens a new one."""
    email_send(email_id=_queued(1).id)
    mail_server.opened[0].open = False
    assert email_send(email_id=_queued(2).id) == Email.Status.SENT
    assert [len(connection.messages) for connection in mail_server.opened] == [1, 1]


def test_a_connection_that_failed_mid_send_is_not_used_again(mail_server):
    """A failure while sending puts the email back for its retry, which comes on a new
    connection; the failed one is closed."""
    email_send(email_id=_queued(1).id)
    mail_server.refuse_next = True
    email = _queued(2)
    with pytest.raises(TransientEmailError):
        email_send(email_id=email.id)
    assert mail_server.opened[0].open is False
    assert email_send(email_id=email.id) == Email.Status.SENT
    assert len(mail_server.opened) == 2
    assert len(mail_server.opened[1].messages) == 1
