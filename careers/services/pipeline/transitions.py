"""Status transitions: a person moves a lead along the pipeline, one checked step at a time."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Lead, LeadEvent
from careers.selectors import lead_open_statuses, lead_team
from careers.services.pipeline.routing import lead_route_enqueue, waiting_leads_flow
from careers.services.pipeline.rules import (
    ROUTING_ONLY_STATUSES,
    PipelineError,
    advisor_ref,
    check_transition,
    lead_copy_into,
    status_details,
)

Status = Lead.Status


def lead_transition(
    *,
    lead: Lead,
    to: str,
    actor=None,
    reason: str = "",
    close_reason: str | None = None,
    now: datetime | None = None,
) -> Lead:
    """Move a lead along the pipeline; the one place the allowed transitions are enforced.

    Writes a STATUS_CHANGED event (who, when, from, to, why), sets first_contacted_at
    on the first move to `contacted`, and requires a close reason for `closed`.
    Returns the updated lead (the instance passed in is refreshed too).
    """
    now = now or timezone.now()
    if to in ROUTING_ONLY_STATUSES:
        raise PipelineError(
            _("担当の割り当ては振り分けまたは担当変更で行います。"), code="routing_only"
        )
    if to == Status.CLOSED and close_reason not in Lead.CloseReason.values:
        raise PipelineError(_("クローズ理由を選んでください。"), code="close_reason_required")
    team = lead_team(kind=lead.kind)
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(id=lead.id)
        from_status = locked.status
        check_transition(from_status=from_status, to=to)
        locked.status = to
        fields = ["status", "updated_at"]
        if to == Status.CONTACTED and locked.first_contacted_at is None:
            locked.first_contacted_at = now
            fields.append("first_contacted_at")
        if to == Status.CLOSED:
            locked.close_reason = close_reason
            fields.append("close_reason")
        if to == Status.NEW:
            # Back from spam: routing starts from a clean slate.
            locked.advisor = None
            locked.assigned_at = None
            locked.first_contact_due_at = None
            fields += ["advisor", "assigned_at", "first_contact_due_at"]
        locked.save(update_fields=fields)
        LeadEvent.objects.create(
            lead=locked,
            kind=LeadEvent.Kind.STATUS_CHANGED,
            actor=actor,
            details=status_details(
                from_status=from_status,
                to=to,
                reason=reason,
                close_reason=close_reason if to == Status.CLOSED else None,
                advisor=advisor_ref(locked.advisor_id),
            ),
        )
        freed_capacity = from_status in lead_open_statuses() and to not in lead_open_statuses()
        if to == Status.NEW:
            lead_route_enqueue(lead_id=locked.id)
        if freed_capacity:
            # A seat opened up: leads waiting for this team may flow now.
            waiting_leads_flow(team=team)
    lead_copy_into(lead, locked)
    return locked
