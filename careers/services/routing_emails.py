"""The emails of routing and the first-contact promise, queued through the outbox.

Each key names one fact (this assignment, this breach, this day's digest), so a
retried task or a second sweep host asks for the same email and gets none extra.
"""

from datetime import date, datetime

from django.conf import settings
from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from careers.models import Advisor, Lead, LeadEvent
from careers.selectors import manager_emails
from outbox.services import email_queue, email_queue_unrendered


def lead_admin_url(lead: Lead) -> str:
    """The absolute admin link of a lead, for emails."""
    try:
        path = reverse("admin:careers_lead_change", args=[lead.pk])
    except NoReverseMatch:
        # Lead's ModelAdmin is not loaded (a trimmed URLconf); this is the path it would have.
        path = f"/admin/careers/lead/{lead.pk}/change/"
    return f"{settings.SITE_URL}{path}"


# templates/careers/email/<template>_subject.txt, .txt and .html
TEMPLATE_DIR = "careers/email"


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _queue_to_managers(
    *, key: str, kind: str, template: str, context: dict, about: Model | None = None
) -> bool:
    # Until the managers' group has members there is nobody to tell; the event log still has it.
    recipients = manager_emails()
    if not recipients:
        return False
    email_queue(
        key=key,
        kind=kind,
        to=recipients,
        template=f"{TEMPLATE_DIR}/{template}",
        context=context,
        about=about,
    )
    return True


def _lead_values(lead: Lead) -> dict:
    """What an advisor's email shows of a lead, as plain values under the names the shared
    templates read from a Lead (`lead.get_interest_display` finds a key as well as a method)."""
    return {
        "reference": lead.reference,
        "kind": lead.kind,
        "name": lead.name,
        "name_kana": lead.name_kana,
        "company_name": lead.company_name,
        "department": lead.department,
        "positions": lead.positions,
        "current_job": lead.current_job,
        "message": lead.message,
        "created_at": lead.created_at,
        "get_interest_display": lead.get_interest_display(),
        "get_timing_display": lead.get_timing_display(),
        "get_contact_method_display": lead.get_contact_method_display(),
        "get_experience_display": lead.get_experience_display(),
    }


def _advisor_lead_email_queue(*, lead: Lead, advisor: Advisor, kind: str) -> None:
    # One email of each kind per holding: a new assignment starts a new key. Rendered by the
    # worker that sends it, so routing does not render under the team's pool lock.
    email_queue_unrendered(
        key=f"lead:{lead.id}:{kind}:{advisor.id}:{_stamp(lead.assigned_at)}",
        kind=kind,
        to=[advisor.email],
        template=f"{TEMPLATE_DIR}/{kind}",
        context={
            "lead": _lead_values(lead),
            "advisor": {"name": advisor.name},
            "due_at": lead.first_contact_due_at,
            "admin_url": lead_admin_url(lead),
        },
        about=lead,
    )


def assignment_email_queue(*, lead: Lead, advisor: Advisor) -> None:
    """Tell the advisor they have a new lead, what it is about and when the first call is due."""
    _advisor_lead_email_queue(lead=lead, advisor=advisor, kind="lead_assigned")


def unassigned_alert_queue(*, lead: Lead, event: LeadEvent) -> None:
    """Alert the managers once per episode: the event id is the episode."""
    _queue_to_managers(
        key=f"lead:{lead.id}:unassigned:{event.id}",
        kind="lead_unassigned",
        template="lead_unassigned",
        context={
            "lead": lead,
            "why": event.details.get("decision", {}).get("why", ""),
            "reason": event.details.get("reason", ""),
            "admin_url": lead_admin_url(lead),
        },
        about=lead,
    )


def advisor_leads_released_queue(
    *,
    advisor: Advisor,
    occasion: str,
    reason: str,
    moved: list[tuple[Lead, Advisor | None]],
    kept: list[Lead],
) -> None:
    """Tell the managers whose leads moved where when an advisor went away, and which stayed.

    `occasion` names the going-away (a deactivation, an absence), so it is reported once.
    """
    if not moved and not kept:
        return
    _queue_to_managers(
        key=f"advisor:{advisor.id}:released:{occasion}",
        kind="advisor_leads_released",
        template="advisor_leads_released",
        context={
            "advisor": advisor,
            "reason": reason,
            "moved": [
                {"lead": lead, "advisor": new_advisor, "admin_url": lead_admin_url(lead)}
                for lead, new_advisor in moved
            ],
            "kept": [{"lead": lead, "admin_url": lead_admin_url(lead)} for lead in kept],
        },
        about=advisor,
    )


def sla_reminder_queue(*, lead: Lead, advisor: Advisor) -> None:
    _advisor_lead_email_queue(lead=lead, advisor=advisor, kind="sla_reminder")


def sla_breach_alert_queue(*, lead: Lead, advisor: Advisor, breach: int, next_step: str) -> None:
    _queue_to_managers(
        key=f"lead:{lead.id}:sla_breach:{advisor.id}:{_stamp(lead.assigned_at)}:{breach}",
        kind="sla_breached",
        template="sla_breached",
        context={
            "lead": lead,
            "advisor": advisor,
            "breach": breach,
            "due_at": lead.first_contact_due_at,
            "next_step": next_step,
            "admin_url": lead_admin_url(lead),
        },
        about=lead,
    )


def advisor_digest_queue(*, advisor: Advisor, day: date, digest: dict[str, list[Lead]]) -> None:
    def rows(leads):
        return [{"lead": lead, "admin_url": lead_admin_url(lead)} for lead in leads]

    email_queue(
        key=f"advisor:{advisor.id}:digest:{day.isoformat()}",
        kind="advisor_digest",
        to=[advisor.email],
        template=f"{TEMPLATE_DIR}/advisor_digest",
        context={
            "advisor": advisor,
            "day": day,
            "new": rows(digest["new"]),
            "overdue": rows(digest["overdue"]),
            "waiting": rows(digest["waiting"]),
            "admin_url": f"{settings.SITE_URL}/admin/",
        },
        about=advisor,
    )
