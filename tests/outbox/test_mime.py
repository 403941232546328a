"""The outbox's MIME message: Japanese headers read back exactly, and each is encoded once."""

import email
import email.policy
import re
from email.headerregistry import BaseHeader

import pytest

from outbox.mime import OutboxMessage

SUBJECT = "【Plus Web3】新しいご相談の担当になりました: PW-MSFV-9BG9 検証 太郎様"
SENDER = "Plus Web3 キャリア相談 <noreply@plusweb3.example>"


def _message(subject: str = SUBJECT) -> OutboxMessage:
    message = OutboxMessage(
        subject=subject,
        body="本文です。",
        from_email=SENDER,
        to=["advisor@plusweb3.example"],
        reply_to=["support@plusweb3.example"],
        headers={"Message-ID": "<notification-1@plusweb3.example>"},
    )
    message.attach_alternative("<p>本文です。</p>", "text/html")
    return message


def _without_boundary_and_date(raw: bytes) -> bytes:
    raw = re.sub(rb"=+\d+==", b"BOUNDARY", raw)
    return re.sub(rb"Date: [^\r\n]*\r?\n", b"", raw)


def test_japanese_headers_read_back_exactly_over_smtp():
    """The subject and the sender's name arrive as written, in the bytes the standard
    library itself would send (SMTP's CRLF and the default's LF alike)."""
    for policy in (email.policy.SMTP, email.policy.default):
        message = _message()
        ours = message.message(policy=policy).as_bytes()
        standard = super(OutboxMessage, message).message(policy=policy).as_bytes()
        assert _without_boundary_and_date(ours) == _without_boundary_and_date(standard)
        received = email.message_from_bytes(ours, policy=email.policy.default)
        assert received["Subject"] == SUBJECT
        assert received["From"].addresses[0].display_name == "Plus Web3 キャリア相談"


def test_our_own_headers_are_encoded_once_and_a_persons_never_kept(monkeypatch):
    """The second email folds again only what can differ per email or name a person (subject,
    address, date, id, the multipart boundary); the sender's lines come from the cache."""
    _message().message(policy=email.policy.SMTP).as_bytes()
    folded = []
    fold = BaseHeader.fold

    def counting_fold(self, *, policy):
        folded.append(self.name)
        return fold(self, policy=policy)

    monkeypatch.setattr(BaseHeader, "fold", counting_fold)
    _message().message(policy=email.policy.SMTP).as_bytes()
    assert sorted(set(folded)) == ["Content-Type", "Date", "Message-ID", "Subject", "To"]
    assert folded.count("Content-Type") == 1  # the boundary's; the parts' come cached


def test_a_header_of_several_lines_is_still_refused():
    """Header injection stays impossible: a subject with a line break is refused."""
    message = _message(subject="件名\nBcc: someone@example.com")
    with pytest.raises(ValueError, match="linefeed"):
        message.message(policy=email.policy.SMTP)
