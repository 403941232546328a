"""The outbox's part of an erasure: the person's own emails, and their traces in everyone else's."""

from django.db.models import QuerySet

from core.normalization import email_comparison_key
from core.personal_data import anonymized_email
from core.scrub import Scrubber
from outbox.models import Email

ERASED_FIELDS = ("subject", "body_text", "body_html")
CANCELLED_FOR_ERASURE_ERROR = "匿名化のため送信を取り消しました。"
# Where another email can quote the person: a digest lists their name, an SMTP error their
# address, an email not yet sent the values its templates will read.
TEXT_FIELDS = [
    "subject",
    "body_text",
    "body_html",
    "last_error",
    "attachments",
    "headers",
    "context",
]


def emails_anonymize(*, emails: QuerySet, address: str, replacement: str) -> int:
    """Blank the erased person's emails and put `replacement` where `address` was a recipient.

    Counts, kinds, statuses and times stay for the statistics. An emptied email must
    never go out, and we no longer write to this person: pending ones are cancelled.
    """
    key = email_comparison_key(address)
    count = 0
    for email in emails:
        for field in ERASED_FIELDS:
            setattr(email, field, "")
        # A calendar invitation (.ics) names the person too, a List-Unsubscribe their token
        # and an SMTP error their address.
        email.attachments = []
        email.headers = {}
        # An email not yet rendered keeps the person's words here until it is sent.
        email.context = {}
        email.last_error = ""
        email.to = [
            replacement if email_comparison_key(recipient) == key else recipient
            for recipient in email.to
        ]
        fields = [*ERASED_FIELDS, "attachments", "headers", "context", "to", "last_error"]
        if email.status in {Email.Status.PENDING, Email.Status.SENDING}:
            email.status = Email.Status.FAILED
            email.last_error = CANCELLED_FOR_ERASURE_ERROR
            fields.append("status")
        email.save(update_fields=fields)
        count += 1
    return count


def emails_scrub(scrubber: Scrubber) -> int:
    """Remove the person's identifiers from every other email (digests, alerts, errors).

    As a recipient the address becomes the erased placeholder, as on the person's own
    emails, so "emails to this (erased) person" still counts right.
    """
    count = scrubber.scrub_rows(Email.objects.all(), TEXT_FIELDS)
    erased = {email_comparison_key(email) for email in scrubber.emails}
    to_person = list(scrubber.found_in(Email.objects.all(), ["to"]))
    for email in to_person:
        email.to = [
            anonymized_email(recipient) if email_comparison_key(recipient) in erased else recipient
            for recipient in email.to
        ]
    Email.objects.bulk_update(to_person, ["to"])
    return count + len(to_person)
