"""Routing: who holds a lead, decided under the team's pool lock and written with its reason.

Locking, the one rule that keeps routing exact under concurrency: every transaction
that decides who holds a lead, or changes what an advisor can take, first locks its
team's RoutingPool row, then the lead rows. Decisions in a pool are therefore strictly
serialised (capacity and fairness hold exactly, with no read-then-write race), and
the single lock order means two such transactions can never deadlock.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Advisor, Lead, RoutingPool
from careers.routing import Candidate, Decision, Rule
from careers.routing_rules import decide_by_rules
from careers.rule_selectors import routing_facts_for
from careers.selectors import (
    lead_advisor_moved_from,
    lead_ids_waiting,
    lead_open_statuses,
    lead_team,
)
from careers.services.pipeline.assignment import lead_assignment_write, lead_decision_write
from careers.services.pipeline.rules import (
    REASSIGNABLE_STATUSES,
    ROUTABLE_STATUSES,
    PipelineError,
    lead_copy_into,
)
from core import doorbell
from core.prepared import PreparedRead
from outbox.services import email_ring

Status = Lead.Status

# The task that routes one lead, named rather than imported: tasks import services, never
# the reverse (careers.tasks.routing registers under this very name).
ROUTE_LEAD_TASK = "careers.tasks.routing.route_lead_task"


# Reads of every routing, compiled once per process (core/prepared.py); the sentinels are
# values no real call passes.
_pool_row = PreparedRead(
    lambda team: RoutingPool.objects.select_for_update().filter(team=team).values("id"),
    team="\x00team",
)
_routable_lead_locked = PreparedRead(
    lambda lead_id: (
        Lead.objects.select_for_update()
        .filter(id=lead_id, status__in=ROUTABLE_STATUSES)
        .order_by("id")[:1]
    ),
    lead_id=-918_273_645,
)
_routable_kind = PreparedRead(
    lambda lead_id: Lead.objects.filter(id=lead_id, status__in=ROUTABLE_STATUSES).values("kind"),
    lead_id=-918_273_645,
)


def routing_pool_lock(*, team: str) -> None:
    """Lock the team's RoutingPool row until the transaction ends (see the module docstring)."""
    if not _pool_row.rows(team=team):
        # The rows come from a data migration; a test database flush removes them.
        RoutingPool.objects.get_or_create(team=team)
        _pool_row.rows(team=team)


def lead_route_enqueue(*, lead_id: int, then_send: Sequence[int] = ()) -> None:
    """Ask a worker to route the lead once this transaction commits; the sweep covers a miss.

    `then_send`: outbox emails, committed with the lead and not rung, that routing rings with
    its own (lead_route).
    """
    if then_send:
        doorbell.ring_on_commit(ROUTE_LEAD_TASK, lead_id, list(then_send))
    else:
        doorbell.ring_on_commit(ROUTE_LEAD_TASK, lead_id)


def _decide(*, lead: Lead, now: datetime, exclude: frozenset[int] = frozenset()) -> Decision:
    # Read once per decision, under the caller's pool lock (ruleset_publish takes it too),
    # so exactly one published version makes each decision.
    facts, advisors, ruleset = routing_facts_for(lead=lead, now=now, exclude=exclude)
    return decide_by_rules(
        lead=facts, advisors=advisors, ruleset=ruleset, local_now=timezone.localtime(now)
    )


def lead_route(
    *, lead_id: int, now: datetime | None = None, then_send: Sequence[int] = ()
) -> Decision | None:
    """Route one lead if it still needs routing; any further call for it changes nothing.

    The emails of `then_send` (the lead's confirmation) and those routing queues go out
    after its commit as one message, whatever routing does: assign, park, find nothing to
    do, or raise (then they go alone, before the task's retries).
    """
    with doorbell.together():
        # Rung first, outside routing's transaction, so no rollback can take them back.
        for email_id in then_send:
            email_ring(email_id=email_id)
        return _lead_route(lead_id=lead_id, now=now or timezone.now())


def _lead_route(*, lead_id: int, now: datetime) -> Decision | None:
    """lead_route's work.

    1. A cheap unlocked look skips a lead that is gone or already routed.
    2. Lock the team's pool, then the lead, and look again: another worker may have won.
    3. Read every advisor of the team with their open-lead counts (one query); ask the policy.
    4. Write the assignment and its decision record, or mark the lead unassigned and alert
       the managers (only on its first failure: the sweep's retries write nothing).
    Returns the decision, or None when the lead needed no routing.
    """
    routable = _routable_kind.first(lead_id=lead_id)
    if routable is None:
        return None
    kind = routable["kind"]
    with transaction.atomic():
        routing_pool_lock(team=lead_team(kind=kind))
        locked = _routable_lead_locked.instances(lead_id=lead_id)
        if not locked:
            return None
        lead = locked[0]
        decision = _decide(lead=lead, now=now)
        # Only a lead's first failure is written: the sweep's retries write nothing.
        lead_decision_write(lead=lead, decision=decision, now=now, park=lead.status == Status.NEW)
        return decision


def lead_route_dry_run(*, lead: Lead, now: datetime | None = None) -> Decision:
    """Who would get this lead now, and why; writes nothing and locks nothing.

    For a lead that already has an advisor this answers "who else?", as lead_reassign
    with no advisor would.
    """
    now = now or timezone.now()
    return _decide(lead=lead, now=now, exclude=_reassign_exclusions(lead))


def _reassign_exclusions(lead: Lead) -> frozenset[int]:
    """Who a reassignment never suggests: the lead's advisor and the one it just left."""
    moved_from = lead_advisor_moved_from(lead_id=lead.id)
    return frozenset({lead.advisor_id, moved_from} - {None})


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
            decision = _decide(lead=locked, now=now, exclude=_reassign_exclusions(locked))
            # Choosing the advisor the rules suggest is the rules' decision, with their why.
            if decision.advisor_id != advisor.id:
                decision = _manual_decision(
                    lead=locked, advisor=advisor, open_leads=open_leads, reason=reason
                )
        else:
            decision = _decide(lead=locked, now=now, exclude=_reassign_exclusions(locked))
            if decision.advisor_id is None:
                raise PipelineError(decision.why, code="nobody_eligible")
        lead_assignment_write(
            lead=locked,
            advisor_id=decision.advisor_id,
            decision=decision,
            now=now,
            actor=actor,
            reason=reason or decision.why,
        )
    lead_copy_into(lead, locked)
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
        lead_decision_write(
            lead=lead,
            decision=decision,
            now=now,
            actor=actor,
            reason=reason,
            park=not keep_if_nobody,
        )
        return lead, decision


def waiting_leads_flow(*, team: str, limit: int = 200) -> int:
    """After this transaction commits, try again the team's unassigned leads, oldest first."""
    lead_ids = lead_ids_waiting(team=team, limit=limit)
    for lead_id in lead_ids:
        lead_route_enqueue(lead_id=lead_id)
    return len(lead_ids)
