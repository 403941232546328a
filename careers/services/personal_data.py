"""Personal data of the leads: their part of disclosure and erasure requests, and retention.

CareersConfig.ready() registers `leads_disclose` and `leads_erase` with core.personal_data,
which answers the requests across apps.
"""

from datetime import datetime, timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone

from careers.disclosure import lead_in_words
from careers.models import Booking, Lead, LeadEvent, LeadNote
from careers.retention import retention_periods
from core.normalization import email_comparison_key
from core.personal_data import anonymized_email, personal_data_traces_scrub
from core.scrub import Scrubber
from outbox.erasure import emails_anonymize
from outbox.models import Email

ANONYMIZED_NAME = "匿名化済み"


class ErasureReason:
    REQUEST = "request"
    RETENTION = "retention"


# ------------------------------------------------------------------------------
# Leads (with their events, notes and emails)
# ------------------------------------------------------------------------------


def _leads_with_email(email: str):
    # Matches the Lower(email) index that duplicate detection uses.
    return Lead.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email_comparison_key(email)
    )


def leads_disclose(*, email: str, actor) -> list[dict]:
    """Every lead of this address with its events, notes and emails; records a DISCLOSED event."""
    leads = list(
        _leads_with_email(email)
        .select_related("source_article", "advisor", "project", "duplicate_of")
        .prefetch_related(
            Prefetch("events", LeadEvent.objects.select_related("actor__advisor")),
            Prefetch("notes", LeadNote.objects.select_related("author__advisor")),
            Prefetch("outbox_emails", Email.objects.order_by("created_at", "id")),
            Prefetch("bookings", Booking.objects.select_related("advisor")),
        )
        .order_by("created_at", "id")
    )
    records = [lead_in_words(lead) for lead in leads]
    LeadEvent.objects.bulk_create(
        LeadEvent(
            lead=lead,
            kind=LeadEvent.Kind.DISCLOSED,
            actor=actor,
            details={"request": "disclosure", "leads": len(leads)},
        )
        for lead in leads
    )
    return records


def _identifiers(lead: Lead) -> dict[str, list[str]]:
    return {
        "emails": [lead.email],
        "names": [lead.name, lead.name_kana],
        "phones": [lead.phone],
    }


def _own_scrubber(identifiers: dict[str, list[str]]) -> Scrubber:
    # In the lead's own history even a surname alone ("佐々木さん") is about this person.
    parts = [part for name in identifiers["names"] for part in name.split()]
    return Scrubber(**{**identifiers, "names": [*identifiers["names"], *parts]})


def _admin_log_point_at_reference(lead: Lead) -> None:
    # Django stored str(lead) when it still carried the name; the reference is what stays.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Lead), object_id=str(lead.pk)
    ).update(object_repr=str(lead))


@transaction.atomic
def lead_anonymize(
    *, lead: Lead, actor=None, reason: str = ErasureReason.REQUEST, note: str = ""
) -> bool:
    """Blank or hash the personal fields of one lead and everything attached to it, then
    remove the person's name, address and phone from every other record that quotes them.

    Returns False when the lead was already anonymised (the call is idempotent).
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.anonymized_at is not None:
        return False
    now = timezone.now()
    identifiers = _identifiers(lead)
    original_email = lead.email

    # The same person keeps the same hashed address, so "how many people" stays countable.
    replacements = {"name": ANONYMIZED_NAME, "email": anonymized_email(lead.email)}
    for field in Lead.PERSONAL_FIELDS:
        setattr(lead, field, replacements.get(field, ""))
    lead.anonymized_at = now
    lead.save(update_fields=[*Lead.PERSONAL_FIELDS, "anonymized_at", "updated_at"])

    # Notes keep their author and time (how much work a lead took), not their words.
    lead.notes.update(body="")

    emails_anonymize(
        emails=lead.outbox_emails.all(), address=original_email, replacement=lead.email
    )

    # A booked consultation keeps the advisor's time; no reminder goes to an erased person.
    lead.bookings.update(day_before_reminder_at=None, hour_before_reminder_at=None)

    _own_scrubber(identifiers).scrub_rows(lead.events.all(), ["details"])
    _admin_log_point_at_reference(lead)
    scrubber = Scrubber(**identifiers)
    personal_data_traces_scrub(scrubber)

    details = {"reason": reason}
    if note:
        details["note"] = scrubber.text(note)
    LeadEvent.objects.create(
        lead=lead, kind=LeadEvent.Kind.ANONYMIZED, actor=actor, details=details
    )
    return True


def leads_erase(*, email: str, actor, reason: str = "") -> int:
    count = 0
    for lead in _leads_with_email(email).only("pk"):
        count += lead_anonymize(lead=lead, actor=actor, reason=ErasureReason.REQUEST, note=reason)
    return count


def leads_traces_scrub(scrubber: Scrubber) -> int:
    """The person's identifiers in other leads' history and notes (a colleague's reason)."""
    return scrubber.scrub_rows(LeadEvent.objects.all(), ["details"]) + scrubber.scrub_rows(
        LeadNote.objects.all(), ["body"]
    )


def leads_purge_expired(
    *, now: datetime | None = None, limit: int | None = None, retention_days: int | None = None
) -> int:
    """Anonymise every lead idle for longer than its state's period (careers.retention).

    `retention_days` replaces every period for one run (`purge_leads --days`). Each lead is
    its own transaction, so a long backlog never holds one big lock, and a `limit` lets the
    periodic task stay within its time limit and continue next run.
    """
    now = now or timezone.now()
    expired_condition = Q()
    for period in retention_periods():
        cutoff = now - timedelta(days=retention_days or period.days)
        expired_condition |= Q(status__in=period.statuses, updated_at__lt=cutoff)
    expired = (
        Lead.objects.filter(expired_condition, anonymized_at__isnull=True)
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)
    )
    if limit is not None:
        expired = expired[:limit]
    count = 0
    for pk in list(expired):
        count += lead_anonymize(lead=Lead(pk=pk), actor=None, reason=ErasureReason.RETENTION)
    return count
