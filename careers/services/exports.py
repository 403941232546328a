"""Recording lead exports: personal data leaving the building is always accounted for."""

import uuid
from collections.abc import Sequence

from django.db import transaction

from careers.models import LeadEvent

_BATCH_SIZE = 1000


@transaction.atomic
def leads_export_record(*, lead_ids: Sequence[int], actor, description: str = "") -> str:
    """Write one EXPORTED event on every exported lead; returns the export's id.

    Each event says who exported (actor), when (created_at), how many rows the export
    had and which export it was, so a lead's timeline shows every file it went into.
    """
    export_id = uuid.uuid4().hex
    details = {"export_id": export_id, "rows": len(lead_ids), "description": description}
    LeadEvent.objects.bulk_create(
        (
            LeadEvent(lead_id=lead_id, kind=LeadEvent.Kind.EXPORTED, actor=actor, details=details)
            for lead_id in lead_ids
        ),
        batch_size=_BATCH_SIZE,
    )
    return export_id
