"""Advisors' availability (active, accepting, capacity, absences) and its effect on leads.

What an advisor can take is what routing reads, so every change here takes the team's
pool lock first (the lock order of careers/services/pipeline/routing.py).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Advisor, AdvisorAbsence, Lead
from careers.selectors import lead_open_statuses
from careers.services import routing_emails
from careers.services.pipeline.routing import lead_reroute, routing_pool_lock, waiting_leads_flow
from careers.services.pipeline.rules import PipelineError

Status = Lead.Status


@dataclass
class Release:
    """What happened to an advisor's leads when they went away."""

    moved: list[tuple[Lead, Advisor | None]] = field(default_factory=list)
    kept: list[Lead] = field(default_factory=list)


def advisor_leads_release(
    *, advisor: Advisor, reason: str, occasion: str, actor=None, now: datetime | None = None
) -> Release:
    """Re-route the advisor's uncontacted leads; contacted ones stay; tell the managers.

    `occasion` names the going-away for the managers' email, so it is sent once.
    """
    now = now or timezone.now()
    release = Release()
    with transaction.atomic():
        routing_pool_lock(team=advisor.team)
        lead_ids = list(
            advisor.leads.filter(status=Status.ASSIGNED, first_contacted_at__isnull=True)
            .order_by("assigned_at", "id")
            .values_list("id", flat=True)
        )
        for lead_id in lead_ids:
            result = lead_reroute(
                lead_id=lead_id, from_advisor_id=advisor.id, reason=reason, actor=actor, now=now
            )
            if result is not None:
                lead, decision = result
                new_advisor = (
                    Advisor.objects.get(id=decision.advisor_id) if decision.advisor_id else None
                )
                release.moved.append((lead, new_advisor))
        release.kept = list(
            advisor.leads.filter(status__in=lead_open_statuses()).order_by("assigned_at", "id")
        )
        routing_emails.advisor_leads_released_queue(
            advisor=advisor,
            occasion=occasion,
            reason=reason,
            moved=release.moved,
            kept=release.kept,
        )
    return release


def advisor_create(*, advisor: Advisor) -> Advisor:
    """Save a new advisor (as the admin's form built them): new capacity lets waiting leads flow."""
    with transaction.atomic():
        advisor.save()
        waiting_leads_flow(team=advisor.team)
    return advisor


def advisor_update(*, advisor: Advisor, changed: Collection[str]) -> Advisor:
    """Save the `changed` fields of an edited advisor; a new capacity may let waiting leads flow."""
    with transaction.atomic():
        # The pool first, then the advisor row: the lock order routing uses, so an edit
        # racing a routing decision waits instead of deadlocking.
        routing_pool_lock(team=advisor.team)
        plain = [name for name in changed if name != "capacity"]
        if plain:
            advisor.save(update_fields=[*plain, "updated_at"])
        if "capacity" in changed:
            advisor_capacity_set(advisor=advisor, capacity=advisor.capacity)
    return advisor


def _advisor_update(advisor: Advisor, **changes) -> Advisor:
    """Change an advisor under their pool's lock (what routing reads, routing must not race)."""
    with transaction.atomic():
        routing_pool_lock(team=advisor.team)
        Advisor.objects.filter(id=advisor.id).update(**changes, updated_at=timezone.now())
        advisor.refresh_from_db()
    return advisor


def advisor_pause(*, advisor: Advisor) -> Advisor:
    """Stop new leads; the advisor keeps the ones they have."""
    return _advisor_update(advisor, is_accepting=False)


def advisor_resume(*, advisor: Advisor) -> Advisor:
    """Accept new leads again; leads waiting for someone flow at once."""
    with transaction.atomic():
        _advisor_update(advisor, is_accepting=True)
        waiting_leads_flow(team=advisor.team)
    return advisor


def advisor_activate(*, advisor: Advisor) -> Advisor:
    with transaction.atomic():
        _advisor_update(advisor, is_active=True)
        waiting_leads_flow(team=advisor.team)
    return advisor


def advisor_deactivate(
    *, advisor: Advisor, actor=None, reason: str = "", now: datetime | None = None
) -> Release:
    """Take the advisor out of routing and re-route the leads they have not contacted yet."""
    now = now or timezone.now()
    with transaction.atomic():
        _advisor_update(advisor, is_active=False)
        return advisor_leads_release(
            advisor=advisor,
            reason=reason or _("{name} が無効になったため。").format(name=advisor.name),
            occasion=f"deactivated:{int(now.timestamp())}",
            actor=actor,
            now=now,
        )


def advisor_capacity_set(*, advisor: Advisor, capacity: int) -> Advisor:
    """Change how many open leads the advisor may hold; more room lets waiting leads flow."""
    if capacity < 1:
        raise PipelineError(_("担当上限は1以上にしてください。"), code="capacity")
    with transaction.atomic():
        increased = capacity > Advisor.objects.get(id=advisor.id).capacity
        _advisor_update(advisor, capacity=capacity)
        if increased:
            waiting_leads_flow(team=advisor.team)
    return advisor


def advisor_absence_create(
    *,
    advisor: Advisor,
    starts_on: date,
    ends_on: date,
    reason: str = "",
    actor=None,
    now: datetime | None = None,
) -> AdvisorAbsence:
    """Record an absence; if it has begun, the advisor's uncontacted leads go to others now.

    An absence that begins later takes effect when the sweep sees its first day.
    """
    now = now or timezone.now()
    if ends_on < starts_on:
        raise PipelineError(_("終了日は開始日以降にしてください。"), code="absence_dates")
    with transaction.atomic():
        routing_pool_lock(team=advisor.team)
        absence = AdvisorAbsence.objects.create(
            advisor=advisor, starts_on=starts_on, ends_on=ends_on, reason=reason
        )
        if starts_on <= timezone.localdate(now) <= ends_on:
            advisor_leads_release(
                advisor=advisor,
                reason=_("{name} が不在のため({starts}〜{ends})。").format(
                    name=advisor.name, starts=starts_on, ends=ends_on
                ),
                occasion=f"absence:{absence.id}",
                actor=actor,
                now=now,
            )
    return absence


def advisor_absence_end(*, absence: AdvisorAbsence, now: datetime | None = None) -> None:
    """End an absence today (back early); leads waiting for someone flow at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    advisor = absence.advisor
    with transaction.atomic():
        routing_pool_lock(team=advisor.team)
        if absence.starts_on >= today:
            absence.delete()
        elif absence.ends_on >= today:
            absence.ends_on = today - timedelta(days=1)
            absence.save(update_fields=["ends_on"])
        waiting_leads_flow(team=advisor.team)
