"""The lead pipeline: status transitions, routing, reassignment and advisor availability.

Locking, the one rule that keeps routing exact under concurrency: every transaction
that decides who holds a lead, or changes what an advisor can take, first locks its
team's RoutingPool row, then the lead rows. Decisions in a pool are therefore strictly
serialised (capacity and fairness hold exactly, with no read-then-write race), and
the single lock order means two such transactions can never deadlock.
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.business_days import first_contact_due
from careers.models import Advisor, AdvisorAbsence, Lead, LeadEvent, RoutingPool
from careers.routing import Candidate, Decision, LeadFacts, Rule, decide
from careers.selectors import (
    advisor_candidates_for,
    advisor_ids_away_with_uncontacted_leads,
    lead_ids_waiting,
    lead_open_statuses,
    lead_team,
    leads_to_sweep,
)
from careers.services import notifications as outbox
from careers.services import routing_emails
from careers.tasks.routing import route_lead_task

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
ROUTABLE_STATUSES = (Status.NEW, Status.UNASSIGNED)
# Statuses whose lead may change hands (by a manager, or when its advisor goes away).
REASSIGNABLE_STATUSES = (
    Status.NEW,
    Status.UNASSIGNED,
    Status.ASSIGNED,
    Status.CONTACTED,
    Status.INTERVIEWING,
)
# Reset on every new holder: the first-contact promise starts again with them.
_SLA_RESET = {"sla_reminded_at": None, "sla_breached_at": None, "sla_breach_count": 0}


class PipelineError(ValidationError):
    """A refused change, with a message for the person who asked for it."""


# ------------------------------------------------------------------------------
# Transitions
# ------------------------------------------------------------------------------


def lead_transition_allowed(*, from_status: str, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def lead_manual_transitions(*, lead: Lead) -> list[str]:
    """The statuses a person may move this lead to now (for the admin's buttons)."""
    allowed = ALLOWED_TRANSITIONS.get(lead.status, frozenset()) - ROUTING_ONLY_STATUSES
    return [status for status in Status.values if status in allowed]


def _check_transition(*, from_status: str, to: str) -> None:
    if not lead_transition_allowed(from_status=from_status, to=to):
        raise PipelineError(
            _("「{from_label}」から「{to_label}」には変更できません。").format(
                from_label=Status(from_status).label, to_label=Status(to).label
            ),
            code="transition_not_allowed",
        )


def _status_details(*, from_status: str, to: str, reason: str, **extra) -> dict:
    return {"from": from_status, "to": to, "reason": reason, **extra}


def _advisor_ref(advisor_id: int | None) -> dict | None:
    if advisor_id is None:
        return None
    advisor = Advisor.objects.filter(id=advisor_id).values("id", "name").first()
    return advisor or {"id": advisor_id, "name": ""}


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
        _check_transition(from_status=from_status, to=to)
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
            details=_status_details(
                from_status=from_status,
                to=to,
                reason=reason,
                close_reason=close_reason if to == Status.CLOSED else None,
                advisor=_advisor_ref(locked.advisor_id),
            ),
        )
        freed_capacity = from_status in lead_open_statuses() and to not in lead_open_statuses()
        if to == Status.NEW:
            _enqueue_route(locked.id)
        if freed_capacity:
            # A seat opened up: leads waiting for this team may flow now.
            waiting_leads_flow(team=team)
    _refresh(lead, locked)
    return locked


def _refresh(target: Lead, source: Lead) -> None:
    for field_name in (f.attname for f in Lead._meta.concrete_fields):
        setattr(target, field_name, getattr(source, field_name))


# ------------------------------------------------------------------------------
# Routing
# ------------------------------------------------------------------------------


def routing_pool_lock(*, team: str) -> None:
    """Lock the team's RoutingPool row for the rest of the transaction (see module docstring)."""
    if not list(RoutingPool.objects.select_for_update().filter(team=team).values_list("id")):
        # The rows come from a data migration; a test database flush removes them.
        RoutingPool.objects.get_or_create(team=team)
        list(RoutingPool.objects.select_for_update().filter(team=team).values_list("id"))


def _enqueue_route(lead_id: int) -> None:
    # robust: a broker outage must not fail the caller after its commit; the sweep catches up.
    transaction.on_commit(lambda: route_lead_task.delay(lead_id), robust=True)


