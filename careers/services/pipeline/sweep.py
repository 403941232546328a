"""The routing sweep: catch up on whatever routing should have done and did not."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Advisor
from careers.selectors import advisor_ids_away_with_uncontacted_leads, lead_team, leads_to_sweep
from careers.services.pipeline.advisors import advisor_leads_release
from careers.services.pipeline.routing import lead_route


@dataclass
class SweepResult:
    routed: int = 0
    released: int = 0


def routing_sweep(
    *, now: datetime | None = None, limit: int = 500, time_budget: float = 30.0
) -> SweepResult:
    """Catch up on everything routing should have done; safe on any number of hosts at once.

    1. Route leads left `new` longer than CAREERS_ROUTING_SWEEP_AFTER_SECONDS (their
       message was lost with a worker or a broker), then retry `unassigned` ones. A team
       and interest that found nobody is not retried again in the same pass.
    2. Hand back the uncontacted leads of advisors who are inactive or absent today.
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
    return result
