"""Personal-data requests (個人情報保護法): disclosure and erasure of what we hold about one email.

Each app that stores personal data registers one `PersonalDataSource` (a disclose and an
erase function) from its AppConfig.ready(); a request then asks every source in the order
the apps are installed. This module knows no app: careers' leads and the newsletter's
subscribers join the same way.

Erasure anonymises rather than deletes: the personal fields are blanked, the address is
replaced by a keyed hash, and counts, statuses and timestamps stay, so every statistic
computed before the erasure is still true after it.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.normalization import email_comparison_key

ANONYMIZED_EMAIL_DOMAIN = "anonymized.invalid"


@dataclass(frozen=True)
class PersonalDataSource:
    """One place that stores personal data, keyed by email address."""

    name: str
    # (email, actor) -> JSON-serialisable records.
    disclose: Callable[..., list[dict]]
    # (email, actor) -> how many records were anonymised.
    erase: Callable[..., int]


SOURCES: list[PersonalDataSource] = []


def personal_data_source_register(source: PersonalDataSource) -> None:
    """Add an app's data to disclosure and erasure requests (idempotent by name)."""
    if all(existing.name != source.name for existing in SOURCES):
        SOURCES.append(source)


def email_digest(email: str) -> str:
    """The erased placeholder's keyed hash: one address always gives the same value.

    This key serves erasure only (it has since the first erasure, so one person's
    placeholders still match across years). Anything else that needs a keyed hash of an
    address uses `email_purpose_digest` with a purpose of its own, so a value shown in a
    link can never be matched to an erased record.
    """
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email_comparison_key(email).encode(), hashlib.sha256).hexdigest()


def email_purpose_digest(email: str, *, purpose: str) -> str:
    """A keyed hash of an address under a key derived for `purpose` alone."""
    return salted_hmac(purpose, email_comparison_key(email), algorithm="sha256").hexdigest()


def anonymized_email(email: str) -> str:
    return f"{email_digest(email)[:32]}@{ANONYMIZED_EMAIL_DOMAIN}"


@transaction.atomic
def personal_data_disclose(*, email: str, actor) -> dict:
    """Everything stored about one email address, as one JSON-serialisable document."""
    email = email_comparison_key(email)
    return {
        "email": email,
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.get_username() if actor else None,
        "sources": {source.name: source.disclose(email=email, actor=actor) for source in SOURCES},
    }


def personal_data_erase(*, email: str, actor) -> dict[str, int]:
    """Anonymise every record of one email address; returns how many per source."""
    email = email_comparison_key(email)
    return {source.name: source.erase(email=email, actor=actor) for source in SOURCES}
