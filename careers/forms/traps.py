"""The bot traps of the lead forms: a honeypot field and a signed token of when the form was shown.

Trapped bots are not errors: the form stays valid and only says why the lead is spam, so a
bot learns nothing from the answer. The token's random key doubles as the submission key
that makes a double-click create one lead.
"""

import secrets
import time
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core import signing

_FORM_TOKEN_SALT = "careers.consultation.form-token"  # noqa: S105 - a namespace, not a secret


def form_token_make(*, shown_at: float | None = None) -> str:
    """A signed note of when the form was shown, plus a random key for this one rendering."""
    shown_at = time.time() if shown_at is None else shown_at
    return signing.dumps({"t": shown_at, "k": secrets.token_urlsafe(16)}, salt=_FORM_TOKEN_SALT)


def form_token_read(token: str) -> tuple[float, str] | None:
    """(shown at, submission key), or None when the token is missing, forged or malformed."""
    try:
        data = signing.loads(token, salt=_FORM_TOKEN_SALT)
    except signing.BadSignature:
        return None
    shown_at, key = (data.get("t"), data.get("k")) if isinstance(data, dict) else (None, None)
    if not isinstance(shown_at, int | float) or not isinstance(key, str) or not key:
        return None
    return float(shown_at), key


class TrapField(forms.CharField):
    """Honeypot and token: never an error the visitor sees, whatever a bot puts in them."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = []

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


@dataclass
class TrapCheck:
    """What the traps caught: why the lead is spam (empty for a person), and the timing."""

    reasons: list[str] = field(default_factory=list)
    fill_seconds: float | None = None
    submission_key: str | None = None


def traps_check(*, honeypot: str, form_token: str) -> TrapCheck:
    """Honeypot filled, token forged or missing, or a form filled faster than a person can."""
    check = TrapCheck()
    if honeypot:
        check.reasons.append("honeypot")
    token = form_token_read(form_token)
    if token is None:
        check.reasons.append("form_token_invalid")
        return check
    shown_at, check.submission_key = token
    check.fill_seconds = round(time.time() - shown_at, 1)
    if check.fill_seconds < settings.FORM_MIN_FILL_SECONDS:
        check.reasons.append("too_fast")
    return check