def _decide(*, lead: Lead, now: datetime, exclude: frozenset[int] = frozenset()) -> Decision:
    continuity_advisor_id = None
    if lead.duplicate_of_id:
        continuity_advisor_id = (
            Lead.objects.filter(id=lead.duplicate_of_id)
            .values_list("advisor_id", flat=True)
            .first()
        )
    facts = LeadFacts(
        id=lead.id,
        interest=lead.interest,
        duplicate_of_id=lead.duplicate_of_id,
        continuity_advisor_id=continuity_advisor_id,
        exclude_advisor_ids=exclude,
    )
    advisors = advisor_candidates_for(team=lead_team(kind=lead.kind), on=timezone.localdate(now))
    return decide(lead=facts, advisors=advisors)


def _write_assignment(
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
        _check_transition(from_status=from_status, to=Status.ASSIGNED)
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
    Advisor.objects.filter(id=advisor_id).update(last_assigned_at=now)
    advisor = Advisor.objects.get(id=advisor_id)
    event = LeadEvent.objects.create(
        lead=lead,
        # The first holder is a routing; any later change of hands is a reassignment.
        kind=LeadEvent.Kind.REASSIGNED if previous_advisor_id else LeadEvent.Kind.ROUTED,
        actor=actor,
        details=_status_details(
            from_status=from_status,
            to=lead.status,
            reason=reason,
            advisor={"id": advisor.id, "name": advisor.name},
            previous_advisor=_advisor_ref(previous_advisor_id),
            due_at=lead.first_contact_due_at.isoformat() if lead.first_contact_due_at else None,
            decision=decision.as_record(),
        ),
    )
    routing_emails.assignment_email_queue(lead=lead, advisor=advisor)
    return event


def _write_unassigned(*, lead: Lead, decision: Decision, actor=None, reason: str) -> LeadEvent:
    """Nobody can take the (locked) lead: park it for the sweep and alert the managers."""
    from_status, previous_advisor_id = lead.status, lead.advisor_id
    _check_transition(from_status=from_status, to=Status.UNASSIGNED)
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
        details=_status_details(
            from_status=from_status,
            to=Status.UNASSIGNED,
            reason=reason,
            previous_advisor=_advisor_ref(previous_advisor_id),
            decision=decision.as_record(),
        ),
    )
    routing_emails.unassigned_alert_queue(lead=lead, event=event)
    return event


def lead_route(*, lead_id: int, now: datetime | None = None) -> Decision | None:
    """Route one lead if it still needs routing; any further call for it changes nothing.

    1. A cheap unlocked look skips a lead that is gone or already routed.
    2. Lock the team's pool, then the lead, and look again: another worker may have won.
    3. Read every advisor of the team with their open-lead counts (one query); ask the policy.
    4. Write the assignment and its decision record, or mark the lead unassigned and alert
       the managers (only on its first failure: the sweep's retries write nothing).
    Returns the decision, or None when the lead needed no routing.
    """
    now = now or timezone.now()
    kind = (
        Lead.objects.filter(id=lead_id, status__in=ROUTABLE_STATUSES)
        .values_list("kind", flat=True)
        .first()
    )
    if kind is None:
        return None
    with transaction.atomic():
        routing_pool_lock(team=lead_team(kind=kind))
        lead = (
            Lead.objects.select_for_update()
            .filter(id=lead_id, status__in=ROUTABLE_STATUSES)
            .first()
        )
        if lead is None:
            return None
        decision = _decide(lead=lead, now=now)
        if decision.advisor_id is not None:
            _write_assignment(
                lead=lead,
                advisor_id=decision.advisor_id,
                decision=decision,
                now=now,
                reason=decision.why,
            )
        elif lead.status == Status.NEW:
            _write_unassigned(lead=lead, decision=decision, reason=decision.why)
        return decision


def lead_route_dry_run(*, lead: Lead, now: datetime | None = None) -> Decision:
    """Who would get this lead now, and why; writes nothing and locks nothing.

    For a lead that already has an advisor this answers "who else?", as lead_reassign
    with no advisor would.
    """
    now = now or timezone.now()
    exclude = frozenset({lead.advisor_id}) if lead.advisor_id else frozenset()
    return _decide(lead=lead, now=now, exclude=exclude)


