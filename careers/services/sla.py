"""The first-contact promise: deadline, reminder, breaches, re-route and the morning digest.

The clock is a parameter (`now`), so tests and drills replay a whole cycle with fixed
datetimes. Each step is claimed with a conditional UPDATE on the lead (the pattern of
healthchecks' sendalerts), so several beat hosts, or a retried task, act once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.business_days import (
    add_business_days,
    is_business_day,
    subtract_business_time,
)
from careers.models import Advisor, Lead, LeadEvent
from careers.selectors import (
    advisor_absent_on,
    advisor_digest_for,
    lead_ids_awaiting_first_contact,
    lead_team,
)
from careers.services import routing_emails
from careers.services.pipeline import lead_reroute, routing_pool_lock


def reminder_at(due: datetime) -> datetime:
    """When the advisor is reminded: CAREERS_SLA_REMINDER_MINUTES of business time before."""
    return subtract_business_time(due, timedelta(minutes=settings.CAREERS_SLA_REMINDER_MINUTES))


def breach_at(*, due: datetime, breach: int) -> datetime:
    """The moment of the n-th breach: the deadline, then one more business day each."""
    return due if breach == 1 else add_business_days(due, breach - 1)


@dataclass
class SlaResult:
    reminded: int = 0
    breached: int = 0
    rerouted: int = 0


def sla_check(*, now: datetime | None = None) -> SlaResult:
    """Keep the first-contact promise of every assigned lead nobody has called yet.

    1. Inside the reminder window before the deadline: remind the advisor, once.
    2. At the deadline, and one business day after each breach: log a breach and
       email the managers.
    3. At breach CAREERS_SLA_REROUTE_AT_BREACH: re-route the lead to another eligible
       advisor, with the reason in the event log (with nobody else, it stays put and
       the managers' email says so).
    """
    now = now or timezone.now()
    result = SlaResult()
    for lead_id in lead_ids_awaiting_first_contact(now=now):
        lead = (
            Lead.objects.select_related("advisor")
            .filter(id=lead_id, status=Lead.Status.ASSIGNED, first_contacted_at__isnull=True)
            .exclude(first_contact_due_at=None)
            .first()
        )
        if lead is None or lead.advisor is None:
            continue
        breach = lead.sla_breach_count + 1
        if now >= breach_at(due=lead.first_contact_due_at, breach=breach):
            outcome = _breach(lead=lead, breach=breach, now=now)
            result.breached += outcome is not None
            result.rerouted += outcome == "rerouted"
        elif lead.sla_reminded_at is None and now >= reminder_at(lead.first_contact_due_at):
            result.reminded += _remind(lead=lead, now=now)
    return result


def _claim(lead: Lead, **changes) -> bool:
    """Record a step only if the lead is still exactly as we read it; True if we won."""
    return bool(
        Lead.objects.filter(
            id=lead.id,
            status=Lead.Status.ASSIGNED,
            first_contacted_at__isnull=True,
            advisor_id=lead.advisor_id,
            assigned_at=lead.assigned_at,
            sla_reminded_at=lead.sla_reminded_at,
            sla_breach_count=lead.sla_breach_count,
        ).update(**changes, updated_at=timezone.now())
    )


def _remind(*, lead: Lead, now: datetime) -> bool:
    with transaction.atomic():
        if not _claim(lead, sla_reminded_at=now):
            return False
        lead.sla_reminded_at = now
        LeadEvent.objects.create(
            lead=lead,
            kind=LeadEvent.Kind.SLA_REMINDER,
            details={
                "advisor": {"id": lead.advisor.id, "name": lead.advisor.name},
                "due_at": lead.first_contact_due_at.isoformat(),
                "reason": _("初回連絡の期限が近づいています。"),
            },
        )
        routing_emails.sla_reminder_queue(lead=lead, advisor=lead.advisor)
    return True


def _breach(*, lead: Lead, breach: int, now: datetime) -> str | None:
    advisor = lead.advisor
    reroute = breach >= settings.CAREERS_SLA_REROUTE_AT_BREACH
    with transaction.atomic():
        # The pool first, as every routing write does (careers/services/pipeline/routing.py).
        routing_pool_lock(team=lead_team(kind=lead.kind))
        if not _claim(lead, sla_breach_count=breach, sla_breached_at=now):
            return None
        reason = _("初回連絡の期限({due})を過ぎました({breach}回目)。").format(
            due=timezone.localtime(lead.first_contact_due_at).strftime("%Y-%m-%d %H:%M"),
            breach=breach,
        )
        LeadEvent.objects.create(
            lead=lead,
            kind=LeadEvent.Kind.SLA_BREACHED,
            details={
                "advisor": {"id": advisor.id, "name": advisor.name},
                "due_at": lead.first_contact_due_at.isoformat(),
                "breach": breach,
                "reason": reason,
                "reroute": reroute,
            },
        )
        outcome = "breached"
        next_step = _("担当者に至急の連絡を促してください。")
        if reroute:
            moved = lead_reroute(
                lead_id=lead.id,
                from_advisor_id=advisor.id,
                reason=_("初回連絡の期限を{breach}回超過したため担当を変更します。").format(
                    breach=breach
                ),
                now=now,
                keep_if_nobody=True,
            )
            new_advisor_id = moved[1].advisor_id if moved else None
            if new_advisor_id is not None:
                outcome = "rerouted"
                next_step = _("{name} に担当を変更しました。").format(
                    name=Advisor.objects.get(id=new_advisor_id).name
                )
            else:
                next_step = _(
                    "他に割り当てられるアドバイザーがいないため、担当は変わっていません。"
                )
        # `lead` still holds the breached assignment, which is what the key and email name.
        routing_emails.sla_breach_alert_queue(
            lead=lead, advisor=advisor, breach=breach, next_step=next_step
        )
    return outcome


def advisor_digests_send(*, now: datetime | None = None) -> int:
    """The 09:00 email to each advisor at work today: new, overdue and waiting leads.

    Business days only (nobody reads it on a holiday), and only when there is something
    to list. Returns how many digests were queued.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_business_day(today):
        return 0
    absent = advisor_absent_on(on=today).filter(advisor=OuterRef("pk"))
    advisors = Advisor.objects.filter(is_active=True).exclude(Exists(absent)).order_by("id")
    queued = 0
    for advisor in advisors:
        digest = advisor_digest_for(advisor=advisor, now=now)
        if not any(digest.values()):
            continue
        routing_emails.advisor_digest_queue(advisor=advisor, day=today, digest=digest)
        queued += 1
    return queued
