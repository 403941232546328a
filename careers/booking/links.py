"""The signed booking link: it names one lead, expires, and cannot be forged or guessed."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from careers.booking.wording import BOOKABLE_KINDS
from careers.models import Lead

# One salt for booking links only: a thank-you token or a newsletter token opens nothing here.
_SALT = "careers.booking.link"


class BookingLinkError(Exception):
    """The link cannot be used; `message` tells the candidate why, in Japanese."""

    def __init__(self, message, *, expired: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired


def booking_token(*, lead: Lead) -> str:
    """A fresh token for the lead; valid CAREERS_BOOKING_LINK_DAYS from now."""
    return signing.dumps({"lead": lead.reference}, salt=_SALT)


def booking_url(*, lead: Lead, absolute: bool = False) -> str:
    path = reverse("careers:booking", kwargs={"token": booking_token(lead=lead)})
    return f"{settings.SITE_URL}{path}" if absolute else path


def booking_lead(*, token: str) -> Lead:
    """The lead (candidate or company) a token names, or BookingLinkError (expired, forged,
    erased, or a kind that books nothing)."""
    max_age = timedelta(days=settings.CAREERS_BOOKING_LINK_DAYS)
    try:
        payload = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BookingLinkError(
            _("この予約リンクは有効期限が切れています。お問い合わせ窓口までご連絡ください。"),
            expired=True,
        ) from None
    except signing.BadSignature:
        raise BookingLinkError(
            _("この予約リンクは無効です。メールに記載されたリンクをそのまま開いてください。")
        ) from None
    reference = payload.get("lead") if isinstance(payload, dict) else None
    lead = Lead.objects.filter(
        reference=reference, kind__in=BOOKABLE_KINDS, anonymized_at__isnull=True
    ).first()
    if lead is None:
        raise BookingLinkError(_("このお申し込みは見つかりませんでした。"))
    return lead