def _manual_decision(*, lead: Lead, advisor: Advisor, open_leads: int, reason: str) -> Decision:
    chosen = Candidate(
        advisor_id=advisor.id,
        name=advisor.name,
        specialty=advisor.specialty,
        open_leads=open_leads,
        capacity=advisor.capacity,
        excluded=None,
    )
    why = reason or _("担当者が手動で指定しました。")
    return Decision(
        advisor_id=advisor.id,
        rule=Rule.MANUAL,
        interest=lead.interest,
        candidates=(chosen,),
        why=why,
    )


def _check_manual_choice(*, lead: Lead, advisor: Advisor, now: datetime) -> int:
    """Refuse an advisor the lead cannot go to; return their open-lead count (pool locked)."""
    if advisor.team != lead_team(kind=lead.kind):
        raise PipelineError(_("このリードは別のチームの担当です。"), code="wrong_team")
    if not advisor.is_active:
        raise PipelineError(_("無効なアドバイザーには割り当てられません。"), code="inactive")
    on = timezone.localdate(now)
    if advisor.absences.filter(starts_on__lte=on, ends_on__gte=on).exists():
        raise PipelineError(_("不在中のアドバイザーには割り当てられません。"), code="absent")
    open_leads = advisor.leads.filter(status__in=lead_open_statuses()).count()
    if open_leads >= advisor.capacity:
        raise PipelineError(
            _("{name} は担当上限({capacity}件)に達しています。").format(
                name=advisor.name, capacity=advisor.capacity
            ),
            code="at_capacity",
        )
    return open_leads


def lead_reassign(
    *,
    lead: Lead,
    advisor: Advisor | None = None,
    actor=None,
    reason: str = "",
    now: datetime | None = None,
) -> Decision:
    """Give the lead to `advisor`, or (None) to whoever the policy picks besides its current one.

    The status stays (a contacted lead stays contacted); an uncontacted lead starts a new
    first-contact deadline with its new advisor, who gets the assignment email.
    """
    now = now or timezone.now()
    with transaction.atomic():
        routing_pool_lock(team=lead_team(kind=lead.kind))
        locked = Lead.objects.select_for_update().get(id=lead.id)
        if locked.status not in REASSIGNABLE_STATUSES:
            raise PipelineError(
                _("「{status}」のリードは担当を変更できません。").format(
                    status=locked.get_status_display()
                ),
                code="not_reassignable",
            )
        if advisor is not None:
            if advisor.id == locked.advisor_id:
                raise PipelineError(_("すでにこのアドバイザーの担当です。"), code="same_advisor")
            advisor = Advisor.objects.get(id=advisor.id)
            open_leads = _check_manual_choice(lead=locked, advisor=advisor, now=now)
            decision = _manual_decision(
                lead=locked, advisor=advisor, open_leads=open_leads, reason=reason
            )
        else:
            exclude = frozenset({locked.advisor_id}) if locked.advisor_id else frozenset()
            decision = _decide(lead=locked, now=now, exclude=exclude)
            if decision.advisor_id is None:
                raise PipelineError(decision.why, code="nobody_eligible")
        _write_assignment(
            lead=locked,
            advisor_id=decision.advisor_id,
            decision=decision,
            now=now,
            actor=actor,
            reason=reason or decision.why,
        )
    _refresh(lead, locked)
    return decision


def lead_reroute(
    *,
    lead_id: int,
    from_advisor_id: int,
    reason: str,
    actor=None,
    now: datetime | None = None,
    keep_if_nobody: bool = False,
) -> tuple[Lead, Decision] | None:
    """Move an uncontacted lead away from `from_advisor_id` to whoever the policy picks.

    With nobody else eligible the lead becomes unassigned (its advisor is going away),
    or, with keep_if_nobody, stays where it is. Returns None when the lead no longer
    needs it (contacted meanwhile, or moved by someone else): safe to repeat.
    Runs inside the caller's transaction if there is one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        kind = Lead.objects.filter(id=lead_id).values_list("kind", flat=True).first()
        if kind is None:
            return None
        routing_pool_lock(team=lead_team(kind=kind))
        lead = (
            Lead.objects.select_for_update()
            .filter(
                id=lead_id,
                status=Status.ASSIGNED,
                advisor_id=from_advisor_id,
                first_contacted_at__isnull=True,
            )
            .first()
        )
        if lead is None:
            return None
        decision = _decide(lead=lead, now=now, exclude=frozenset({from_advisor_id}))
        if decision.advisor_id is not None:
            _write_assignment(
                lead=lead,
                advisor_id=decision.advisor_id,
                decision=decision,
                now=now,
                actor=actor,
                reason=f"{reason} {decision.why}".strip(),
            )
        elif not keep_if_nobody:
            _write_unassigned(
                lead=lead, decision=decision, actor=actor, reason=f"{reason} {decision.why}"
            )
        return lead, decision


def waiting_leads_flow(*, team: str, limit: int = 200) -> int:
    """After this transaction commits, try again the team's unassigned leads, oldest first."""
    lead_ids = lead_ids_waiting(team=team, limit=limit)
    for lead_id in lead_ids:
        _enqueue_route(lead_id)
    return len(lead_ids)


