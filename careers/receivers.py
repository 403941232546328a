"""The outbox's news about a lead's emails, written into the lead's timeline.

Connected from CareersConfig.ready(); the outbox sends these signals inside the
transaction that records the outcome, so the event and the row's status commit together.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from careers.models import Lead, LeadEvent
from outbox.models import Email
from outbox.signals import email_failed, email_sent


def _lead_event(email: Email, kind: str, **details) -> None:
    if email.content_type_id != ContentType.objects.get_for_model(Lead).id:
        return
    LeadEvent.objects.create(
        lead_id=email.object_id,
        kind=kind,
        # "notification_id": the name the timeline has always shown for the outbox row.
        details={"notification_id": email.id, "email_kind": email.kind, **details},
    )


@receiver(email_sent, dispatch_uid="careers.lead_email_sent")
def lead_email_sent(sender, email: Email, **kwargs) -> None:
    _lead_event(email, LeadEvent.Kind.EMAIL_SENT)


@receiver(email_failed, dispatch_uid="careers.lead_email_failed")
def lead_email_failed(sender, email: Email, error: str, **kwargs) -> None:
    _lead_event(email, LeadEvent.Kind.EMAIL_FAILED, error=error)
