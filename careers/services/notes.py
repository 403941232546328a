"""Advisor notes on a lead: appended with their author and time, never edited."""

from django.db import transaction

from careers.models import Lead, LeadEvent, LeadNote


@transaction.atomic
def lead_note_add(*, lead: Lead, author, body: str) -> LeadNote:
    """Append a note and record it in the lead's timeline."""
    note = LeadNote.objects.create(lead=lead, author=author, body=body)
    LeadEvent.objects.create(
        lead=lead, kind=LeadEvent.Kind.NOTE, actor=author, details={"note_id": note.pk}
    )
    return note
