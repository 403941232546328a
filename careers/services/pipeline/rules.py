"""What every pipeline service shares: who may go where, the refusal, and the event details."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from careers.models import Advisor, Lead

Status = Lead.Status

# Who may go where. Assignment and "nobody found" belong to routing (lead_route,
# lead_reassign); people move a lead along the rest of the way with lead_transition.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.UNASSIGNED, Status.CLOSED, Status.SPAM}),
    Status.UNASSIGNED: frozenset({Status.ASSIGNED, Status.CLOSED, Status.SPAM}),
    Status.ASSIGNED: frozenset({Status.UNASSIGNED, Status.CONTACTED, Status.CLOSED, Status.SPAM}),
    Status.CONTACTED: frozenset({Status.INTERVIEWING, Status.CLOSED}),
    Status.INTERVIEWING: frozenset({Status.PLACED, Status.CLOSED}),
    Status.PLACED: frozenset(),
    Status.CLOSED: frozenset(),
    # A false positive goes back to the start and is routed like any new lead.
    Status.SPAM: frozenset({Status.NEW}),
}
ROUTING_ONLY_STATUSES = frozenset({Status.ASSIGNED, Status.UNASSIGNED})
# Statuses whose lead routing may still give to someone.
ROUTABLE_STATUSES = (Status.NEW, Status.UNASSIGNED)
# Statuses whose lead may change hands (by a manager, or when its advisor goes away).
REASSIGNABLE_STATUSES = (
    Status.NEW,
    Status.UNASSIGNED,
    Status.ASSIGNED,
    Status.CONTACTED,
    Status.INTERVIEWING,
)


class PipelineError(ValidationError):
    """A refused change, with a message for the person who asked for it."""


def lead_transition_allowed(*, from_status: str, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def lead_manual_transitions(*, lead: Lead) -> list[str]:
    """The statuses a person may move this lead to now (for the admin's buttons)."""
    return leads_common_transitions(statuses=[lead.status])


def leads_common_transitions(*, statuses) -> list[str]:
    """The statuses a person may move every lead of these statuses to (bulk changes)."""
    allowed = frozenset(Status.values)
    for status in set(statuses):
        allowed &= ALLOWED_TRANSITIONS.get(status, frozenset()) - ROUTING_ONLY_STATUSES
    return [status for status in Status.values if status in allowed]


def check_transition(*, from_status: str, to: str) -> None:
    if not lead_transition_allowed(from_status=from_status, to=to):
        raise PipelineError(
            _("「{from_label}」から「{to_label}」には変更できません。").format(
                from_label=Status(from_status).label, to_label=Status(to).label
            ),
            code="transition_not_allowed",
        )


def status_details(*, from_status: str, to: str, reason: str, **extra) -> dict:
    return {"from": from_status, "to": to, "reason": reason, **extra}


def advisor_ref(advisor_id: int | None) -> dict | None:
    if advisor_id is None:
        return None
    advisor = Advisor.objects.filter(id=advisor_id).values("id", "name").first()
    return advisor or {"id": advisor_id, "name": ""}


def lead_copy_into(target: Lead, source: Lead) -> None:
    """Give the caller's instance the values of the locked, updated row."""
    for field_name in (f.attname for f in Lead._meta.concrete_fields):
        setattr(target, field_name, getattr(source, field_name))
