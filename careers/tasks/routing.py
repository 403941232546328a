"""Celery tasks that route leads and keep the first-contact promise.

Thin doors: each takes an id (or nothing), calls a service, and is harmless to run twice.
acks_late and reject_on_worker_lost are global settings, so a worker killed mid-task means
redelivery; the service's lock-and-recheck turns the redelivery into a no-op.
"""

import logging
from datetime import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from careers.services.pipeline import ROUTE_LEAD_TASK, lead_route, routing_sweep
from careers.services.sla import advisor_digests_send, sla_check

logger = logging.getLogger(__name__)

# A database restart or a lost connection is worth waiting out; anything else is a bug.
_TRANSIENT = (OperationalError, InterfaceError)


def _moment(now: str | None) -> datetime | None:
    # Drills and tests pass the clock in; beat never does.
    return datetime.fromisoformat(now) if now else None


@shared_task(
    name=ROUTE_LEAD_TASK,
    autoretry_for=_TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=8,
)
def route_lead_task(lead_id: int, then_send: list[int] | None = None) -> None:
    """Route one lead, if it still needs it, then send its confirmation (`then_send`) with
    routing's own emails; a message queued before then_send existed carries the id alone."""
    decision = lead_route(lead_id=lead_id, then_send=then_send or ())
    if decision is not None:
        logger.info("lead %s: %s → %s", lead_id, decision.rule, decision.advisor_id)


@shared_task
def routing_sweep_task(now: str | None = None) -> int:
    """Beat (careers-routing-sweep): lost and waiting leads, and away advisors' leads."""
    result = routing_sweep(now=_moment(now))
    if result.routed or result.released:
        logger.info("sweep: %s routed, %s re-routed", result.routed, result.released)
    return result.routed


@shared_task
def sla_check_task(now: str | None = None) -> None:
    """Beat, every minute: reminders, breaches and re-routes of the first-contact promise."""
    sla_check(now=_moment(now))


@shared_task
def advisor_digest_task(now: str | None = None) -> int:
    """Beat, 09:00 JST: each advisor's new, overdue and waiting leads."""
    return advisor_digests_send(now=_moment(now))
