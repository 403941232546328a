"""A rule set published in the middle of a 200-lead burst, on real PostgreSQL and a real worker."""

import itertools
from collections import Counter

import pytest

from careers.models import Lead, LeadEvent, Rule, RuleSet, Team
from careers.services.rulesets import ruleset_draft_create, ruleset_publish
from careers.tasks.routing import route_lead_task
from tests.factories import AdvisorFactory, LeadFactory
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

INTERESTS = ("ai", "web3", "both")
CAP = 12


def test_a_publish_during_a_burst_gives_each_decision_exactly_one_version_and_caps_hold(
    celery_worker_process,
):
    """Version 1 has no period cap; version 2, published mid-burst, allows 12 a week each.

    Decisions and the publish share the pool lock, so in decision order every lead is
    decided by version 1 until the publish commits and by version 2 after, never a mix,
    and no advisor passes their capacity or, once version 2 rules, the cap.
    """
    advisors = [
        AdvisorFactory(name=f"{specialty}-{n}", specialty=specialty, capacity=20)
        for specialty in INTERESTS
        for n in range(4)
    ]
    first = RuleSet.objects.create(name="バースト", team=Team.CAREER)
    Rule.objects.create(ruleset=first, position=1, name="全員に負荷分散")
    ruleset_publish(ruleset=first)

    total = 200
    interests = itertools.cycle(INTERESTS)
    lead_ids = [LeadFactory(interest=next(interests)).id for _ in range(total)]
    for lead_id in lead_ids:
        route_lead_task.delay(lead_id)

    def decided():
        return Lead.objects.exclude(status=Lead.Status.NEW).count()

    wait_for(lambda: decided() >= 30, timeout=60, message="the burst never started")
    second = ruleset_draft_create(source=first)
    second.cap_per_period = CAP
    second.save()
    ruleset_publish(ruleset=second)
    decided_before_publish = decided()
    assert decided_before_publish < total, "the burst was over before the publish"
    wait_for(lambda: decided() == total, timeout=120, message="the burst was not decided")

    events = LeadEvent.objects.filter(
        kind__in=[LeadEvent.Kind.ROUTED, LeadEvent.Kind.UNASSIGNED]
    ).order_by("id")
    versions = [event.details["decision"]["ruleset"]["version"] for event in events]
    assert len(versions) == total
    assert Counter(events.values_list("lead_id", flat=True)).most_common(1)[0][1] == 1
    # One version per decision, switching once: 1, 1, ..., 1, 2, 2, ..., 2.
    first.refresh_from_db()
    assert versions == sorted(versions)
    assert set(versions) == {first.version, second.version}

    held = Counter(
        Lead.objects.filter(status=Lead.Status.ASSIGNED).values_list("advisor_id", flat=True)
    )
    assert all(held[advisor.id] <= advisor.capacity for advisor in advisors)
    assert max(held.values()) <= CAP
    # The cap binds: twelve advisors at most twelve each, so at least 56 leads wait.
    waiting = Lead.objects.filter(status=Lead.Status.UNASSIGNED)
    assert waiting.count() == total - sum(held.values()) >= total - len(advisors) * CAP
    unassigned = LeadEvent.objects.filter(kind=LeadEvent.Kind.UNASSIGNED)
    assert all("期間上限到達" in event.details["decision"]["why"] for event in unassigned)