# ------------------------------------------------------------------------------
# Advisors: availability and its effect on leads
# ------------------------------------------------------------------------------


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


def _advisor_update(advisor: Advisor, **changes) -> Advisor:
    """Change an advisor under their pool's lock (what routing reads, routing must not race)."""
    with transaction.atomic():
        routing_pool_lock(team=advisor.team)
        Advisor.objects.filter(id=advisor.id).update(**changes, updated_at=timezone.now())
        advisor.refresh_from_db()
    return advisor


def advisor_pause(*, advisor: Advisor, actor=None) -> Advisor:
    """Stop new leads; the advisor keeps the ones they have."""
    return _advisor_update(advisor, is_accepting=False)


def advisor_resume(*, advisor: Advisor, actor=None) -> Advisor:
    """Accept new leads again; leads waiting for someone flow at once."""
    with transaction.atomic():
        _advisor_update(advisor, is_accepting=True)
        waiting_leads_flow(team=advisor.team)
    return advisor


def advisor_activate(*, advisor: Advisor, actor=None) -> Advisor:
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


def advisor_capacity_set(*, advisor: Advisor, capacity: int, actor=None) -> Advisor:
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


def advisor_absence_end(
    *, absence: AdvisorAbsence, actor=None, now: datetime | None = None
) -> None:
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


# ------------------------------------------------------------------------------
# The sweep
# ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    routed: int = 0
    released: int = 0
    emails: int | None = None


def routing_sweep(
    *, now: datetime | None = None, limit: int = 500, time_budget: float = 30.0
) -> SweepResult:
    """Catch up on everything routing should have done; safe on any number of hosts at once.

    1. Route leads left `new` longer than CAREERS_ROUTING_SWEEP_AFTER_SECONDS (their
       message was lost with a worker or a broker), then retry `unassigned` ones. A team
       and interest that found nobody is not retried again in the same pass.
    2. Hand back the uncontacted leads of advisors who are inactive or absent today.
    3. Re-send the outbox's stuck emails (notification_sweep), when the outbox has one.
    Each lead is routed under its pool and row locks and re-checked, so two hosts sweeping
    together cost a few skipped rows, never a double assignment.
    """
    now = now or timezone.now()
    started = time.monotonic()
    result = SweepResult()
    created_before = now - timedelta(seconds=settings.CAREERS_ROUTING_SWEEP_AFTER_SECONDS)
    nobody_for: set[tuple[str, str]] = set()
    for lead_id, kind, interest in leads_to_sweep(created_before=created_before, limit=limit):
        if time.monotonic() - started > time_budget:
            break  # the next sweep carries on; a task must not hit its time limit
        pool = (lead_team(kind=kind), interest)
        if pool in nobody_for:
            continue
        decision = lead_route(lead_id=lead_id, now=now)
        if decision is None:
            continue
        if decision.advisor_id is None:
            nobody_for.add(pool)
        else:
            result.routed += 1

    today = timezone.localdate(now)
    for advisor in Advisor.objects.filter(id__in=advisor_ids_away_with_uncontacted_leads(on=today)):
        release = advisor_leads_release(
            advisor=advisor,
            reason=_("{name} が無効または不在のため。").format(name=advisor.name),
            occasion=f"away:{today.isoformat()}",
            now=now,
        )
        result.released += len(release.moved)

    result.emails = _notification_sweep()
    return result


def _notification_sweep() -> int | None:
    # The outbox's own sweep, when the outbox provides one.
    sweep = getattr(outbox, "notification_sweep", None)
    return sweep() if sweep is not None else None
