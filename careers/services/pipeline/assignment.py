"""Writing a routing decision on a lead its caller has locked (see routing.py for the lock
order): the lead and its advisor, the event with the decision's record, and the email it
owes (the advisor's, or the managers' alert when nobody could take it)."""

from datetime import datetime

from careers.business_days import first_contact_due
from careers.models import Advisor, Lead, LeadEvent
from careers.routing import Decision
from careers.services import routing_emails
from careers.services.pipeline.rules import (
    ROUTABLE_STATUSES,
    advisor_ref,
    check_transition,
    status_details,
)

Status = Lead.Status

# Reset on every new holder: the first-contact promise starts again with them.
_SLA_RESET = {"sla_reminded_at": None, "sla_breached_at": None, "sla_breach_count": 0}

# The advisor's row, written and read back in one statement under the pool lock: the ORM
# needs an UPDATE and then a SELECT.
_ADVISOR_ASSIGNED_SQL = f"""
    UPDATE {Advisor._meta.db_table} SET last_assigned_at = %s WHERE id = %s RETURNING *
"""  # noqa: S608 - the table name is ours; the values are parameters


def _advisor_mark_assigned(*, advisor_id: int, now: datetime) -> Advisor:
    (advisor,) = Advisor.objects.raw(_ADVISOR_ASSIGNED_SQL, [now, advisor_id])
    return advisor


def lead_assignment_write(
    *,
    lead: Lead,
    advisor_id: int,
    decision: Decision,
    now: datetime,
    actor=None,
    reason: str,
) -> LeadEvent:
    """Give the (locked) lead to an advisor, log the decision and queue the advisor's email."""
    from_status, previous_advisor_id = lead.status, lead.advisor_id
    if from_status in ROUTABLE_STATUSES:
        check_transition(from_status=from_status, to=Status.ASSIGNED)
    lead.advisor_id = advisor_id
    lead.assigned_at = now
    fields = ["advisor", "assigned_at", "updated_at"]
    if from_status in (*ROUTABLE_STATUSES, Status.ASSIGNED):
        # Not yet contacted: the new holder owes the first call, on a fresh deadline.
        lead.status = Status.ASSIGNED
        lead.first_contact_due_at = first_contact_due(now)
        for name, value in _SLA_RESET.items():
            setattr(lead, name, value)
        fields += ["status", "first_contact_due_at", *_SLA_RESET]
    lead.save(update_fields=fields)
    advisor = _advisor_mark_assigned(advisor_id=advisor_id, now=now)
    event = LeadEvent.objects.create(
        lead=lead,
        # The first holder is a routing; any later change of hands is a reassignment.
        kind=LeadEvent.Kind.REASSIGNED if previous_advisor_id else LeadEvent.Kind.ROUTED,
        actor=actor,
        details=status_details(
            from_status=from_status,
            to=lead.status,
            reason=reason,
            advisor={"id": advisor.id, "name": advisor.name},
            previous_advisor=advisor_ref(previous_advisor_id),
            due_at=lead.first_contact_due_at.isoformat() if lead.first_contact_due_at else None,
            decision=decision.as_record(),
        ),
    )
    routing_emails.assignment_email_queue(lead=lead, advisor=advisor)
    return event


def lead_unassigned_write(*, lead: Lead, decision: Decision, actor=None, reason: str) -> LeadEvent:
    """Nobody can take the (locked) lead: park it for the sweep and alert the managers."""
    from_status, previous_advisor_id = lead.status, lead.advisor_id
    check_transition(from_status=from_status, to=Status.UNASSIGNED)
    lead.status = Status.UNASSIGNED
    lead.advisor = None
    lead.assigned_at = None
    lead.first_contact_due_at = None
    for name, value in _SLA_RESET.items():
        setattr(lead, name, value)
    lead.save(
        update_fields=[
            "status",
            "advisor",
            "assigned_at",
            "first_contact_due_at",
            "updated_at",
            *_SLA_RESET,
        ]
    )
    event = LeadEvent.objects.create(
        lead=lead,
        kind=LeadEvent.Kind.UNASSIGNED,
        actor=actor,
        details=status_details(
            from_status=from_status,
            to=Status.UNASSIGNED,
            reason=reason,
            previous_advisor=advisor_ref(previous_advisor_id),
            decision=decision.as_record(),
        ),
    )
    routing_emails.unassigned_alert_queue(lead=lead, event=event)
    return event


def lead_decision_write(
    *, lead: Lead, decision: Decision, now: datetime, park: bool, actor=None, reason: str = ""
) -> None:
    """Carry out the policy's decision on the (locked) lead: give it to the chosen advisor,
    or, with nobody chosen and `park`, leave it unassigned for the sweep."""
    reason = f"{reason} {decision.why}".strip()
    if decision.advisor_id is not None:
        lead_assignment_write(
            lead=lead,
            advisor_id=decision.advisor_id,
            decision=decision,
            now=now,
            actor=actor,
            reason=reason,
        )
    elif park:
        lead_unassigned_write(lead=lead, decision=decision, actor=actor, reason=reason)
