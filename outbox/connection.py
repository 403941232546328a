"""One open connection to the mail server per worker process, reused from email to email.

Django's SMTP backend opens a connection for each message and closes it after: a TCP
handshake, STARTTLS (the TLS handshake is CPU on our side too) and a login for every
email, where the server would take them all on one connection. So a worker process keeps
its connection: opened on its first send (after the prefork worker forked), checked with
a NOOP before each reuse so that one the server dropped while idle is replaced before a
word of the next message is said, and closed on any error while sending, so the retry
starts afresh. Other backends (files in the drills, memory in tests) are used as before.
"""

import contextlib
import os
import smtplib
import threading

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.signals import setting_changed
from django.dispatch import receiver

_kept = threading.local()


def _close(backend: SMTPBackend) -> None:
    # Django's close() forgets the connection whatever quitting it raised.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        backend.close()


def _alive(backend: SMTPBackend) -> bool:
    try:
        return backend.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _kept_backend() -> SMTPBackend | None:
    """This process's (and thread's) SMTP backend, or None when the mailer is another kind."""
    if getattr(_kept, "pid", None) != os.getpid():
        # A new process after fork starts from nothing: an inherited connection is the
        # parent's and is left alone.
        backend = mailers["default"]
        _kept.pid, _kept.backend = (
            os.getpid(),
            backend if isinstance(backend, SMTPBackend) else None,
        )
    return _kept.backend


@receiver(setting_changed, dispatch_uid="outbox.connection.mailers_changed")
def _forget_on_new_mailers(*, setting: str, **kwargs) -> None:
    # Tests (and only tests) change the mail settings of a running process.
    if setting != "MAILERS":
        return
    if getattr(_kept, "backend", None) is not None:
        _close(_kept.backend)
    _kept.pid = None


def mail_send(message: EmailMessage) -> None:
    """Send `message` through the default mailer, on this process's open connection."""
    backend = _kept_backend()
    if backend is None:
        message.send()
        return
    if backend.connection is not None and not _alive(backend):
        _close(backend)
    try:
        # Opened here, the connection is not the backend's to close after the message.
        backend.open()
        backend.send_messages([message])
    except BaseException:
        # Whatever the server saw, this connection is not trusted for the next email.
        _close(backend)
        raise
