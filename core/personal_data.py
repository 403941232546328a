"""Personal-data requests (個人情報保護法): disclosure and erasure of what we hold about one email.

Each app that stores personal data registers one `PersonalDataSource` (a disclose and an
erase function) from its AppConfig.ready(); a request then asks every source in the order
the apps are installed. This module knows no app: careers' leads and the newsletter's
subscribers join the same way.

Erasure anonymises rather than deletes: the personal fields are blanked, the address is
replaced by a keyed hash, and counts, statuses and timestamps stay, so every statistic
computed before the erasure is still true after it.

The person also leaves traces outside their own records: their name in an advisor's digest
email, their address in an SMTP error or an export's filter, their phone in a colleague's
reason. Each app registers a `trace` function that removes a `Scrubber`'s identifiers from
its free text wherever they are; `personal_data_traces_scrub` runs them all, and the admin
change log (Django's own table) is scrubbed here.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.dates import jst
from core.normalization import email_comparison_key
from core.scrub import Scrubber

ANONYMIZED_EMAIL_DOMAIN = "anonymized.invalid"


@dataclass(frozen=True)
class PersonalDataSource:
    """One place that stores personal data, keyed by email address."""

    name: str
    # What the person reads as this part's heading in a disclosure.
    label: str
    # (email, actor) -> JSON-serialisable records, in the person's words.
    disclose: Callable[..., list[dict]]
    # (email, actor, reason) -> how many records were anonymised.
    erase: Callable[..., int]


SOURCES: list[PersonalDataSource] = []
# name -> (scrubber) -> how many rows it cleaned.
TRACES: dict[str, Callable[[Scrubber], int]] = {}


def personal_data_source_register(source: PersonalDataSource) -> None:
    """Add an app's data to disclosure and erasure requests (idempotent by name)."""
    if all(existing.name != source.name for existing in SOURCES):
        SOURCES.append(source)


def personal_data_trace_register(name: str, scrub: Callable[[Scrubber], int]) -> None:
    """Add an app's free text to the scrub that follows every erasure (idempotent by name)."""
    TRACES[name] = scrub


def _admin_log_scrub(scrubber: Scrubber) -> int:
    # Django writes str(obj) and the changed fields' names here on every admin save.
    from django.contrib.admin.models import LogEntry

    return scrubber.scrub_rows(LogEntry.objects.all(), ["object_repr", "change_message"])


def personal_data_traces_scrub(scrubber: Scrubber) -> dict[str, int]:
    """Remove one person's identifiers from every app's free text and the admin log."""
    return {
        "admin_log": _admin_log_scrub(scrubber),
        **{name: scrub(scrubber) for name, scrub in TRACES.items()},
    }


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
        "メールアドレス": email,
        "作成日時": jst(timezone.now()),
        "対応者": user_display_name(actor) if actor else None,
        "保有しているデータ": {
            str(source.label): source.disclose(email=email, actor=actor) for source in SOURCES
        },
    }


def disclosure_is_empty(document: dict) -> bool:
    """True when no source holds anything about the address."""
    return not any(document["保有しているデータ"].values())


def user_display_name(user) -> str:
    """A staff member as people call them: 姓 名, else the login name."""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def personal_data_erase(*, email: str, actor, reason: str = "") -> dict[str, int]:
    """Anonymise every record of one email address; returns how many per source.

    `reason` is the operator's own words; it is stored with the person's identifiers removed.
    """
    email = email_comparison_key(email)
    return {
        source.name: source.erase(email=email, actor=actor, reason=reason) for source in SOURCES
    }
